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
#include <sys/stat.h>
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

/* How long an attach with logs=1 that finds the console gone waits for the run to be seen
 * ended (its monitor gave the console up on the way out). */
#define TTY_GONE_WAIT_MS 3000

/* Bound on a run's console log sent as its history (the log's default size). */
#define TTY_LOG_REPLAY_MAX (1 << 20)

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

static bool tty_log_open(struct container *c, int fd[2]);
static void tty_log_close(int fd[2]);

/* The run's console log (tty_log_mark), at most max bytes: the history when liblxc's ring
 * buffer cannot be read any more (a run that is ending: its monitor no longer answers). */
static char *tty_log_read(struct container *c, size_t max, size_t *len)
{
	int lfd[2];
	*len = 0;
	char *buf = tty_log_open(c, lfd) ? malloc(max) : NULL;
	for (int i = 0; buf && i < 2; i++) {
		ssize_t n;
		while (lfd[i] >= 0 && *len < max && (n = read(lfd[i], buf + *len, max - *len)) > 0)
			*len += (size_t)n;
	}
	tty_log_close(lfd);
	return buf;
}

/* The console output of the run so far (kept by liblxc, or its console log when liblxc no
 * longer answers), then what came since the console was taken. Output written after the take
 * is both at the end of the history and waiting on the console: that shared stretch is sent
 * once. */
static void replay_console(struct console_attach *a, int fd)
{
	size_t len, pending_len;
	char *log = runtime_console_log(a->con, &len);
	if (!log)
		log = tty_log_read(a->c, TTY_LOG_REPLAY_MAX, &len);
	char *pending = drain_ready(a->ptx, REPLAY_PENDING_MAX, &pending_len);
	/* liblxc logs the output before it passes it on here: on a loaded host the end of the
	 * history may still be on its way, and would come again after it. A moment's wait for
	 * it when there is history and nothing pending yet. */
	struct pollfd p = {.fd = a->ptx, .events = POLLIN};
	if (log && len > 0 && pending && pending_len == 0 && poll(&p, 1, REPLAY_CATCH_UP_MS) > 0) {
		free(pending);
		pending = drain_ready(a->ptx, REPLAY_PENDING_MAX, &pending_len);
	}
	/* the live output can carry "\r\r\n" where liblxc's history has "\r\n" (its peer
	 * terminal adds a CR) */
	size_t shared =
	    log && pending ? overlap_suffix_prefix_crlf(log, len, pending, pending_len) : 0;
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

/* A -t container whose run ended before its console could be taken (a foreground run -t or
 * start -a of a command that ends at once: the console goes with the run): the run's output
 * from its console log (tty_log_mark), the rotated part first. */

/* path opened read-only when it is the file (dev, ino), else -1. */
static int open_same_file(const char *path, dev_t dev, ino_t ino)
{
	int fd = path ? open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW) : -1;
	struct stat st;
	if (fd >= 0 && (fstat(fd, &st) < 0 || st.st_dev != dev || st.st_ino != ino)) {
		close(fd);
		fd = -1;
	}
	return fd;
}

/* fd[0]: the run's first console log if it was rotated since, fd[1]: the current one (-1 when
 * none). false when the run's log is not known. */
static bool tty_log_open(struct container *c, int fd[2])
{
	fd[0] = fd[1] = -1;
	store_lock();
	bool valid = c->tty_log_mark.valid;
	dev_t dev = c->tty_log_mark.dev;
	ino_t ino = c->tty_log_mark.ino;
	store_unlock();
	if (!valid)
		return false;
	char *path = log_config_path(c->id), *rotated = NULL;
	if (path && asprintf(&rotated, "%s.1", path) < 0)
		rotated = NULL;
	fd[1] = open_same_file(path, dev, ino);
	if (fd[1] < 0) { /* rotated: the earlier part is in .1 */
		fd[0] = open_same_file(rotated, dev, ino);
		fd[1] = path ? open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW) : -1;
	}
	free(path);
	free(rotated);
	return fd[0] >= 0 || fd[1] >= 0;
}

static void tty_log_send(int fd[2], int sock)
{
	char buf[16384];
	for (int i = 0; i < 2; i++) {
		ssize_t n;
		while (fd[i] >= 0 && (n = read(fd[i], buf, sizeof(buf))) > 0)
			if (sock_send_all(sock, buf, (size_t)n) < 0)
				return;
	}
}

static void tty_log_close(int fd[2])
{
	for (int i = 0; i < 2; i++)
		if (fd[i] >= 0)
			close(fd[i]);
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

/* A running -t container whose console cannot be taken: when its run ends within wait_ms (the
 * console went with it) and its log is known, the stream of the run's output is set up. */
static bool tty_log_replay_start(struct response *resp, struct container *c, int wait_ms);

/* A -t container attached to before it runs (start -a, run -t: as Docker's clients, before
 * the start): the stream waits for the run, then relays its console (with what liblxc kept
 * of it: all of the run's output), or, when the run ended before the console could be taken,
 * sends its console log. Counted as a log reader, so --rm waits for it. */
struct tty_pending {
	struct container *c; /* referenced */
	unsigned exits_before;
	bool in;
	struct winsize ws; /* the last resize asked before the console was taken */
	bool ws_set;
	struct tty_pending *next;
};

static struct tty_pending *g_pending; /* under the store lock */

/* How long a pending attach tries to take the console of a run it saw start. */
#define TTY_TAKE_WAIT_MS 3000

static void tty_pending_free(void *cls)
{
	struct tty_pending *p = cls;
	store_lock();
	for (struct tty_pending **pp = &g_pending; *pp; pp = &(*pp)->next) {
		if (*pp == p) {
			*pp = p->next;
			break;
		}
	}
	p->c->log_readers--;
	store_broadcast();
	store_unlock();
	store_put(p->c);
	free(p);
}

enum tty_run { TTY_WAITING, TTY_RUNNING, TTY_ENDED, TTY_GONE };

static enum tty_run tty_run_state(const struct tty_pending *p)
{
	if (p->c->removed)
		return TTY_GONE;
	if (p->c->exits != p->exits_before)
		return TTY_ENDED;
	return p->c->state.status == STATUS_RUNNING ? TTY_RUNNING : TTY_WAITING;
}

static void tty_pending_stream(void *cls, int fd, const char *early, size_t early_len)
{
	struct tty_pending *p = cls;
	enum tty_run st;
	for (;;) {
		store_lock();
		st = tty_run_state(p);
		if (st == TTY_WAITING)
			store_wait_change(monotonic_ms() + 200);
		store_unlock();
		if (st != TTY_WAITING)
			break;
		if (client_left(fd)) {
			st = TTY_GONE;
			break;
		}
	}
	int ptx = -1;
	struct runtime_console *con = NULL;
	int64_t deadline = monotonic_ms() + TTY_TAKE_WAIT_MS;
	while (st == TTY_RUNNING && !(con = runtime_console_take(p->c->id, &ptx))) {
		if (monotonic_ms() > deadline || client_left(fd)) {
			st = TTY_GONE;
			break;
		}
		struct timespec ts = {0, 50 * 1000000};
		nanosleep(&ts, NULL);
		store_lock();
		st = tty_run_state(p);
		store_unlock();
	}
	struct console_attach *a = con ? calloc(1, sizeof(*a)) : NULL;
	if (con && !a) {
		close(ptx);
		runtime_console_release(con);
	} else if (a) {
		*a = (struct console_attach){
		    .c = p->c, .con = con, .ptx = ptx, .in = p->in, .replay = true};
		store_lock();
		p->c->refs++; /* a's own */
		if (p->ws_set)
			ioctl(ptx, TIOCSWINSZ, &p->ws);
		a->next = g_attached;
		g_attached = a;
		store_unlock();
		console_stream(a, fd, early, early_len); /* frees a */
	} else if (st == TTY_ENDED) {
		int lfd[2];
		if (tty_log_open(p->c, lfd))
			tty_log_send(lfd, fd);
		tty_log_close(lfd);
	}
	tty_pending_free(p);
}

static void tty_attach_pending(struct response *resp, struct container *c, bool in)
{
	struct tty_pending *p = calloc(1, sizeof(*p));
	if (!p) {
		resp_error(resp, 500, "out of memory");
		store_put(c);
		return;
	}
	p->c = c;
	p->in = in;
	store_lock();
	p->exits_before = c->exits;
	c->log_readers++;
	p->next = g_pending;
	g_pending = p;
	store_unlock();
	events_emit(c, "attach", NULL);
	resp_upgrade(resp, "application/vnd.docker.raw-stream", tty_pending_stream, p,
	             tty_pending_free);
}

static bool tty_log_replay_start(struct response *resp, struct container *c, int wait_ms)
{
	int64_t deadline = monotonic_ms() + wait_ms;
	store_lock();
	while (c->state.status == STATUS_RUNNING && !c->removed && monotonic_ms() < deadline)
		store_wait_change(deadline);
	bool ended = c->state.status != STATUS_RUNNING;
	store_unlock();
	if (!ended)
		return false;
	struct tty_pending *p = calloc(1, sizeof(*p));
	if (!p)
		return false;
	/* A pending attach that finds the run ended: it sends the log. */
	p->c = c;
	store_lock();
	p->exits_before = c->exits - 1;
	c->log_readers++;
	p->next = g_pending;
	g_pending = p;
	store_unlock();
	resp_upgrade(resp, "application/vnd.docker.raw-stream", tty_pending_stream, p,
	             tty_pending_free);
	return true;
}

void route_container_attach(const struct request *req, struct response *resp)
{
	struct container *c = route_find_container(req, resp);
	if (!c)
		return;
	store_lock();
	bool running = c->state.status == STATUS_RUNNING;
	bool tty = c->config.tty;
	store_unlock();
	struct console_attach *a = NULL;
	struct runtime_console *con = NULL;
	/* Without a tty the output is followed in the log until the next exit, whatever the
	 * state: as Docker's daemon, which lets `start -a` attach to a stopped container before
	 * starting it (its CLI's `attach` refuses a stopped one itself, as isula's does). */
	if (!tty) {
		attach_log(req, resp, c);
		return;
	}
	bool replay = req_query_bool(req, "logs");
	const char *in = req_query(req, "stdin");
	bool want_in = !in || strcmp(in, "1") == 0 || strcmp(in, "true") == 0;
	if (!running) {
		tty_attach_pending(resp, c, want_in);
		return;
	}
	int ptx = -1;
	con = runtime_console_take(c->id, &ptx);
	if (!con && replay && tty_log_replay_start(resp, c, TTY_GONE_WAIT_MS))
		return;
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
	*a = (struct console_attach){
	    .c = c, .con = con, .ptx = ptx, .in = want_in, .replay = replay};
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
	for (struct tty_pending *p = g_pending; p; p = p->next) {
		if (p->c == c) {
			p->ws = ws;
			p->ws_set = true;
		}
	}
	store_unlock();
	store_put(c);
	resp_empty(resp, 200);
}
