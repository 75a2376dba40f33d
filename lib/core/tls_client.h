/* A TLS client connection behind a plain socket: the handshake is done here (GnuTLS, loaded
 * with dlopen() on first use, so that clients talking to the unix socket never load it), then
 * a relay thread carries bytes between one end of a socketpair and the TLS session. The other
 * end is what the HTTP client reads and writes, so every user of its fd (streams, hijacked
 * sessions, poll) works unchanged. */
#ifndef LIB_CORE_TLS_CLIENT_H
#define LIB_CORE_TLS_CLIENT_H

#include <stdbool.h>
#include <stddef.h>

struct tls_client_opts {
	bool verify;      /* check the server's certificate against ca, and its IP/name */
	const char *ca;   /* with verify */
	const char *cert; /* client certificate and key: sent when both are given */
	const char *key;
};

struct tls_relay;

/* Runs the handshake on the connected tcp socket (taken over: closed by tls_relay_close or
 * on failure) for server name host; returns the socket the caller uses, or -1 with a message
 * in err (naming the file or what the server did). */
int tls_relay_open(int tcp_fd, const char *host, const struct tls_client_opts *o,
                   struct tls_relay **out, char *err, size_t errlen);
/* After the caller closed its socket: stops the relay and frees everything. */
void tls_relay_close(struct tls_relay *r);

#endif
