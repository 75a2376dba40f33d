/* The TLS side of the API server's tcp:// listeners: the certificate files checked and loaded
 * at start; then this file accepts each connection itself, runs the handshake (with
 * tlsverify, a client without a certificate the CA signed is refused there), and hands the
 * plain end of a relay (core/tls_relay.h) to the HTTP server with the caller's verified CN
 * kept beside it. libmicrohttpd's own TLS is not used: it does not pass a client's end of
 * input on to an upgraded (hijacked) stream, so `exec -i` never saw stdin's EOF. */
#ifndef ENGINE_SERVER_TLS_H
#define ENGINE_SERVER_TLS_H

#include <stdbool.h>
#include <stddef.h>

struct MHD_Daemon;
struct tls_server;

struct server_tls {
	bool verify; /* client certificates signed by the CA are required */
	struct tls_server *srv;
};

/* Reads and checks the files (a certificate, its key, the CA when verify): 0, or -1 with a
 * message naming the file. */
int server_tls_load(struct server_tls *t, bool verify, const char *ca_file, const char *cert_file,
                    const char *key_file, char *err, size_t errlen);
void server_tls_free(struct server_tls *t);

/* Accepts on the listening tcp socket fd (taken over) in a thread of its own and hands each
 * connection, after its handshake, to d (an MHD daemon without a listen socket), at most
 * max_connections at once. 0, or -1. */
int server_tls_listen(int fd, struct MHD_Daemon *d, const struct server_tls *t,
                      unsigned max_connections);

/* Before the MHD daemons are stopped: stops every listener, and no connection is handed to
 * them any more. After they were stopped, server_tls_wait waits (bounded) for the relays of
 * their connections to end. */
void server_tls_stop(void);
void server_tls_wait(void);

/* The verified CN of the connection whose plain end is fd, into cn ("" when the listener does
 * not verify). -1 when fd is no TLS connection's: the caller must be refused. */
int server_tls_caller(int fd, char *cn, size_t cnlen);

#endif
