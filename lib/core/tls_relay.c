#include "core/tls_relay.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/tls_gnutls.h"

#define RELAY_BUF 16384

/* One direction: bytes read from one side and not yet written to the other. */
struct lane {
	char buf[RELAY_BUF];
	size_t off, len;
	bool open;     /* its source may still send */
	bool eof_sent; /* its EOF was passed on */
};

struct tls_relay {
	const struct tls_gnutls *g;
	gnutls_session_t s;
	gnutls_certificate_credentials_t cred;
	int tcp, plain, wakeup, wake_w;
	pthread_t thread;
	bool spawned;
	bool tls_send_blocked; /* a record_send returned AGAIN: repeat it with NULL, 0 */
	struct lane up;        /* plain -> TLS */
	struct lane down;      /* TLS -> plain */
	int send_err;          /* a record_send failed with this */
	char err[256];
	int err_set; /* atomic: err is complete */
};

static void set_nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);
	if (fl >= 0)
		fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

struct tls_relay *tls_relay_new(void *session, void *cred, int tcp_fd, int *plain, char *err,
                                size_t errlen)
{
	const struct tls_gnutls *g = tls_gnutls(err, errlen);
	struct tls_relay *r = g ? calloc(1, sizeof(*r)) : NULL;
	int sp[2] = {-1, -1}, wp[2] = {-1, -1};
	if (r && socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sp) == 0 &&
	    pipe2(wp, O_CLOEXEC) == 0) {
		*r = (struct tls_relay){.g = g,
		                        .s = session,
		                        .cred = cred,
		                        .tcp = tcp_fd,
		                        .plain = sp[1],
		                        .wakeup = wp[0],
		                        .wake_w = wp[1]};
		r->up.open = r->down.open = true;
		set_nonblock(tcp_fd);
		set_nonblock(sp[1]);
		*plain = sp[0];
		return r;
	}
	if (g)
		snprintf(err, errlen, "cannot start the TLS relay: %s", strerror(errno));
	for (int i = 0; i < 2; i++) {
		if (sp[i] >= 0)
			close(sp[i]);
		if (wp[i] >= 0)
			close(wp[i]);
	}
	free(r);
	if (g && session)
		g->deinit(session);
	if (g && cred)
		g->cert_free(cred);
	close(tcp_fd);
	return NULL;
}

static void fail(struct tls_relay *r, int code)
{
	if (__atomic_load_n(&r->err_set, __ATOMIC_ACQUIRE))
		return;
	tls_gnutls_error(r->g, r->s, code, r->err, sizeof(r->err));
	__atomic_store_n(&r->err_set, 1, __ATOMIC_RELEASE);
}

const char *tls_relay_error(struct tls_relay *r)
{
	return r && __atomic_load_n(&r->err_set, __ATOMIC_ACQUIRE) ? r->err : NULL;
}

static bool again(ssize_t n)
{
	return n == GNUTLS_E_AGAIN || n == GNUTLS_E_INTERRUPTED;
}

/* Plain -> TLS: read when the lane is empty, send what it holds, then close_notify once the
 * plain side ended. false when the session failed. */
static bool step_up(struct tls_relay *r, bool readable)
{
	struct lane *l = &r->up;
	if (readable && l->open && l->len == 0) {
		ssize_t n = recv(r->plain, l->buf, sizeof(l->buf), 0);
		if (n > 0) {
			l->off = 0;
			l->len = (size_t)n;
		} else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
			l->open = false;
		}
	}
	while (l->off < l->len) {
		ssize_t n = r->tls_send_blocked
		                ? r->g->record_send(r->s, NULL, 0)
		                : r->g->record_send(r->s, l->buf + l->off, l->len - l->off);
		r->tls_send_blocked = again(n);
		if (r->tls_send_blocked)
			return true;
		if (n < 0) {
			/* Nothing more goes up; what the peer sent before (an alert saying why)
			 * is still read, and reported before this. */
			r->send_err = (int)n;
			l->open = false;
			l->off = l->len = 0;
			l->eof_sent = true;
			return true;
		}
		l->off += (size_t)n;
	}
	l->off = l->len = 0;
	if (!l->open && !l->eof_sent) {
		int ret = r->g->bye(r->s, GNUTLS_SHUT_WR);
		if (ret == GNUTLS_E_AGAIN || ret == GNUTLS_E_INTERRUPTED)
			return true;
		l->eof_sent = true; /* sent, or the peer is gone: either way nothing more goes up */
	}
	return true;
}

/* TLS -> plain: receive a record when the lane is empty, write it to the plain side, and
 * shutdown(SHUT_WR) the plain side once the peer ended. false when the session failed. */
static bool step_down(struct tls_relay *r, bool readable)
{
	struct lane *l = &r->down;
	if (readable && l->open && l->len == 0) {
		ssize_t n = r->g->record_recv(r->s, l->buf, sizeof(l->buf));
		if (n > 0) {
			l->off = 0;
			l->len = (size_t)n;
		} else if (n == 0 || n == GNUTLS_E_PREMATURE_TERMINATION) {
			l->open = false; /* close_notify, or a bare TCP close: the peer's EOF */
		} else if (!again(n) && r->g->error_is_fatal((int)n)) {
			fail(r, (int)n);
			return false;
		}
	}
	while (l->off < l->len) {
		ssize_t n = send(r->plain, l->buf + l->off, l->len - l->off, MSG_NOSIGNAL);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return true;
		if (n <= 0)
			return false; /* the plain side is gone */
		l->off += (size_t)n;
	}
	l->off = l->len = 0;
	if (!l->open && !l->eof_sent) {
		shutdown(r->plain, SHUT_WR);
		l->eof_sent = true;
	}
	return true;
}

void tls_relay_run(struct tls_relay *r)
{
	for (;;) {
		bool up_done = r->up.eof_sent, down_done = r->down.eof_sent;
		if (up_done && down_done)
			break;
		bool pending = r->down.open && r->down.len == 0 && r->g->record_check_pending(r->s);
		struct pollfd p[3] = {
		    {.fd = r->tcp}, {.fd = r->plain}, {.fd = r->wakeup, .events = POLLIN}};
		if (r->tls_send_blocked)
			p[0].events |= POLLOUT;
		if (r->down.open && r->down.len == 0)
			p[0].events |= POLLIN;
		if (r->up.open && r->up.len == 0)
			p[1].events |= POLLIN;
		if (r->down.len > 0)
			p[1].events |= POLLOUT;
		if (!p[0].events) /* nothing wanted of it: its HUP must not make poll spin */
			p[0].fd = -1;
		if (poll(p, 3, pending ? 0 : -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (p[2].revents)
			break;
		/* The plain side closed both ways (POLLHUP): after what it wrote has gone up,
		 * nothing can be delivered to it any more. */
		bool plain_gone = (p[1].revents & (POLLHUP | POLLERR)) != 0;
		if (!step_up(r, (p[1].revents & (POLLIN | POLLHUP | POLLERR)) != 0))
			break;
		if (plain_gone && !r->up.open && r->up.len == 0)
			break;
		if (!step_down(r, pending || (p[0].revents & (POLLIN | POLLHUP | POLLERR))))
			break;
	}
	if (r->send_err)
		fail(r, r->send_err);
	shutdown(r->plain, SHUT_RDWR); /* the plain side sees EOF whatever ended the relay */
}

static void *relay_thread(void *arg)
{
	tls_relay_run(arg);
	return NULL;
}

int tls_relay_spawn(struct tls_relay *r, char *err, size_t errlen)
{
	int e = pthread_create(&r->thread, NULL, relay_thread, r);
	if (e == 0) {
		r->spawned = true;
		return 0;
	}
	snprintf(err, errlen, "cannot start the TLS relay: %s", strerror(e));
	tls_relay_free(r);
	return -1;
}

void tls_relay_free(struct tls_relay *r)
{
	if (!r)
		return;
	if (r->s)
		r->g->deinit(r->s);
	if (r->cred)
		r->g->cert_free(r->cred);
	int fds[] = {r->tcp, r->plain, r->wakeup, r->wake_w};
	for (size_t i = 0; i < 4; i++) {
		if (fds[i] >= 0)
			close(fds[i]);
	}
	free(r);
}

void tls_relay_close(struct tls_relay *r)
{
	if (!r)
		return;
	if (r->spawned) {
		if (write(r->wake_w, "x", 1) < 0) /* it also ends on its own: EOF, errors */
			shutdown(r->tcp, SHUT_RDWR);
		pthread_join(r->thread, NULL);
	}
	tls_relay_free(r);
}
