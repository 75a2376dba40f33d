/* attach: POST /containers/{id}/attach (hijacked) and /containers/{id}/resize. A -t container's
 * console belongs to its liblxc monitor; liblxc lends it out (console_getfd) to one attacher at
 * a time, as lxc-console does. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <time.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "events.h"
#include "core/fileutil.h"
#include "engine/json_log.h"
#include "log_config.h"
#include "core/log.h"
#include "core/overlap.h"
#include "routes.h"
#include "runtime.h"
#include "store.h"
#include "stream_relay.h"

struct console_attach {
	struct container *c;         /* referenced */
	struct runtime_console *con; /* the console is ours while we hold it */
	int ptx;
	bool in;
	bool replay; /* logs=1: first what liblxc's console ring buffer holds */
	struct console_attach *next;
};

/* Bound on the console output read at an attach before the relay takes over. */
#define REPLAY_PENDING_MAX (256 << 10)

static struct console_attach *g_attached; /* under the store lock */

static void attach_free(struct console_attach *a)
{
	store_lock();
	for (struct console_attach **pp = &g_attached; *pp; pp = &(*pp)->next) {
		if (*pp == a) {
			*pp = a->next;
			break;
		}
	}
	store_unlock();
	close(a->ptx);
	runtime_console_release(a->con);
	store_put(a->c);
	free(a);
}

#define REPLAY_CATCH_UP_MS 100

/* What the console has ready to read now (at most max bytes), without waiting. */
static char *drain_ready(int fd, size_t max, size_t *len)
{
	char *buf = malloc(max);
	*len = 0;
	while (buf && *len < max) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		if (poll(&p, 1, 0) <= 0 || !(p.revents & POLLIN))
			break;
		ssize_t n = read(fd, buf + *len, max - *len);
		if (n <= 0)
			break;
		*len += (size_t)n;
	}
	return buf;
}

/* The console output of the run so far (kept by liblxc), then what came since the console
 * was taken. Output written after the take is both at the end of the history and waiting on
 * the console: that shared stretch is sent once. */
static void replay_console(struct console_attach *a, int fd)
{
	size_t len, pending_len;
	char *log = runtime_console_log(a->con, &len);
	char *pending = drain_ready(a->ptx, REPLAY_PENDING_MAX, &pending_len);
	/* liblxc logs the output before it passes it on here: on a loaded host the end of the
	 * history may still be on its way, and would come again after it. A moment's wait for
	 * it when there is history and nothing pending yet. */
	struct pollfd p = {.fd = a->ptx, .events = POLLIN};
	if (log && len > 0 && pending && pending_len == 0 && poll(&p, 1, REPLAY_CATCH_UP_MS) > 0) {
		free(pending);
		pending = drain_ready(a->ptx, REPLAY_PENDING_MAX, &pending_len);
	}
	size_t shared = log && pending ? overlap_suffix_prefix(log, len, pending, pending_len) : 0;
	if (shared == (size_t)-1)
		shared = 0;
	if (log && len > 0)
		sock_send_all(fd, log, len);
	if (pending && pending_len > shared)
		sock_send_all(fd, pending + shared, pending_len - shared);
	free(log);
	free(pending);
}

static void console_stream(void *cls, int fd, const char *early, size_t early_len)
{
	struct console_attach *a = cls;
	if (a->replay)
		replay_console(a, fd);
	struct relay_fds f = {.sock = fd,
	                      .in_fd = a->in ? a->ptx : -1,
	                      .out_fd = a->ptx,
	                      .err_fd = -1,
	                      .tty = true,
	                      .close_in_on_eof = false};
	enum relay_end end = relay_run(&f, early, early_len);
	LOG_DEBUG("attach to %s ended (%d)", a->c->id, (int)end);
	attach_free(a);
}

static void console_never_attached(void *cls)
{
	attach_free(cls);
}

/* A container without a tty: its output as written to its json-file log from the moment of
 * the attach on, until its next exit. Attaching to a created container before starting it
 * (what a foreground `isula run` does) so gets all of the run's output. */
struct log_attach {
	struct container *c; /* referenced */
	struct json_log_reader *r;
	unsigned exits_before;
	bool want[3];
	struct relay_fds in; /* in.in_fd: the stdin FIFO when the client sends input, else -1 */
};

static void log_attach_free(void *cls)
{
	struct log_attach *a = cls;
	if (a->in.in_fd >= 0)
		close(a->in.in_fd);
	json_log_reader_close(a->r);
	store_lock();
	a->c->log_readers--;
	store_broadcast();
	store_unlock();
	store_put(a->c);
	free(a);
}

/* A client that closed its socket (not one that only ended its sending side: the Docker CLI
 * does that when it has no stdin to send). */
static bool client_left(int fd)
{
	struct pollfd p = {.fd = fd, .events = 0};
	return poll(&p, 1, 0) > 0 && (p.revents & (POLLHUP | POLLERR));
}

static void log_attach_stream(void *cls, int fd, const char *early, size_t early_len)
{
	struct log_attach *a = cls;
	int fl = fcntl(fd, F_GETFL);
	if (fl >= 0)
		fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
	struct relay_input *input = NULL;
	if (a->in.in_fd >= 0) {
		a->in.sock = fd;
		input = relay_input_start(&a->in, early, early_len);
	}
	bool exited_seen = false;
	for (;;) {
		struct json_log_entry e;
		int ret = json_log_reader_next(a->r, &e);
		if (ret == 1) {
			int st = e.stream == JSON_LOG_STDERR ? 2 : 1;
			if (a->want[st] && relay_send_output(fd, false, st, e.data, e.len) < 0)
				break;
			continue;
		}
		if (ret != 0 || exited_seen)
			break; /* error, or all of the output of the exit that we saw */
		store_lock();
		/* The monitor writes the log out before it records the exit: one more read after
		 * the exit reaches the end. */
		exited_seen = a->c->exits != a->exits_before || a->c->removed;
		store_unlock();
		if (exited_seen)
			json_log_reader_wait(a->r, 0); /* take in what was written meanwhile */
		else {
			if (client_left(fd))
				break;
			json_log_reader_wait(a->r, 200);
		}
	}
	relay_input_stop(input);
	log_attach_free(a);
}

static void attach_log(const struct request *req, struct response *resp, struct container *c)
{
	char *path = log_config_path(c->id);
	struct json_log_read_opts o = {.tail = -1, .follow = true};
	clock_gettime(CLOCK_REALTIME, &o.since);
	struct log_attach *a = calloc(1, sizeof(*a));
	if (a && path)
		a->r = json_log_reader_open(path, &o);
	free(path);
	if (!a || !a->r) {
		resp_error(resp, 500, "cannot follow the log of %s: %s", c->id, strerror(errno));
		free(a);
		store_put(c);
		return;
	}
	/* The client's input goes to the init's stdin FIFO (-i containers). With StdinOnce
	 * (run -i) the end of that input is the end of the init's. */
	a->in = (struct relay_fds){.in_fd = -1, .out_fd = -1, .err_fd = -1};
	if (req_query_bool(req, "stdin") && c->config.open_stdin) {
		char err[512];
		a->in.in_fd = runtime_open_stdin(c, err, sizeof(err));
		a->in.close_in_on_eof = c->config.stdin_once;
		if (a->in.in_fd < 0) {
			resp_error(resp, 500, "%s", err);
			json_log_reader_close(a->r);
			free(a);
			store_put(c);
			return;
		}
	}
	const char *out = req_query(req, "stdout"), *err = req_query(req, "stderr");
	a->want[1] = !out || req_query_bool(req, "stdout");
	a->want[2] = !err || req_query_bool(req, "stderr");
	a->c = c;
	store_lock();
	a->exits_before = c->exits;
	c->log_readers++;
	store_unlock();
	events_emit(c, "attach", NULL);
	resp_upgrade(resp, "application/vnd.docker.multiplexed-stream", log_attach_stream, a,
	             log_attach_free);
}

void route_container_attach(const struct request *req, struct response *resp)
{
	struct container *c = route_find_container(req, resp);
	if (!c)
		return;
	store_lock();
	bool running = c->state.status == STATUS_RUNNING;
	bool created = c->state.status == STATUS_CREATED;
	bool tty = c->config.tty;
	store_unlock();
	struct console_attach *a = NULL;
	struct runtime_console *con = NULL;
	if (!tty && (running || created)) {
		attach_log(req, resp, c);
		return;
	}
	if (!running) {
		resp_error(resp, 409, "You cannot attach to a stopped container, start it first");
		goto fail;
	}
	int ptx = -1;
	con = runtime_console_take(c->id, &ptx);
	if (!con) {
		resp_error(
		    resp, 409,
		    "cannot attach to the console of %s: it is in use by another attach, or the "
		    "container has no console",
		    c->id);
		goto fail;
	}
	a = calloc(1, sizeof(*a));
	if (!a) {
		close(ptx);
		runtime_console_release(con);
		con = NULL;
		resp_error(resp, 500, "out of memory");
		goto fail;
	}
	const char *in = req_query(req, "stdin");
	*a = (struct console_attach){.c = c,
	                             .con = con,
	                             .ptx = ptx,
	                             .in = !in || strcmp(in, "1") == 0 || strcmp(in, "true") == 0,
	                             .replay = req_query_bool(req, "logs")};
	store_lock();
	a->next = g_attached;
	g_attached = a;
	store_unlock();
	events_emit(c, "attach", NULL);
	resp_upgrade(resp, "application/vnd.docker.raw-stream", console_stream, a,
	             console_never_attached);
	return;
fail:
	runtime_console_release(con);
	store_put(c);
}

void route_container_resize(const struct request *req, struct response *resp)
{
	const char *h = req_query(req, "h"), *w = req_query(req, "w");
	long rows = h ? strtol(h, NULL, 10) : 0, cols = w ? strtol(w, NULL, 10) : 0;
	if (rows <= 0 || rows > 65535 || cols <= 0 || cols > 65535) {
		resp_error(resp, 400, "invalid terminal size h=%s w=%s: expected 1..65535 each",
		           h ? h : "", w ? w : "");
		return;
	}
	struct container *c = route_find_container(req, resp);
	if (!c)
		return;
	struct winsize ws = {.ws_row = (unsigned short)rows, .ws_col = (unsigned short)cols};
	store_lock();
	for (struct console_attach *a = g_attached; a; a = a->next) {
		if (a->c == c)
			ioctl(a->ptx, TIOCSWINSZ, &ws);
	}
	store_unlock();
	store_put(c);
	resp_empty(resp, 200);
}
