#include "core/tls_client.h"

#include <stdio.h>
#include <unistd.h>

#include "core/tls_gnutls.h"

#define HANDSHAKE_TIMEOUT_MS 30000

static int fail(const struct tls_gnutls *g, gnutls_session_t s,
                gnutls_certificate_credentials_t cred, int fd, char *err, size_t errlen,
                const char *fmt, const char *a, int code)
{
	char why[256];
	tls_gnutls_error(g, s, code, why, sizeof(why));
	snprintf(err, errlen, fmt, a, why);
	if (s)
		g->deinit(s);
	if (cred)
		g->cert_free(cred);
	close(fd);
	return -1;
}

int tls_relay_open(int tcp_fd, const char *host, const struct tls_client_opts *o,
                   struct tls_relay **out, char *err, size_t errlen)
{
	const struct tls_gnutls *g = tls_gnutls(err, errlen);
	if (!g) {
		close(tcp_fd);
		return -1;
	}
	gnutls_certificate_credentials_t cred = NULL;
	gnutls_session_t s = NULL;
	int ret;
	if ((ret = g->cert_alloc(&cred)) < 0)
		return fail(g, s, cred, tcp_fd, err, errlen, "%sTLS credentials: %s", "", ret);
	if (o->verify && (ret = g->trust_file(cred, o->ca, GNUTLS_X509_FMT_PEM)) <= 0)
		return fail(g, s, cred, tcp_fd, err, errlen,
		            "cannot use the TLS CA certificate %s: %s", o->ca,
		            ret == 0 ? GNUTLS_E_NO_CERTIFICATE_FOUND : ret);
	if (o->cert && o->key &&
	    (ret = g->key_file(cred, o->cert, o->key, GNUTLS_X509_FMT_PEM)) < 0) {
		char what[8192];
		snprintf(what, sizeof(what), "%s and key %s", o->cert, o->key);
		return fail(g, s, cred, tcp_fd, err, errlen,
		            "cannot use the TLS certificate %s: %s", what, ret);
	}
	if ((ret = g->init(&s, GNUTLS_CLIENT | GNUTLS_NO_SIGNAL)) < 0 ||
	    (ret = g->set_default_priority(s)) < 0 ||
	    (ret = g->credentials_set(s, GNUTLS_CRD_CERTIFICATE, cred)) < 0)
		return fail(g, s, cred, tcp_fd, err, errlen, "%sTLS session: %s", "", ret);
	if (o->verify) /* the CA chain, and the host's IP or name in the certificate */
		g->set_verify_cert(s, host, 0);
	g->transport_set_int2(s, tcp_fd, tcp_fd);
	g->handshake_set_timeout(s, HANDSHAKE_TIMEOUT_MS);
	do {
		ret = g->handshake(s);
	} while (ret < 0 && !g->error_is_fatal(ret));
	if (ret < 0)
		return fail(g, s, cred, tcp_fd, err, errlen, "TLS handshake with %s failed: %s",
		            host, ret);
	int plain = -1;
	struct tls_relay *r = tls_relay_new(s, cred, tcp_fd, &plain, err, errlen);
	if (!r || tls_relay_spawn(r, err, errlen) < 0) {
		if (plain >= 0)
			close(plain);
		return -1;
	}
	*out = r;
	return plain;
}
