#include "core/tls_client.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <errno.h>
#include <gnutls/gnutls.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define HANDSHAKE_TIMEOUT_MS 30000

/* The GnuTLS functions used, looked up once. */
static struct {
	bool loaded;
	int (*cert_alloc)(gnutls_certificate_credentials_t *);
	void (*cert_free)(gnutls_certificate_credentials_t);
	int (*trust_file)(gnutls_certificate_credentials_t, const char *, gnutls_x509_crt_fmt_t);
	int (*key_file)(gnutls_certificate_credentials_t, const char *, const char *,
	                gnutls_x509_crt_fmt_t);
	int (*init)(gnutls_session_t *, unsigned);
	void (*deinit)(gnutls_session_t);
	int (*set_default_priority)(gnutls_session_t);
	int (*credentials_set)(gnutls_session_t, gnutls_credentials_type_t, void *);
	void (*set_verify_cert)(gnutls_session_t, const char *, unsigned);
	void (*transport_set_int2)(gnutls_session_t, int, int);
	void (*handshake_set_timeout)(gnutls_session_t, unsigned);
	int (*handshake)(gnutls_session_t);
	ssize_t (*record_send)(gnutls_session_t, const void *, size_t);
	ssize_t (*record_recv)(gnutls_session_t, void *, size_t);
	size_t (*record_check_pending)(gnutls_session_t);
	int (*bye)(gnutls_session_t, gnutls_close_request_t);
	const char *(*strerror)(int);
	int (*error_is_fatal)(int);
	int (*server_name_set)(gnutls_session_t, gnutls_server_name_type_t, const void *, size_t);
} g;
static pthread_once_t g_once = PTHREAD_ONCE_INIT;

#define SYM(field, name)                                                                           \
	do {                                                                                       \
		*(void **)&g.field = dlsym(h, name);                                               \
		if (!g.field)                                                                      \
			return;                                                                    \
	} while (0)

static void load(void)
{
	void *h = dlopen("libgnutls.so.30", RTLD_NOW | RTLD_LOCAL);
	if (!h)
		return;
	SYM(cert_alloc, "gnutls_certificate_allocate_credentials");
	SYM(cert_free, "gnutls_certificate_free_credentials");
	SYM(trust_file, "gnutls_certificate_set_x509_trust_file");
	SYM(key_file, "gnutls_certificate_set_x509_key_file");
	SYM(init, "gnutls_init");
	SYM(deinit, "gnutls_deinit");
	SYM(set_default_priority, "gnutls_set_default_priority");
	SYM(credentials_set, "gnutls_credentials_set");
	SYM(set_verify_cert, "gnutls_session_set_verify_cert");
	SYM(transport_set_int2, "gnutls_transport_set_int2");
	SYM(handshake_set_timeout, "gnutls_handshake_set_timeout");
	SYM(handshake, "gnutls_handshake");
	SYM(record_send, "gnutls_record_send");
	SYM(record_recv, "gnutls_record_recv");
	SYM(record_check_pending, "gnutls_record_check_pending");
	SYM(bye, "gnutls_bye");
	SYM(strerror, "gnutls_strerror");
	SYM(error_is_fatal, "gnutls_error_is_fatal");
	SYM(server_name_set, "gnutls_server_name_set");
	g.loaded = true; /* h stays open: the process uses it until it exits */
}

struct tls_relay {
	gnutls_session_t s;
	gnutls_certificate_credentials_t cred;
	int tcp;    /* the server */
	int local;  /* our end of the socketpair */
	int wakeup; /* tls_relay_close -> thread */
	int wake_w;
	pthread_t thread;
};

static void relay_free(struct tls_relay *r)
{
	if (r->s)
		g.deinit(r->s);
	if (r->cred)
		g.cert_free(r->cred);
	int fds[] = {r->tcp, r->local, r->wakeup, r->wake_w};
	for (size_t i = 0; i < 4; i++) {
		if (fds[i] >= 0)
			close(fds[i]);
	}
	free(r);
}

static int send_all_local(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Local -> TLS and TLS -> local until both directions ended (or either side failed). */
static void *relay_thread(void *arg)
{
	struct tls_relay *r = arg;
	char buf[16384];
	bool up_open = true, down_open = true;
	while (up_open || down_open) {
		if (down_open && g.record_check_pending(r->s) == 0) {
			struct pollfd p[3] = {{.fd = r->tcp, .events = POLLIN},
			                      {.fd = up_open ? r->local : -1, .events = POLLIN},
			                      {.fd = r->wakeup, .events = POLLIN}};
			if (poll(p, 3, -1) < 0) {
				if (errno == EINTR)
					continue;
				break;
			}
			if (p[2].revents)
				break;
			if (p[1].revents) {
				ssize_t n = recv(r->local, buf, sizeof(buf), 0);
				if (n < 0 && errno == EINTR)
					continue;
				if (n <= 0) { /* the client is done sending */
					up_open = false;
					g.bye(r->s, GNUTLS_SHUT_WR);
				} else if (g.record_send(r->s, buf, (size_t)n) < 0) {
					break;
				}
			}
			if (!p[0].revents)
				continue;
		} else if (!down_open) {
			struct pollfd p[2] = {{.fd = r->local, .events = POLLIN},
			                      {.fd = r->wakeup, .events = POLLIN}};
			if (poll(p, 2, -1) < 0 || p[1].revents)
				break;
			ssize_t n = recv(r->local, buf, sizeof(buf), 0);
			if (n <= 0 || g.record_send(r->s, buf, (size_t)n) < 0)
				break;
			continue;
		}
		ssize_t n = g.record_recv(r->s, buf, sizeof(buf));
		if (n == GNUTLS_E_AGAIN || n == GNUTLS_E_INTERRUPTED ||
		    (n < 0 && !g.error_is_fatal((int)n)))
			continue;
		if (n <= 0) { /* the server closed (or the session failed): EOF for the client */
			down_open = false;
			shutdown(r->local, SHUT_WR);
			if (n < 0)
				break;
		} else if (send_all_local(r->local, buf, (size_t)n) < 0) {
			break;
		}
	}
	shutdown(r->local, SHUT_RDWR);
	return NULL;
}

static int fail(struct tls_relay *r, char *err, size_t errlen, const char *fmt, const char *a,
                int code)
{
	snprintf(err, errlen, fmt, a, g.strerror(code));
	relay_free(r);
	return -1;
}

int tls_relay_open(int tcp_fd, const char *host, const struct tls_client_opts *o,
                   struct tls_relay **out, char *err, size_t errlen)
{
	pthread_once(&g_once, load);
	if (!g.loaded) {
		snprintf(err, errlen, "cannot load libgnutls.so.30 for TLS: %s", dlerror());
		close(tcp_fd);
		return -1;
	}
	struct tls_relay *r = calloc(1, sizeof(*r));
	if (!r) {
		close(tcp_fd);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	r->tcp = tcp_fd;
	r->local = r->wakeup = r->wake_w = -1;
	int ret;
	if ((ret = g.cert_alloc(&r->cred)) < 0)
		return fail(r, err, errlen, "%sTLS credentials: %s", "", ret);
	if (o->verify && (ret = g.trust_file(r->cred, o->ca, GNUTLS_X509_FMT_PEM)) <= 0)
		return fail(r, err, errlen, "cannot use the TLS CA certificate %s: %s", o->ca,
		            ret == 0 ? GNUTLS_E_NO_CERTIFICATE_FOUND : ret);
	if (o->cert && o->key &&
	    (ret = g.key_file(r->cred, o->cert, o->key, GNUTLS_X509_FMT_PEM)) < 0) {
		char what[8192];
		snprintf(what, sizeof(what), "%s and key %s", o->cert, o->key);
		return fail(r, err, errlen, "cannot use the TLS certificate %s: %s", what, ret);
	}
	if ((ret = g.init(&r->s, GNUTLS_CLIENT | GNUTLS_NO_SIGNAL)) < 0 ||
	    (ret = g.set_default_priority(r->s)) < 0 ||
	    (ret = g.credentials_set(r->s, GNUTLS_CRD_CERTIFICATE, r->cred)) < 0)
		return fail(r, err, errlen, "%sTLS session: %s", "", ret);
	if (o->verify) /* the CA chain, and the host's IP or name in the certificate */
		g.set_verify_cert(r->s, host, 0);
	g.transport_set_int2(r->s, tcp_fd, tcp_fd);
	g.handshake_set_timeout(r->s, HANDSHAKE_TIMEOUT_MS);
	do {
		ret = g.handshake(r->s);
	} while (ret < 0 && !g.error_is_fatal(ret));
	if (ret < 0)
		return fail(r, err, errlen, "TLS handshake with %s failed: %s", host, ret);
	int sp[2], wp[2];
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sp) < 0) {
		snprintf(err, errlen, "socketpair: %s", strerror(errno));
		relay_free(r);
		return -1;
	}
	r->local = sp[1];
	if (pipe2(wp, O_CLOEXEC) < 0 || (r->wakeup = wp[0], r->wake_w = wp[1],
	                                 pthread_create(&r->thread, NULL, relay_thread, r) != 0)) {
		snprintf(err, errlen, "cannot start the TLS relay: %s", strerror(errno));
		close(sp[0]);
		relay_free(r);
		return -1;
	}
	*out = r;
	return sp[0];
}

void tls_relay_close(struct tls_relay *r)
{
	if (!r)
		return;
	if (write(r->wake_w, "x", 1) < 0) /* the thread also ends on its own: EOF, errors */
		shutdown(r->tcp, SHUT_RDWR);
	pthread_join(r->thread, NULL);
	relay_free(r);
}
