#include "stream_relay.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/fileutil.h"
#include "core/log.h"

#define CTRL_P 0x10
#define CTRL_Q 0x11

ssize_t relay_detach_scan(const char *buf, size_t len, int *state)
{
	for (size_t i = 0; i < len; i++) {
		if (*state && buf[i] == CTRL_Q)
			return -1;
		*state = buf[i] == CTRL_P;
	}
	return (ssize_t)len;
}

/* One chunk of output to the client: raw for a tty, else framed with its stream number. */
int relay_send_output(int sock, bool tty, int stream, const char *data, size_t n)
{
	if (tty)
		return sock_send_all(sock, data, n);
	unsigned char hdr[8] = {(unsigned char)stream,
	                        0,
	                        0,
	                        0,
	                        (unsigned char)(n >> 24),
	                        (unsigned char)(n >> 16),
	                        (unsigned char)(n >> 8),
	                        (unsigned char)n};
	if (sock_send_all(sock, (const char *)hdr, sizeof(hdr)) < 0)
		return -1;
	return sock_send_all(sock, data, n);
}

/* Writes to the process's stdin (non-blocking fd), giving up when *stop is raised: a process
 * that does not read its stdin must not hold the relay once the client has gone. */
static int write_input(int fd, const char *p, size_t n, const bool *stop)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w > 0) {
			p += w;
			n -= (size_t)w;
			continue;
		}
		if (w < 0 && errno != EAGAIN && errno != EINTR)
			return -1;
		if (__atomic_load_n(stop, __ATOMIC_ACQUIRE))
			return -1;
		struct pollfd pf = {.fd = fd, .events = POLLOUT};
		poll(&pf, 1, 200);
	}
	return 0;
}

/* Forwards client input; a pending Ctrl-P is held back until we know what follows it. */
static int forward_input(const struct relay_fds *f, const char *buf, size_t n, int *scan,
                         const bool *stop)
{
	if (!f->tty) { /* detach keys belong to terminals: binary stdin passes untouched */
		if (f->in_fd >= 0)
			write_input(f->in_fd, buf, n, stop);
		return 0;
	}
	int was_pending = *scan;
	ssize_t fwd = relay_detach_scan(buf, n, scan);
	if (fwd < 0)
		return -1;
	if (f->in_fd < 0)
		return 0;
	if (was_pending && buf[0] != CTRL_Q && write_input(f->in_fd, "\x10", 1, stop) < 0)
		return 0;
	size_t len = (size_t)fwd - (*scan ? 1 : 0);
	if (len)
		write_input(f->in_fd, buf, len, stop); /* a closed stdin drops input */
	return 0;
}

struct relay_input {
	pthread_t thread;
	struct relay_fds *f;
	const char *early;
	size_t early_len;
	bool detached;
	bool stop; /* atomic: the output side is over, give up writing */
};

/* Client → process, in a thread of its own: a process that is not reading its stdin must not
 * stop its output from reaching the client. */
static void *input_thread(void *arg)
{
	struct relay_input *in = arg;
	struct relay_fds *f = in->f;
	char buf[32768];
	int scan = 0;
	bool detach =
	    in->early_len && forward_input(f, in->early, in->early_len, &scan, &in->stop) < 0;
	while (!detach) {
		ssize_t n = read(f->sock, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break; /* the client closed its sending side, or went away */
		detach = forward_input(f, buf, (size_t)n, &scan, &in->stop) < 0;
	}
	if (detach) {
		in->detached = true;
		shutdown(f->sock, SHUT_RDWR); /* ends the output side too */
	} else if (f->close_in_on_eof && f->in_fd >= 0) {
		close(f->in_fd);
		f->in_fd = -1;
	}
	return NULL;
}

struct relay_input *relay_input_start(struct relay_fds *f, const char *early, size_t early_len)
{
	struct relay_input *in = calloc(1, sizeof(*in));
	if (!in)
		return NULL;
	*in = (struct relay_input){.f = f, .early = early, .early_len = early_len};
	if (f->in_fd >= 0) {
		int ifl = fcntl(f->in_fd, F_GETFL);
		if (ifl >= 0)
			fcntl(f->in_fd, F_SETFL, ifl | O_NONBLOCK);
	}
	if (pthread_create(&in->thread, NULL, input_thread, in) != 0) {
		free(in);
		return NULL;
	}
	return in;
}

bool relay_input_stop(struct relay_input *in)
{
	if (!in)
		return false;
	/* Wake the reader (if still reading or writing) and wait for it. */
	__atomic_store_n(&in->stop, true, __ATOMIC_RELEASE);
	shutdown(in->f->sock, SHUT_RD);
	pthread_join(in->thread, NULL);
	bool detached = in->detached;
	free(in);
	return detached;
}

enum relay_end relay_run(struct relay_fds *f, const char *early, size_t early_len)
{
	/* The server may hand over a non-blocking socket; this relay blocks. */
	int fl = fcntl(f->sock, F_GETFL);
	if (fl >= 0 && (fl & O_NONBLOCK))
		fcntl(f->sock, F_SETFL, fl & ~O_NONBLOCK);
	struct relay_input *in = relay_input_start(f, early, early_len);
	enum relay_end end = RELAY_DONE;
	char buf[32768];
	bool out_open = f->out_fd >= 0, err_open = f->err_fd >= 0;
	while (out_open || err_open) {
		/* The socket only for hang-ups: a detach (our own shutdown) or a client gone. */
		struct pollfd p[3] = {
		    {.fd = out_open ? f->out_fd : -1, .events = POLLIN},
		    {.fd = err_open ? f->err_fd : -1, .events = POLLIN},
		    {.fd = f->sock, .events = 0},
		};
		if (poll(p, 3, -1) < 0) {
			if (errno == EINTR)
				continue;
			end = RELAY_CLIENT_GONE;
			break;
		}
		if (p[2].revents & (POLLHUP | POLLERR)) {
			LOG_DEBUG("relay: client socket hung up (revents 0x%x)", p[2].revents);
			end = RELAY_CLIENT_GONE;
			break;
		}
		for (int i = 0; i < 2; i++) {
			if (!p[i].revents)
				continue;
			ssize_t n = read(p[i].fd, buf, sizeof(buf));
			if (n < 0 && (errno == EINTR || errno == EAGAIN))
				continue;
			if (n <= 0) { /* EOF, or EIO from a pty master whose slave is gone */
				if (i == 0)
					out_open = false;
				else
					err_open = false;
				continue;
			}
			if (relay_send_output(f->sock, f->tty, i + 1, buf, (size_t)n) < 0) {
				LOG_DEBUG("relay: send to the client failed: %s", strerror(errno));
				end = RELAY_CLIENT_GONE;
				out_open = err_open = false;
				break;
			}
		}
	}
	return relay_input_stop(in) ? RELAY_DETACHED : end;
}
