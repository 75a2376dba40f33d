#include "core/tls_server.h"

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/tls_gnutls.h"

#define LINGER_MS 500

struct tls_server {
	const struct tls_gnutls *g;
	gnutls_certificate_credentials_t cred;
	bool verify;
};

static gnutls_datum_t datum(const char *pem)
{
	return (gnutls_datum_t){.data = (unsigned char *)pem, .size = (unsigned)strlen(pem)};
}

/* Each file on its own first, so the message names the one that is wrong. */
static int check_each(const struct tls_gnutls *g, const char *cert_pem, const char *key_pem,
                      const char *cert_file, const char *key_file, char *err, size_t errlen)
{
	gnutls_datum_t c = datum(cert_pem), k = datum(key_pem);
	gnutls_x509_crt_t crt = NULL;
	gnutls_x509_privkey_t pk = NULL;
	int r, ret = -1;
	if (g->crt_init(&crt) < 0 || g->privkey_init(&pk) < 0)
		snprintf(err, errlen, "cannot allocate TLS credentials");
	else if ((r = g->crt_import(crt, &c, GNUTLS_X509_FMT_PEM)) < 0)
		snprintf(err, errlen, "invalid TLS certificate %s: %s", cert_file, g->strerror(r));
	else if ((r = g->privkey_import(pk, &k, GNUTLS_X509_FMT_PEM)) < 0)
		snprintf(err, errlen, "invalid TLS key %s: %s", key_file, g->strerror(r));
	else
		ret = 0;
	if (crt)
		g->crt_deinit(crt);
	if (pk)
		g->privkey_deinit(pk);
	return ret;
}

struct tls_server *tls_server_new(const char *cert_pem, const char *key_pem, const char *ca_pem,
                                  const char *cert_file, const char *key_file, const char *ca_file,
                                  char *err, size_t errlen)
{
	const struct tls_gnutls *g = tls_gnutls(err, errlen);
	if (!g || check_each(g, cert_pem, key_pem, cert_file, key_file, err, errlen) < 0)
		return NULL;
	struct tls_server *t = calloc(1, sizeof(*t));
	if (!t || g->cert_alloc(&t->cred) < 0) {
		snprintf(err, errlen, "cannot allocate TLS credentials");
		free(t);
		return NULL;
	}
	t->g = g;
	t->verify = ca_pem != NULL;
	gnutls_datum_t c = datum(cert_pem), k = datum(key_pem);
	int r = g->key_mem(t->cred, &c, &k, GNUTLS_X509_FMT_PEM);
	if (r < 0) {
		snprintf(err, errlen, "TLS key %s does not go with certificate %s: %s", key_file,
		         cert_file, g->strerror(r));
		tls_server_free(t);
		return NULL;
	}
	if (ca_pem) {
		gnutls_datum_t a = datum(ca_pem);
		r = g->trust_mem(t->cred, &a, GNUTLS_X509_FMT_PEM);
		if (r <= 0) {
			snprintf(err, errlen, "invalid TLS CA certificate %s: %s", ca_file,
			         r < 0 ? g->strerror(r) : "no certificate in it");
			tls_server_free(t);
			return NULL;
		}
	}
	return t;
}

void tls_server_free(struct tls_server *t)
{
	if (!t)
		return;
	if (t->cred)
		t->g->cert_free(t->cred);
	free(t);
}

static void peer_cn(const struct tls_gnutls *g, gnutls_session_t s, char *cn, size_t cnlen)
{
	unsigned n = 0;
	const gnutls_datum_t *certs = g->get_peers(s, &n);
	gnutls_x509_crt_t crt;
	cn[0] = '\0';
	if (!certs || n == 0 || g->crt_init(&crt) < 0)
		return;
	size_t len = cnlen;
	if (g->crt_import(crt, &certs[0], GNUTLS_X509_FMT_DER) < 0 ||
	    g->crt_get_dn_by_oid(crt, GNUTLS_OID_X520_COMMON_NAME, 0, 0, cn, &len) < 0)
		cn[0] = '\0';
	g->crt_deinit(crt);
}

/* Why the handshake failed, with the verification's verdict when that was it. */
static void handshake_error(const struct tls_gnutls *g, gnutls_session_t s, int code, char *err,
                            size_t errlen)
{
	gnutls_datum_t out = {0};
	if (code == GNUTLS_E_CERTIFICATE_VERIFICATION_ERROR &&
	    g->status_print(g->get_verify_cert_status(s), GNUTLS_CRT_X509, &out, 0) == 0) {
		snprintf(err, errlen, "client certificate refused: %s", (char *)out.data);
		(*g->free)(out.data);
	} else if (code == GNUTLS_E_NO_CERTIFICATE_FOUND || code == GNUTLS_E_CERTIFICATE_REQUIRED) {
		snprintf(err, errlen, "no client certificate");
	} else {
		tls_gnutls_error(g, s, code, err, errlen);
	}
}

/* Tells the client why (the alert for ret), then closes gracefully: our side first, then what
 * it still sends is read (briefly), so the close is no reset that could drop the alert. */
static void refuse(const struct tls_gnutls *g, gnutls_session_t s, int fd, int ret)
{
	if (ret == GNUTLS_E_PULL_ERROR || ret == GNUTLS_E_PUSH_ERROR || ret == GNUTLS_E_TIMEDOUT ||
	    ret == GNUTLS_E_PREMATURE_TERMINATION || g->alert_send_appropriate(s, ret) < 0)
		return;
	shutdown(fd, SHUT_WR);
	char buf[4096];
	for (int i = 0; i < 16; i++) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		if (poll(&p, 1, LINGER_MS) <= 0 || read(fd, buf, sizeof(buf)) <= 0)
			break;
	}
}

int tls_server_accept(const struct tls_server *t, int fd, unsigned timeout_ms,
                      struct tls_relay **relay, int *plain, char *cn, size_t cnlen, char *err,
                      size_t errlen)
{
	const struct tls_gnutls *g = t->g;
	gnutls_session_t s = NULL;
	int ret;
	cn[0] = '\0';
	if ((ret = g->init(&s, GNUTLS_SERVER | GNUTLS_NO_SIGNAL)) < 0 ||
	    (ret = g->set_default_priority(s)) < 0 ||
	    (ret = g->credentials_set(s, GNUTLS_CRD_CERTIFICATE, t->cred)) < 0) {
		tls_gnutls_error(g, NULL, ret, err, errlen);
		goto fail;
	}
	if (t->verify) { /* no certificate, or one the CA did not sign: the handshake fails */
		g->server_set_request(s, GNUTLS_CERT_REQUIRE);
		g->set_verify_cert(s, NULL, 0);
	}
	g->transport_set_int2(s, fd, fd);
	g->handshake_set_timeout(s, timeout_ms);
	do {
		ret = g->handshake(s);
	} while (ret < 0 && !g->error_is_fatal(ret));
	if (ret < 0) {
		handshake_error(g, s, ret, err, errlen);
		refuse(g, s, fd, ret);
		goto fail;
	}
	if (t->verify)
		peer_cn(g, s, cn, cnlen);
	*relay = tls_relay_new(s, NULL, fd, plain, err, errlen);
	return *relay ? 0 : -1;
fail:
	if (s)
		g->deinit(s);
	close(fd);
	return -1;
}
