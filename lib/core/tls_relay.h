/* A TLS session behind a plain socket: bytes are carried between a session whose handshake is
 * done (tls_client.h, tls_server.h) and one end of a socketpair, so that whoever holds the other
 * end (the HTTP client, the daemon's HTTP server) reads and writes plain bytes, hijacked
 * streams included. The end of input is passed on in each direction on its own: a TLS
 * close_notify becomes shutdown(SHUT_WR) of the plain end and the other way round, so a
 * half-closed stream (stdin's EOF of `exec -i`) stays half-closed across TLS. Both sockets are
 * non-blocking and each direction has its own buffer: a side that does not read never stops
 * the other direction. */
#ifndef LIB_CORE_TLS_RELAY_H
#define LIB_CORE_TLS_RELAY_H

#include <stdbool.h>
#include <stddef.h>

struct tls_relay;

/* Takes over session (a gnutls_session_t after its handshake, transport tcp_fd), cred (its
 * gnutls_certificate_credentials_t, freed with the relay; NULL when the caller keeps it) and
 * tcp_fd; *plain gets the caller's end of the socketpair. NULL (everything closed and freed)
 * with a message in err. */
struct tls_relay *tls_relay_new(void *session, void *cred, int tcp_fd, int *plain, char *err,
                                size_t errlen);

/* Carries bytes until both directions ended, the plain end was closed, the peer failed, or
 * tls_relay_close asked it to stop. */
void tls_relay_run(struct tls_relay *r);

/* tls_relay_run in a thread of its own; tls_relay_close stops and frees it. 0, or -1 with err
 * (the relay is then freed). */
int tls_relay_spawn(struct tls_relay *r, char *err, size_t errlen);
void tls_relay_close(struct tls_relay *r);

/* After tls_relay_run returned in the caller's thread. */
void tls_relay_free(struct tls_relay *r);

/* Why the TLS side ended early (a fatal alert from the peer, a broken session), or NULL; to
 * be read after the plain end saw its EOF. */
const char *tls_relay_error(struct tls_relay *r);

#endif
