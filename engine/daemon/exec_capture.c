#include "exec_capture.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/log.h"
#include "events.h"
#include "exec_session.h"
#include "store.h"

#define KILL_GRACE_MS 2000 /* after the SIGTERM that kills the command's group, for the helper */
#define START_TIMEOUT_MS 30000 /* for the command to start at all (Docker's) */
#define DRAIN_READS                                                                                \
	64 /* reads of what is left once the helper ended (a writer it left                        \
	    * behind must not keep us here) */

static void keep(struct exec_capture *cap, size_t max, const char *buf, size_t n)
{
	size_t room = max - cap->len, take = n < room ? n : room;
	memcpy(cap->out + cap->len, buf, take);
	cap->len += take;
	cap->out[cap->len] = '\0';
	if (take < n)
		cap->truncated = true;
}

/* Reads what fd holds now; false at its end (EOF or an error). */
static bool read_some(int fd, struct exec_capture *cap, size_t max)
{
	char buf[4096];
	ssize_t n = read(fd, buf, sizeof(buf));
	if (n > 0) {
		keep(cap, max, buf, (size_t)n);
		return true;
	}
	return n < 0 && (errno == EINTR || errno == EAGAIN);
}

/* Waits until pidfd's process ended, for at most ms; true if it did. */
static bool wait_exit(int pidfd, int64_t ms)
{
	int64_t deadline = monotonic_ms() + ms;
	for (;;) {
		int64_t left = deadline - monotonic_ms();
		struct pollfd p = {.fd = pidfd, .events = POLLIN};
		int n = poll(&p, 1, left <= 0 ? 0 : (int)left);
		if (n > 0)
			return true;
		if (n == 0 || errno != EINTR)
			return false;
	}
}

enum relay_end { RELAY_ENDED, RELAY_TIMED_OUT, RELAY_NOT_STARTED };

/* Relays the output into cap until the helper ends or a deadline: START_TIMEOUT_MS for the
 * command to start (while *started is open), then timeout_ms from its start (Docker's: the
 * time a start takes is not the check's). */
static enum relay_end relay(int pidfd, int fds[2], int *started, int64_t timeout_ms,
                            struct exec_capture *cap, size_t max)
{
	int64_t deadline = monotonic_ms() + (*started >= 0 ? START_TIMEOUT_MS : timeout_ms);
	for (;;) {
		int64_t left = deadline - monotonic_ms();
		if (left <= 0)
			return *started >= 0 ? RELAY_NOT_STARTED : RELAY_TIMED_OUT;
		struct pollfd p[4] = {{.fd = fds[0], .events = POLLIN},
		                      {.fd = fds[1], .events = POLLIN},
		                      {.fd = pidfd, .events = POLLIN},
		                      {.fd = *started, .events = POLLIN}};
		int n = poll(p, 4, left > INT_MAX ? INT_MAX : (int)left);
		if (n < 0 && errno != EINTR)
			return RELAY_TIMED_OUT;
		for (int i = 0; n > 0 && i < 2; i++) {
			if (p[i].revents && !read_some(fds[i], cap, max)) {
				close(fds[i]);
				fds[i] = -1;
			}
		}
		if (n > 0 && p[2].revents)
			return RELAY_ENDED;
		if (n > 0 && p[3].revents) {
			close(*started);
			*started = -1;
			deadline = monotonic_ms() + timeout_ms;
		}
	}
}

static void drain(int fds[2], struct exec_capture *cap, size_t max)
{
	for (int i = 0; i < 2; i++) {
		for (int r = 0; fds[i] >= 0 && r < DRAIN_READS; r++) {
			char buf[4096];
			ssize_t n = read(fds[i], buf, sizeof(buf));
			if (n <= 0)
				break;
			keep(cap, max, buf, (size_t)n);
		}
	}
}

static void emit_action(struct exec_session *s, const char *what)
{
	char *action = exec_session_action(s, what);
	events_emit(s->c, action ? action : what, "execID", s->id, NULL);
	free(action);
}

void exec_capture_run(struct container *c, char **argv, const char *user, int64_t timeout_ms,
                      size_t max, struct exec_capture *cap)
{
	memset(cap, 0, sizeof(*cap));
	cap->exit_code = -1;
	cap->out = calloc(1, max + 1);
	if (!cap->out) {
		snprintf(cap->err, sizeof(cap->err), "out of memory");
		return;
	}
	struct error e = {.msg = ""};
	struct exec_session *s =
	    exec_session_new(c, argv, NULL, user, NULL, false, false, true, true, &e);
	if (!s) {
		snprintf(cap->err, sizeof(cap->err), "%s", e.msg);
		return;
	}
	s->health_check = true;
	emit_action(s, "exec_create"); /* as Docker does for its health checks */
	struct exec_stdio io;
	int started = exec_session_start(s, false, &io, &e);
	if (started != -1)
		emit_action(s, "exec_start");
	if (started < 0) {
		snprintf(cap->err, sizeof(cap->err), "%s", e.msg);
		exec_session_put(s);
		return;
	}
	store_lock();
	pid_t pid = s->pid;
	store_unlock();
	int fds[2] = {io.out, io.err};
	for (int i = 0; i < 2; i++) {
		if (fds[i] >= 0)
			fcntl(fds[i], F_SETFL, fcntl(fds[i], F_GETFL) | O_NONBLOCK);
	}
	int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	enum relay_end end = RELAY_NOT_STARTED;
	if (pidfd < 0)
		snprintf(cap->err, sizeof(cap->err), "pidfd_open of the exec helper: %s",
		         strerror(errno));
	else
		end = relay(pidfd, fds, &io.started, timeout_ms, cap, max);
	bool ended = end == RELAY_ENDED;
	if (!ended) {
		cap->timed_out = end == RELAY_TIMED_OUT;
		if (pidfd >= 0 && end == RELAY_NOT_STARTED)
			snprintf(cap->err, sizeof(cap->err),
			         "timed out starting the health check (%ds)",
			         START_TIMEOUT_MS / 1000);
		kill(pid, SIGTERM); /* the helper kills the command's whole group */
		if (pidfd < 0 || !wait_exit(pidfd, KILL_GRACE_MS)) {
			LOG_WARN("exec %s in %s: the helper outlived its SIGTERM: killed", s->id,
			         c->id);
			kill(pid, SIGKILL);
		}
	}
	drain(fds, cap, max);
	int status = 0;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	exec_session_ended(s, status);
	for (int i = 0; i < 2; i++) {
		if (fds[i] >= 0)
			close(fds[i]);
	}
	if (io.started >= 0)
		close(io.started);
	if (pidfd >= 0)
		close(pidfd);
	store_lock();
	if (ended)
		cap->exit_code = s->exit_code;
	store_unlock();
	exec_session_put(s);
}

void exec_capture_free(struct exec_capture *cap)
{
	free(cap->out);
	cap->out = NULL;
}
