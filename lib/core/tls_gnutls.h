/* GnuTLS, loaded with dlopen() on first use: the one table of the functions the TLS client and
 * server pieces call (tls_client, tls_server, tls_relay), so that processes which never speak
 * TLS (isula on the unix socket) never load it. Only lib/core's tls_*.c include this. */
#ifndef LIB_CORE_TLS_GNUTLS_H
#define LIB_CORE_TLS_GNUTLS_H

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <stdbool.h>
#include <stddef.h>

struct tls_gnutls {
	int (*cert_alloc)(gnutls_certificate_credentials_t *);
	void (*cert_free)(gnutls_certificate_credentials_t);
	int (*trust_file)(gnutls_certificate_credentials_t, const char *, gnutls_x509_crt_fmt_t);
	int (*trust_mem)(gnutls_certificate_credentials_t, const gnutls_datum_t *,
	                 gnutls_x509_crt_fmt_t);
	int (*key_file)(gnutls_certificate_credentials_t, const char *, const char *,
	                gnutls_x509_crt_fmt_t);
	int (*key_mem)(gnutls_certificate_credentials_t, const gnutls_datum_t *,
	               const gnutls_datum_t *, gnutls_x509_crt_fmt_t);
	void (*server_set_request)(gnutls_session_t, gnutls_certificate_request_t);
	int (*init)(gnutls_session_t *, unsigned);
	void (*deinit)(gnutls_session_t);
	int (*set_default_priority)(gnutls_session_t);
	int (*credentials_set)(gnutls_session_t, gnutls_credentials_type_t, void *);
	void (*set_verify_cert)(gnutls_session_t, const char *, unsigned);
	unsigned (*get_verify_cert_status)(gnutls_session_t);
	int (*status_print)(unsigned, gnutls_certificate_type_t, gnutls_datum_t *, unsigned);
	void (**free)(void *); /* gnutls_free is a variable holding the function */
	void (*transport_set_int2)(gnutls_session_t, int, int);
	void (*handshake_set_timeout)(gnutls_session_t, unsigned);
	int (*handshake)(gnutls_session_t);
	ssize_t (*record_send)(gnutls_session_t, const void *, size_t);
	ssize_t (*record_recv)(gnutls_session_t, void *, size_t);
	size_t (*record_check_pending)(gnutls_session_t);
	int (*bye)(gnutls_session_t, gnutls_close_request_t);
	gnutls_alert_description_t (*alert_get)(gnutls_session_t);
	int (*alert_send_appropriate)(gnutls_session_t, int);
	const char *(*alert_get_name)(gnutls_alert_description_t);
	const char *(*strerror)(int);
	int (*error_is_fatal)(int);
	const gnutls_datum_t *(*get_peers)(gnutls_session_t, unsigned *);
	int (*crt_init)(gnutls_x509_crt_t *);
	void (*crt_deinit)(gnutls_x509_crt_t);
	int (*crt_import)(gnutls_x509_crt_t, const gnutls_datum_t *, gnutls_x509_crt_fmt_t);
	int (*crt_get_dn_by_oid)(gnutls_x509_crt_t, const char *, unsigned, unsigned, void *,
	                         size_t *);
	int (*privkey_init)(gnutls_x509_privkey_t *);
	void (*privkey_deinit)(gnutls_x509_privkey_t);
	int (*privkey_import)(gnutls_x509_privkey_t, const gnutls_datum_t *, gnutls_x509_crt_fmt_t);
};

/* The table, or NULL with why in err (no libgnutls.so.30, a missing symbol). */
const struct tls_gnutls *tls_gnutls(char *err, size_t errlen);

/* "what: GnuTLS's message" for a failed call, with the alert's name for an alert. */
void tls_gnutls_error(const struct tls_gnutls *g, gnutls_session_t s, int code, char *err,
                      size_t errlen);

#endif
