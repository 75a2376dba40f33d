#include "server_tls.h"

#include <errno.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/fileutil.h"

#define MAX_PEM (1 << 20)

static char *read_pem(const char *what, const char *file, char *err, size_t errlen)
{
	char *text = read_file(file, MAX_PEM, NULL);
	if (!text)
		snprintf(err, errlen, "cannot read the TLS %s %s: %s", what, file,
		         errno == EFBIG ? "larger than 1 MiB" : strerror(errno));
	return text;
}

static gnutls_datum_t datum(const char *pem)
{
	return (gnutls_datum_t){.data = (unsigned char *)pem, .size = (unsigned)strlen(pem)};
}

/* The certificate and key parse and belong together; the CA holds at least one certificate. */
static int check_pems(const struct server_tls *t, const char *ca_file, const char *cert_file,
                      const char *key_file, char *err, size_t errlen)
{
	gnutls_certificate_credentials_t cred;
	if (gnutls_certificate_allocate_credentials(&cred) < 0) {
		snprintf(err, errlen, "cannot allocate TLS credentials");
		return -1;
	}
	int ret = -1;
	gnutls_datum_t c = datum(t->cert), k = datum(t->key);
	gnutls_x509_crt_t crt = NULL;
	gnutls_x509_privkey_t pk = NULL;
	int r;
	if (gnutls_x509_crt_init(&crt) < 0 || gnutls_x509_privkey_init(&pk) < 0) {
		snprintf(err, errlen, "cannot allocate TLS credentials");
		goto out;
	}
	if ((r = gnutls_x509_crt_import(crt, &c, GNUTLS_X509_FMT_PEM)) < 0) {
		snprintf(err, errlen, "invalid TLS certificate %s: %s", cert_file,
		         gnutls_strerror(r));
		goto out;
	}
	if ((r = gnutls_x509_privkey_import(pk, &k, GNUTLS_X509_FMT_PEM)) < 0) {
		snprintf(err, errlen, "invalid TLS key %s: %s", key_file, gnutls_strerror(r));
		goto out;
	}
	if ((r = gnutls_certificate_set_x509_key_mem(cred, &c, &k, GNUTLS_X509_FMT_PEM)) < 0) {
		snprintf(err, errlen, "TLS key %s does not go with certificate %s: %s", key_file,
		         cert_file, gnutls_strerror(r));
		goto out;
	}
	if (t->ca) {
		gnutls_datum_t a = datum(t->ca);
		r = gnutls_certificate_set_x509_trust_mem(cred, &a, GNUTLS_X509_FMT_PEM);
		if (r <= 0) {
			snprintf(err, errlen, "invalid TLS CA certificate %s: %s", ca_file,
			         r < 0 ? gnutls_strerror(r) : "no certificate in it");
			goto out;
		}
	}
	ret = 0;
out:
	if (crt)
		gnutls_x509_crt_deinit(crt);
	if (pk)
		gnutls_x509_privkey_deinit(pk);
	gnutls_certificate_free_credentials(cred);
	return ret;
}

int server_tls_load(struct server_tls *t, bool verify, const char *ca_file, const char *cert_file,
                    const char *key_file, char *err, size_t errlen)
{
	memset(t, 0, sizeof(*t));
	t->verify = verify;
	if (!(t->cert = read_pem("certificate", cert_file, err, errlen)) ||
	    !(t->key = read_pem("key", key_file, err, errlen)) ||
	    (verify && !(t->ca = read_pem("CA certificate", ca_file, err, errlen))) ||
	    check_pems(t, ca_file, cert_file, key_file, err, errlen) < 0) {
		server_tls_free(t);
		return -1;
	}
	return 0;
}

void server_tls_free(struct server_tls *t)
{
	free(t->ca);
	free(t->cert);
	if (t->key) /* a secret: not left in freed memory */
		explicit_bzero(t->key, strlen(t->key));
	free(t->key);
	memset(t, 0, sizeof(*t));
}

static void peer_cn(gnutls_session_t s, char *cn, size_t cnlen)
{
	unsigned n = 0;
	const gnutls_datum_t *certs = gnutls_certificate_get_peers(s, &n);
	gnutls_x509_crt_t crt;
	cn[0] = '\0';
	if (!certs || n == 0 || gnutls_x509_crt_init(&crt) < 0)
		return;
	size_t len = cnlen;
	if (gnutls_x509_crt_import(crt, &certs[0], GNUTLS_X509_FMT_DER) < 0 ||
	    gnutls_x509_crt_get_dn_by_oid(crt, GNUTLS_OID_X520_COMMON_NAME, 0, 0, cn, &len) < 0)
		cn[0] = '\0';
	gnutls_x509_crt_deinit(crt);
}

int server_tls_peer(void *session, bool verify, char *cn, size_t cnlen, char *err, size_t errlen)
{
	gnutls_session_t s = session;
	cn[0] = '\0';
	if (!verify)
		return 0;
	if (!s) {
		snprintf(err, errlen, "no TLS session");
		return -1;
	}
	unsigned status = 0;
	int r = gnutls_certificate_verify_peers3(s, NULL, &status);
	if (r < 0) {
		snprintf(err, errlen, "%s",
		         r == GNUTLS_E_NO_CERTIFICATE_FOUND ? "no client certificate"
		                                            : gnutls_strerror(r));
		return -1;
	}
	if (status != 0) {
		gnutls_datum_t out = {0};
		if (gnutls_certificate_verification_status_print(status, GNUTLS_CRT_X509, &out,
		                                                 0) == 0) {
			snprintf(err, errlen, "client certificate refused: %s", (char *)out.data);
			gnutls_free(out.data);
		} else {
			snprintf(err, errlen, "client certificate refused");
		}
		return -1;
	}
	peer_cn(s, cn, cnlen);
	return 0;
}
