#include "stream_relay.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

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

static int write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static int send_all(int sock, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = send(sock, p, n, MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* One chunk of output to the client: raw for a tty, else framed with its stream number. */
int relay_send_output(int sock, bool tty, int stream, const char *data, size_t n)
{
	if (tty)
		return send_all(sock, data, n);
	unsigned char hdr[8] = {(unsigned char)stream,
	                        0,
	                        0,
	                        0,
	                        (unsigned char)(n >> 24),
	                        (unsigned char)(n >> 16),
	                        (unsigned char)(n >> 8),
	                        (unsigned char)n};
	if (send_all(sock, (const char *)hdr, sizeof(hdr)) < 0)
		return -1;
	return send_all(sock, data, n);
}

/* Forwards client input; the pending Ctrl-P is held back until we know what follows it. */
static int forward_input(const struct relay_fds *f, const char *buf, size_t n, int *scan)
{
	int was_pending = *scan;
	ssize_t fwd = relay_detach_scan(buf, n, scan);
	if (fwd < 0)
		return -1;
	if (f->in_fd < 0)
		return 0;
	if (was_pending && buf[0] != CTRL_Q && write_all(f->in_fd, "\x10", 1) < 0)
		return 0;
	size_t len = (size_t)fwd - (*scan ? 1 : 0);
	if (len && write_all(f->in_fd, buf, len) < 0)
		return 0; /* the process closed its stdin: drop input, keep the output going */
	return 0;
}

enum relay_end relay_run(struct relay_fds *f, const char *early, size_t early_len)
{
	char buf[32768];
	int scan = 0;
	if (early_len && forward_input(f, early, early_len, &scan) < 0)
		return RELAY_DETACHED;
	bool sock_open = true, out_open = f->out_fd >= 0, err_open = f->err_fd >= 0;
	while (out_open || err_open) {
		struct pollfd p[3] = {
		    {.fd = sock_open ? f->sock : -1, .events = POLLIN},
		    {.fd = out_open ? f->out_fd : -1, .events = POLLIN},
		    {.fd = err_open ? f->err_fd : -1, .events = POLLIN},
		};
		if (poll(p, 3, -1) < 0) {
			if (errno == EINTR)
				continue;
			return RELAY_CLIENT_GONE;
		}
		if (p[0].revents) {
			ssize_t n = read(f->sock, buf, sizeof(buf));
			if (n > 0) {
				if (forward_input(f, buf, (size_t)n, &scan) < 0)
					return RELAY_DETACHED;
			} else if (n == 0 || errno != EINTR) {
				/* The client closed its sending side (or went away): end of input.
				 */
				sock_open = false;
				if (f->close_in_on_eof && f->in_fd >= 0) {
					close(f->in_fd);
					f->in_fd = -1;
				}
			}
		}
		for (int i = 1; i < 3; i++) {
			if (!p[i].revents)
				continue;
			ssize_t n = read(p[i].fd, buf, sizeof(buf));
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0) { /* EOF, or EIO from a pty master whose slave is gone */
				if (i == 1)
					out_open = false;
				else
					err_open = false;
				continue;
			}
			if (relay_send_output(f->sock, f->tty, i, buf, (size_t)n) < 0)
				return RELAY_CLIENT_GONE;
		}
	}
	return RELAY_DONE;
}
