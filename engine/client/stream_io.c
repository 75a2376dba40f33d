/* The client side of hijacked connections (exec, attach): the terminal in raw mode for -t,
 * stdin to the daemon, its output to stdout/stderr (demultiplexed without a tty), and the
 * window size sent along at start and on every SIGWINCH. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <termios.h>
#include <unistd.h>

#include "client.h"
#include "core/fileutil.h"

void stream_send_size(const struct client *cl, const char *resize_path)
{
	struct winsize ws;
	if (!resize_path || ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) < 0 || ws.ws_row == 0)
		return;
	char path[512];
	snprintf(path, sizeof(path), "%s?h=%u&w=%u", resize_path, ws.ws_row, ws.ws_col);
	struct api_response r;
	if (api_call(cl, "POST", path, NULL, &r) == 0)
		api_response_free(&r);
}

/* Splits Docker's framed stream: [stream,0,0,0,size BE32] headers, then payloads. */
struct demux {
	unsigned char hdr[8];
	size_t have_hdr;
	uint32_t left;
	int out_fd;
};

static void demux_feed(struct demux *d, const char *p, size_t n)
{
	while (n > 0) {
		if (d->left == 0) {
			size_t take = sizeof(d->hdr) - d->have_hdr;
			if (take > n)
				take = n;
			memcpy(d->hdr + d->have_hdr, p, take);
			d->have_hdr += take;
			p += take;
			n -= take;
			if (d->have_hdr < sizeof(d->hdr))
				return;
			d->have_hdr = 0;
			d->left = (uint32_t)d->hdr[4] << 24 | (uint32_t)d->hdr[5] << 16 |
			          (uint32_t)d->hdr[6] << 8 | d->hdr[7];
			d->out_fd = d->hdr[0] == 2 ? STDERR_FILENO : STDOUT_FILENO;
			continue;
		}
		size_t take = n < d->left ? n : d->left;
		fd_write_all(d->out_fd, p, take);
		d->left -= (uint32_t)take;
		p += take;
		n -= take;
	}
}

struct stdin_pump {
	int sock;
	bool tty;      /* detach keys exist only with a tty */
	bool detached; /* atomic */
};

/* stdin → daemon in a thread of its own: a blocking send must never keep us from reading the
 * output the daemon is trying to send (both sides would wait for each other). */
static void *pump_stdin(void *arg)
{
	struct stdin_pump *p = arg;
	char buf[32768];
	bool prev_ctrl_p = false;
	for (;;) {
		ssize_t n = read(STDIN_FILENO, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		/* The daemon detaches on Ctrl-P Ctrl-Q; noting it here tells a detach from the end
		 * of the process. */
		for (ssize_t i = 0; i < n; i++) {
			if (p->tty && prev_ctrl_p && buf[i] == 0x11)
				__atomic_store_n(&p->detached, true, __ATOMIC_RELEASE);
			prev_ctrl_p = buf[i] == 0x10;
		}
		if (sock_send_all(p->sock, buf, (size_t)n) < 0)
			goto out;
	}
	shutdown(p->sock, SHUT_WR); /* end of input for the process */
out:
	close(p->sock);
	return NULL;
}

int stream_run(const struct client *cl, struct http_conn *conn, bool tty, bool send_stdin,
               const char *resize_path)
{
	struct termios saved;
	bool raw =
	    tty && send_stdin && isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &saved) == 0;
	if (raw) {
		struct termios t = saved;
		cfmakeraw(&t);
		tcsetattr(STDIN_FILENO, TCSANOW, &t);
	}
	sigset_t winch;
	sigemptyset(&winch);
	sigaddset(&winch, SIGWINCH);
	sigprocmask(SIG_BLOCK, &winch, NULL);
	int sfd = tty ? signalfd(-1, &winch, SFD_CLOEXEC) : -1;
	if (tty)
		stream_send_size(cl, resize_path);

	struct demux d = {0};
	char buf[32768];
	/* Output that arrived with the response head. */
	if (conn->len > conn->pos) {
		if (tty)
			fd_write_all(STDOUT_FILENO, conn->buf + conn->pos, conn->len - conn->pos);
		else
			demux_feed(&d, conn->buf + conn->pos, conn->len - conn->pos);
		conn->pos = conn->len;
	}
	/* The pump thread is never joined: it may sit in read(stdin) after the end; the process
	 * exits soon after and takes it along. */
	static struct stdin_pump pump_state; /* one stream per process; outlives this call */
	struct stdin_pump *pump = NULL;
	if (send_stdin) {
		pump = &pump_state;
		pump->tty = tty;
		pthread_t t;
		/* Its own descriptor of the socket: the caller may close conn's meanwhile. */
		pump->sock = fcntl(conn->fd, F_DUPFD_CLOEXEC, 3);
		if (pump->sock >= 0 && pthread_create(&t, NULL, pump_stdin, pump) == 0) {
			pthread_detach(t);
		} else {
			if (pump->sock >= 0)
				close(pump->sock);
			pump = NULL;
		}
	}
	int ret = 0;
	for (;;) {
		struct pollfd p[2] = {{.fd = conn->fd, .events = POLLIN},
		                      {.fd = sfd, .events = POLLIN}};
		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			ret = -1;
			break;
		}
		if (p[1].revents) {
			struct signalfd_siginfo si;
			if (read(sfd, &si, sizeof(si)) > 0)
				stream_send_size(cl, resize_path);
		}
		if (p[0].revents) {
			ssize_t n = read(conn->fd, buf, sizeof(buf));
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				break; /* the daemon closed the stream: the process is done (or
				          detached) */
			if (tty)
				fd_write_all(STDOUT_FILENO, buf, (size_t)n);
			else
				demux_feed(&d, buf, (size_t)n);
		}
	}
	if (ret == 0 && pump && __atomic_load_n(&pump->detached, __ATOMIC_ACQUIRE))
		ret = 1;
	if (pump)
		shutdown(conn->fd, SHUT_RDWR); /* a late stdin read goes nowhere */
	if (raw)
		tcsetattr(STDIN_FILENO, TCSANOW, &saved);
	if (sfd >= 0)
		close(sfd);
	sigprocmask(SIG_UNBLOCK, &winch, NULL);
	return ret;
}
