/* A TLS client connection behind a plain socket: the handshake is done here, then a relay
 * thread (tls_relay.h) carries bytes between the TLS session and the socket returned, which is
 * what the HTTP client reads and writes, so every user of its fd (streams, hijacked sessions,
 * poll) works unchanged. GnuTLS is loaded on first use (tls_gnutls.h). */
#ifndef LIB_CORE_TLS_CLIENT_H
#define LIB_CORE_TLS_CLIENT_H

#include <stdbool.h>
#include <stddef.h>

#include "core/tls_relay.h"

struct tls_client_opts {
	bool verify;      /* check the server's certificate against ca, and its IP/name */
	const char *ca;   /* with verify */
	const char *cert; /* client certificate and key: sent when both are given */
	const char *key;
};

/* Runs the handshake on the connected tcp socket (taken over: closed by tls_relay_close or
 * on failure) for server name host; returns the socket the caller uses, or -1 with a message
 * in err (naming the file or what the server did). */
int tls_relay_open(int tcp_fd, const char *host, const struct tls_client_opts *o,
                   struct tls_relay **out, char *err, size_t errlen);

#endif
