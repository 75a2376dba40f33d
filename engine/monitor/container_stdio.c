#include "container_stdio.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "engine/json_log.h"

/* The monitor's signal to the copier: the init has exited, write out what is left. */
#define DRAIN_SIGNAL SIGUSR1
#define PIPE_SIZE (1 << 20)

/* One read from a pipe into the log; false once the pipe is at its end (or failed). */
static bool copy_some(int fd, enum json_log_stream s, struct json_log_writer *w, char *buf,
                      size_t cap)
{
	ssize_t n;
	do
		n = read(fd, buf, cap);
	while (n < 0 && errno == EINTR);
	if (n > 0)
		json_log_writer_feed(w, s, buf, (size_t)n, NULL);
	return n > 0 || (n < 0 && errno == EAGAIN);
}

/* The copier process: pipes to the log until both reach their end, or until told to drain
 * (then everything already in the pipes is written and it stops: the init and with it every
 * process of the container is gone, but a stray holder of a write end must not keep the
 * monitor waiting). */
static int run_copier(const struct monitor_stdio_opts *o, int out_fd, int err_fd, int sig_fd)
{
	struct json_log_writer *w =
	    json_log_writer_open(o->log_path, o->log_max_size, o->log_max_file);
	if (!w) {
		fprintf(stderr, "isulad-monitor: cannot open %s: %s\n", o->log_path,
		        strerror(errno));
		return 1;
	}
	size_t cap = 64 * 1024;
	char *buf = malloc(cap);
	int fds[2] = {out_fd, err_fd};
	bool open_[2] = {true, true}, draining = false;
	while (buf && (open_[0] || open_[1])) {
		struct pollfd p[3] = {{.fd = open_[0] ? fds[0] : -1, .events = POLLIN},
		                      {.fd = open_[1] ? fds[1] : -1, .events = POLLIN},
		                      {.fd = sig_fd, .events = POLLIN}};
		int ret = poll(p, draining ? 2 : 3, draining ? 0 : -1);
		if (ret < 0 && errno == EINTR)
			continue;
		if (ret <= 0)
			break; /* draining and nothing left */
		for (int i = 0; i < 2; i++) {
			if (open_[i] && p[i].revents)
				open_[i] = copy_some(fds[i], i ? JSON_LOG_STDERR : JSON_LOG_STDOUT,
				                     w, buf, cap);
		}
		if (!draining && p[2].revents) {
			draining = true;
			fcntl(fds[0], F_SETFL, O_NONBLOCK);
			fcntl(fds[1], F_SETFL, O_NONBLOCK);
		}
	}
	free(buf);
	json_log_writer_close(w);
	return 0;
}

static void close_pair(int p[2])
{
	for (int i = 0; i < 2; i++) {
		if (p[i] >= 0)
			close(p[i]);
		p[i] = -1;
	}
}

/* The copier's side of the fork: pipes to the log, then exits. Its lock goes first: the
 * monitor, which reports the exit once the lock is free, then waits for the last byte in the
 * log, not for this process's teardown as well. */
static _Noreturn void copier_child(const struct monitor_stdio_opts *o, int out[2], int err[2],
                                   const sigset_t *drain, int lock)
{
	close(out[1]);
	close(err[1]);
	int sfd = signalfd(-1, drain, SFD_CLOEXEC);
	int ret = run_copier(o, out[0], err[0], sfd);
	close(lock);
	_exit(ret);
}

/* A grandchild of the monitor (two forks): its pid, or -1. */
static pid_t fork_grandchild_copier(const struct monitor_stdio_opts *o, int out[2], int err[2],
                                    const sigset_t *drain, int lock)
{
	int ready[2];
	if (pipe2(ready, O_CLOEXEC) < 0)
		return -1;
	pid_t pid = fork();
	if (pid == 0) {
		close(ready[0]);
		pid_t copier = fork();
		if (copier == 0) {
			close(ready[1]);
			copier_child(o, out, err, drain, lock);
		}
		_exit(copier < 0 ||
		      write(ready[1], &copier, sizeof(copier)) != (ssize_t)sizeof(copier));
	}
	close(ready[1]);
	pid_t copier = 0;
	if (pid > 0) {
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
		if (read(ready[0], &copier, sizeof(copier)) != (ssize_t)sizeof(copier) ||
		    copier <= 0) {
			copier = -1;
			errno = ECHILD;
		}
	}
	int saved = errno;
	close(ready[0]);
	errno = saved;
	return pid < 0 ? -1 : copier;
}

/* The copier is not the monitor's child: after a start that fails past the clone (a failing
 * start-host hook, say), liblxc waits for every child of the monitor (waitpid(-1)), which
 * would wait forever for a copier that waits for the monitor. It is the monitor's sibling when
 * the monitor's parent reaps every child of its own (the spare forker; one fork), else its
 * grandchild (two). liblxc also closes our other fds at start, so the copier's end is seen
 * through a lock it holds on the monitor's own log until its last byte is written: taken here
 * and inherited, so it is held before the monitor goes on. */
static int start_copier(const struct monitor_stdio_opts *o, struct monitor_stdio *st)
{
	int out[2] = {-1, -1}, err[2] = {-1, -1}, lock = -1;
	if (!o->own_log || pipe2(out, O_CLOEXEC) < 0 || pipe2(err, O_CLOEXEC) < 0)
		goto fail;
	lock = open(o->own_log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (lock < 0 || flock(lock, LOCK_EX) < 0)
		goto fail;
	/* Bigger pipes: a chatty container blocks less often on the copier. */
	fcntl(out[1], F_SETPIPE_SZ, PIPE_SIZE);
	fcntl(err[1], F_SETPIPE_SZ, PIPE_SIZE);
	sigset_t drain, old;
	sigemptyset(&drain);
	sigaddset(&drain, DRAIN_SIGNAL);
	/* Blocked before the fork, so a drain request sent at once is never lost. */
	sigprocmask(SIG_BLOCK, &drain, &old);
	pid_t copier;
	if (o->reaper > 0 && getppid() == o->reaper) {
		/* fork() has no flags: the raw clone (single-threaded here, as liblxc needs). */
		copier = (pid_t)syscall(SYS_clone, CLONE_PARENT | SIGCHLD, NULL, NULL, NULL, NULL);
		if (copier == 0)
			copier_child(o, out, err, &drain, lock);
	} else {
		copier = fork_grandchild_copier(o, out, err, &drain, lock);
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (copier < 0 || dup2(out[1], 1) < 0 || dup2(err[1], 2) < 0)
		goto fail;
	close(lock); /* the copier's copy holds it */
	close_pair(out);
	close_pair(err);
	st->copier = copier;
	return 0;
fail:;
	int saved = errno;
	if (lock >= 0)
		close(lock);
	close_pair(out);
	close_pair(err);
	errno = saved;
	return -1;
}

static int point_at(const char *path, int flags, int target)
{
	int fd = open(path, flags | O_CLOEXEC, 0600);
	if (fd < 0)
		return -1;
	int ret = dup2(fd, target);
	close(fd);
	return ret < 0 ? -1 : 0;
}

int monitor_stdio_setup(const struct monitor_stdio_opts *o, struct monitor_stdio *st)
{
	st->copier = 0;
	/* O_RDWR: the init never sees EOF while no writer has the FIFO open (docker -i). With
	 * stdin-once it reads only (opened without waiting for a writer), so the attach that
	 * holds the FIFO ends the init's input when it closes it. */
	const char *in = o->stdin_fifo ? o->stdin_fifo : "/dev/null";
	int in_flags = o->stdin_fifo && o->stdin_once ? O_RDONLY | O_NONBLOCK : O_RDWR;
	if (point_at(in, in_flags, 0) < 0 || (in_flags & O_NONBLOCK && fcntl(0, F_SETFL, 0) < 0)) {
		fprintf(stderr, "isulad-monitor: cannot open stdin %s: %s\n", in, strerror(errno));
		return -1;
	}
	if (!o->log_path)
		return point_at("/dev/null", O_RDWR, 1) == 0 &&
		               point_at("/dev/null", O_RDWR, 2) == 0
		           ? 0
		           : -1;
	if (start_copier(o, st) < 0) {
		fprintf(stderr, "isulad-monitor: cannot start the log copier: %s\n",
		        strerror(errno));
		return -1;
	}
	return 0;
}

void monitor_stdio_finish(const struct monitor_stdio_opts *o, struct monitor_stdio *st)
{
	/* Our write ends go first, so the copier sees the end of both pipes when it can. */
	if (!o->own_log || point_at(o->own_log, O_WRONLY | O_APPEND | O_CREAT, 1) < 0)
		point_at("/dev/null", O_RDWR, 1);
	dup2(1, 2);
	if (st->copier <= 0)
		return;
	/* The copier holds the lock until its last byte is in the log: free means it is done
	 * and exiting (never signal a pid that may have been reused). */
	int lock = open(o->own_log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (lock >= 0 && flock(lock, LOCK_EX | LOCK_NB) < 0) {
		kill(st->copier, DRAIN_SIGNAL);
		while (flock(lock, LOCK_EX) < 0 && errno == EINTR)
			;
	}
	if (lock >= 0)
		close(lock);
	st->copier = 0;
}
