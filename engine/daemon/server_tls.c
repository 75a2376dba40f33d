#include "server_tls.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "core/fileutil.h"
#include "core/log.h"
#include "core/tls_server.h"

#define MAX_PEM (1 << 20)
#define HANDSHAKE_TIMEOUT_MS 10000
#define MAX_LISTENERS 8
#define STOP_WAIT_MS 3000

static char *read_pem(const char *what, const char *file, char *err, size_t errlen)
{
	char *text = read_file(file, MAX_PEM, NULL);
	if (!text)
		snprintf(err, errlen, "cannot read the TLS %s %s: %s", what, file,
		         errno == EFBIG ? "larger than 1 MiB" : strerror(errno));
	return text;
}

static void free_secret(char *s)
{
	if (s) /* a key: not left in freed memory */
		explicit_bzero(s, strlen(s));
	free(s);
}

int server_tls_load(struct server_tls *t, bool verify, const char *ca_file, const char *cert_file,
                    const char *key_file, char *err, size_t errlen)
{
	memset(t, 0, sizeof(*t));
	t->verify = verify;
	char *cert = NULL, *key = NULL, *ca = NULL;
	if ((cert = read_pem("certificate", cert_file, err, errlen)) &&
	    (key = read_pem("key", key_file, err, errlen)) &&
	    (!verify || (ca = read_pem("CA certificate", ca_file, err, errlen))))
		t->srv = tls_server_new(cert, key, ca, cert_file, key_file, ca_file, err, errlen);
	free(cert);
	free_secret(key);
	free(ca);
	return t->srv ? 0 : -1;
}

void server_tls_free(struct server_tls *t)
{
	tls_server_free(t->srv);
	memset(t, 0, sizeof(*t));
}

/* ------------------------------------------------------------------ connections and callers */

/* A connection past its handshake: its plain end (MHD's fd) and who is on the other side. */
struct tls_conn {
	struct tls_conn *next;
	int plain;
	char cn[256];
};

struct listener {
	int fd, stop_r, stop_w;
	struct MHD_Daemon *d;
	const struct server_tls *t;
	unsigned max_connections;
	pthread_t thread;
};

struct accepted {
	struct listener *l;
	int fd;
	struct sockaddr_storage peer;
	socklen_t peer_len;
};

static struct {
	pthread_mutex_t lock;
	pthread_cond_t idle;
	pthread_mutex_t add_lock; /* held while a connection is given to an MHD daemon */
	bool closed;              /* server_tls_stop: the MHD daemons are going away */
	struct tls_conn *conns;   /* newest first: a reused fd number finds its new owner */
	unsigned active;          /* connection threads alive, all listeners */
	struct listener *listeners[MAX_LISTENERS];
	size_t n;
} g_tls = {.lock = PTHREAD_MUTEX_INITIALIZER,
           .idle = PTHREAD_COND_INITIALIZER,
           .add_lock = PTHREAD_MUTEX_INITIALIZER};

/* MHD_add_connection unless the daemons are being stopped (then plain is closed here). */
static bool hand_over(struct MHD_Daemon *d, int plain, const struct accepted *a)
{
	pthread_mutex_lock(&g_tls.add_lock);
	bool ok = !g_tls.closed && MHD_add_connection(d, plain, (const struct sockaddr *)&a->peer,
	                                              a->peer_len) == MHD_YES;
	if (g_tls.closed)
		close(plain);
	pthread_mutex_unlock(&g_tls.add_lock);
	return ok;
}

int server_tls_caller(int fd, char *cn, size_t cnlen)
{
	int ret = -1;
	pthread_mutex_lock(&g_tls.lock);
	for (struct tls_conn *c = g_tls.conns; c; c = c->next) {
		if (c->plain == fd) {
			snprintf(cn, cnlen, "%s", c->cn);
			ret = 0;
			break;
		}
	}
	pthread_mutex_unlock(&g_tls.lock);
	return ret;
}

static void conn_forget(struct tls_conn *c)
{
	pthread_mutex_lock(&g_tls.lock);
	for (struct tls_conn **p = &g_tls.conns; *p; p = &(*p)->next) {
		if (*p == c) {
			*p = c->next;
			break;
		}
	}
	pthread_mutex_unlock(&g_tls.lock);
}

static void peer_text(const struct accepted *a, char *out, size_t outlen)
{
	char ip[64] = "?";
	unsigned port = 0;
	if (a->peer.ss_family == AF_INET) {
		const struct sockaddr_in *s = (const struct sockaddr_in *)&a->peer;
		inet_ntop(AF_INET, &s->sin_addr, ip, sizeof(ip));
		port = ntohs(s->sin_port);
	} else if (a->peer.ss_family == AF_INET6) {
		const struct sockaddr_in6 *s = (const struct sockaddr_in6 *)&a->peer;
		inet_ntop(AF_INET6, &s->sin6_addr, ip, sizeof(ip));
		port = ntohs(s->sin6_port);
	}
	snprintf(out, outlen, "%s:%u", ip, port);
}

/* One connection: the handshake, then the relay between the client and MHD until both end. */
static void *conn_thread(void *arg)
{
	struct accepted *a = arg;
	struct tls_relay *relay = NULL;
	struct tls_conn *c = calloc(1, sizeof(*c));
	char err[512] = "out of memory", who[96];
	int plain = -1;
	peer_text(a, who, sizeof(who));
	if (!c) {
		close(a->fd);
	} else if (tls_server_accept(a->l->t->srv, a->fd, HANDSHAKE_TIMEOUT_MS, &relay, &plain,
	                             c->cn, sizeof(c->cn), err, sizeof(err)) < 0) {
		LOG_WARN("api: TLS client refused (%s): %s", who, err);
	} else {
		c->plain = plain;
		pthread_mutex_lock(&g_tls.lock);
		c->next = g_tls.conns;
		g_tls.conns = c;
		pthread_mutex_unlock(&g_tls.lock);
		/* MHD owns plain from here (and closes it on failure too). */
		if (hand_over(a->l->d, plain, a))
			tls_relay_run(relay);
		else
			LOG_WARN("api: TLS client %s dropped: the server takes no more connections",
			         who);
		conn_forget(c);
		tls_relay_free(relay);
	}
	free(c);
	free(a);
	pthread_mutex_lock(&g_tls.lock);
	if (--g_tls.active == 0)
		pthread_cond_broadcast(&g_tls.idle);
	pthread_mutex_unlock(&g_tls.lock);
	return NULL;
}

static void start_conn(struct listener *l, int fd, const struct sockaddr_storage *peer,
                       socklen_t peer_len)
{
	pthread_mutex_lock(&g_tls.lock);
	bool full = g_tls.active >= l->max_connections;
	if (!full)
		g_tls.active++;
	pthread_mutex_unlock(&g_tls.lock);
	struct accepted *a = full ? NULL : calloc(1, sizeof(*a));
	pthread_attr_t attr;
	pthread_t th;
	if (a) {
		*a = (struct accepted){.l = l, .fd = fd, .peer = *peer, .peer_len = peer_len};
		pthread_attr_init(&attr);
		pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
		pthread_attr_setstacksize(&attr, 256 * 1024);
		int e = pthread_create(&th, &attr, conn_thread, a);
		pthread_attr_destroy(&attr);
		if (e == 0)
			return;
		LOG_WARN("api: cannot start a TLS connection thread: %s", strerror(e));
		free(a);
	}
	close(fd);
	if (full)
		return;
	pthread_mutex_lock(&g_tls.lock);
	if (--g_tls.active == 0)
		pthread_cond_broadcast(&g_tls.idle);
	pthread_mutex_unlock(&g_tls.lock);
}

static void *accept_thread(void *arg)
{
	struct listener *l = arg;
	for (;;) {
		struct pollfd p[2] = {{.fd = l->fd, .events = POLLIN},
		                      {.fd = l->stop_r, .events = POLLIN}};
		if (poll(p, 2, -1) < 0 && errno != EINTR)
			break;
		if (p[1].revents)
			break;
		if (!(p[0].revents & POLLIN))
			continue;
		struct sockaddr_storage peer;
		socklen_t len = sizeof(peer);
		int fd = accept4(l->fd, (struct sockaddr *)&peer, &len, SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno == EMFILE || errno == ENFILE) /* let a connection end first */
				poll(NULL, 0, 50);
			continue;
		}
		int one = 1; /* small records out at once, not after the peer's delayed ACK */
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		start_conn(l, fd, &peer, len);
	}
	return NULL;
}

int server_tls_listen(int fd, struct MHD_Daemon *d, const struct server_tls *t,
                      unsigned max_connections)
{
	int sp[2];
	struct listener *l = g_tls.n < MAX_LISTENERS ? calloc(1, sizeof(*l)) : NULL;
	if (!l || pipe2(sp, O_CLOEXEC) < 0) {
		free(l);
		return -1;
	}
	*l = (struct listener){.fd = fd,
	                       .stop_r = sp[0],
	                       .stop_w = sp[1],
	                       .d = d,
	                       .t = t,
	                       .max_connections = max_connections};
	if (pthread_create(&l->thread, NULL, accept_thread, l) != 0) {
		close(sp[0]);
		close(sp[1]);
		free(l);
		return -1;
	}
	g_tls.listeners[g_tls.n++] = l;
	return 0;
}

void server_tls_stop(void)
{
	pthread_mutex_lock(&g_tls.add_lock);
	g_tls.closed = true;
	pthread_mutex_unlock(&g_tls.add_lock);
	for (size_t i = 0; i < g_tls.n; i++) {
		struct listener *l = g_tls.listeners[i];
		if (write(l->stop_w, "x", 1) < 0)
			shutdown(l->fd, SHUT_RDWR);
		pthread_join(l->thread, NULL);
		close(l->fd);
		close(l->stop_r);
		close(l->stop_w);
		free(l);
	}
	g_tls.n = 0;
}

void server_tls_wait(void)
{
	/* The MHD daemons are stopped: every relay sees its plain end close; a handshake in
	 * progress ends by its own timeout. */
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += STOP_WAIT_MS / 1000;
	pthread_mutex_lock(&g_tls.lock);
	while (g_tls.active > 0 && pthread_cond_timedwait(&g_tls.idle, &g_tls.lock, &until) == 0)
		;
	pthread_mutex_unlock(&g_tls.lock);
}
