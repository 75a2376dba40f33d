#include "core/tls_gnutls.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

static struct tls_gnutls g;
static bool g_loaded;
static char g_error[256];
static pthread_once_t g_once = PTHREAD_ONCE_INIT;

#define SYM(field, name)                                                                           \
	do {                                                                                       \
		*(void **)&g.field = dlsym(h, name);                                               \
		if (!g.field) {                                                                    \
			snprintf(g_error, sizeof(g_error), "libgnutls.so.30 has no %s", name);     \
			return;                                                                    \
		}                                                                                  \
	} while (0)

static void load(void)
{
	void *h = dlopen("libgnutls.so.30", RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		snprintf(g_error, sizeof(g_error), "cannot load libgnutls.so.30 for TLS: %s",
		         dlerror());
		return;
	}
	SYM(cert_alloc, "gnutls_certificate_allocate_credentials");
	SYM(cert_free, "gnutls_certificate_free_credentials");
	SYM(trust_file, "gnutls_certificate_set_x509_trust_file");
	SYM(trust_mem, "gnutls_certificate_set_x509_trust_mem");
	SYM(key_file, "gnutls_certificate_set_x509_key_file");
	SYM(key_mem, "gnutls_certificate_set_x509_key_mem");
	SYM(server_set_request, "gnutls_certificate_server_set_request");
	SYM(init, "gnutls_init");
	SYM(deinit, "gnutls_deinit");
	SYM(set_default_priority, "gnutls_set_default_priority");
	SYM(credentials_set, "gnutls_credentials_set");
	SYM(set_verify_cert, "gnutls_session_set_verify_cert");
	SYM(get_verify_cert_status, "gnutls_session_get_verify_cert_status");
	SYM(status_print, "gnutls_certificate_verification_status_print");
	SYM(free, "gnutls_free");
	SYM(transport_set_int2, "gnutls_transport_set_int2");
	SYM(handshake_set_timeout, "gnutls_handshake_set_timeout");
	SYM(handshake, "gnutls_handshake");
	SYM(record_send, "gnutls_record_send");
	SYM(record_recv, "gnutls_record_recv");
	SYM(record_check_pending, "gnutls_record_check_pending");
	SYM(bye, "gnutls_bye");
	SYM(alert_get, "gnutls_alert_get");
	SYM(alert_send_appropriate, "gnutls_alert_send_appropriate");
	SYM(alert_get_name, "gnutls_alert_get_name");
	SYM(strerror, "gnutls_strerror");
	SYM(error_is_fatal, "gnutls_error_is_fatal");
	SYM(get_peers, "gnutls_certificate_get_peers");
	SYM(crt_init, "gnutls_x509_crt_init");
	SYM(crt_deinit, "gnutls_x509_crt_deinit");
	SYM(crt_import, "gnutls_x509_crt_import");
	SYM(crt_get_dn_by_oid, "gnutls_x509_crt_get_dn_by_oid");
	SYM(privkey_init, "gnutls_x509_privkey_init");
	SYM(privkey_deinit, "gnutls_x509_privkey_deinit");
	SYM(privkey_import, "gnutls_x509_privkey_import");
	g_loaded = true; /* h stays open: the process uses it until it exits */
}

const struct tls_gnutls *tls_gnutls(char *err, size_t errlen)
{
	pthread_once(&g_once, load);
	if (g_loaded)
		return &g;
	snprintf(err, errlen, "%s", g_error);
	return NULL;
}

void tls_gnutls_error(const struct tls_gnutls *t, gnutls_session_t s, int code, char *err,
                      size_t errlen)
{
	if (s &&
	    (code == GNUTLS_E_FATAL_ALERT_RECEIVED || code == GNUTLS_E_WARNING_ALERT_RECEIVED)) {
		const char *name = t->alert_get_name(t->alert_get(s));
		snprintf(err, errlen, "the peer sent the TLS alert \"%s\"",
		         name ? name : "unknown");
		return;
	}
	snprintf(err, errlen, "%s", t->strerror(code));
}
