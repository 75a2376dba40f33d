/* The TLS side of the API server's tcp:// listeners: the certificate files checked and loaded
 * at start, and each connection's client certificate checked before any request runs. */
#ifndef ENGINE_SERVER_TLS_H
#define ENGINE_SERVER_TLS_H

#include <stdbool.h>
#include <stddef.h>

struct server_tls {
	bool verify;           /* client certificates signed by ca are required */
	char *ca, *cert, *key; /* PEM text (ca only with verify) */
};

/* Reads and checks the files (a certificate, its key, the CA when verify): 0, or -1 with a
 * message naming the file. */
int server_tls_load(struct server_tls *t, bool verify, const char *ca_file, const char *cert_file,
                    const char *key_file, char *err, size_t errlen);
void server_tls_free(struct server_tls *t);

/* For a connection of a TLS listener (session: MHD's gnutls_session_t): with verify, 0 only
 * when the peer's certificate chain checks out against the CA, else -1 with why in err. On
 * success cn gets the verified certificate's CN ("" without verify: an unverified name is
 * nobody's). */
int server_tls_peer(void *session, bool verify, char *cn, size_t cnlen, char *err, size_t errlen);

#endif
