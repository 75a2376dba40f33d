/* The server side of TLS: credentials checked once at start, then a handshake per accepted
 * connection that, with a CA, refuses a client whose certificate the CA did not sign (in the
 * handshake: no byte of its request is read), and a relay (tls_relay.h) for the caller to run.
 * GnuTLS is loaded on first use (tls_gnutls.h). */
#ifndef LIB_CORE_TLS_SERVER_H
#define LIB_CORE_TLS_SERVER_H

#include <stddef.h>

#include "core/tls_relay.h"

struct tls_server;

/* From PEM texts (ca_pem NULL: client certificates are not asked for); the file names are for
 * the messages. NULL with err naming the file that does not parse, or a key that does not go
 * with the certificate. */
struct tls_server *tls_server_new(const char *cert_pem, const char *key_pem, const char *ca_pem,
                                  const char *cert_file, const char *key_file, const char *ca_file,
                                  char *err, size_t errlen);
void tls_server_free(struct tls_server *t);

/* The handshake on accepted socket fd (taken over), bounded by timeout_ms. 0 with *relay (to
 * be run, then freed, by the caller), *plain (its plain end) and cn (the verified client
 * certificate's CN; "" without a CA); -1 with why in err. */
int tls_server_accept(const struct tls_server *t, int fd, unsigned timeout_ms,
                      struct tls_relay **relay, int *plain, char *cn, size_t cnlen, char *err,
                      size_t errlen);

#endif
