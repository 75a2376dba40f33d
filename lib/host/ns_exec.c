#include "host/ns_exec.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* The order of joining: the user namespace first (it owns the others), the mount namespace
 * last (nothing after it resolves a path). */
static const struct {
	int flag;
	const char *file; /* in /proc/PID/ns */
	const char *name; /* in messages */
} kinds[NS_EXEC_KINDS] = {
    {CLONE_NEWUSER, "user", "user"},       {CLONE_NEWIPC, "ipc", "IPC"},
    {CLONE_NEWNET, "net", "network"},      {CLONE_NEWUTS, "uts", "UTS"},
    {CLONE_NEWCGROUP, "cgroup", "cgroup"}, {CLONE_NEWPID, "pid", "PID"},
    {CLONE_NEWNS, "mnt", "mount"},
};

static bool same_file(int fd, const char *path)
{
	struct stat a, b;
	return fstat(fd, &a) == 0 && stat(path, &b) == 0 && a.st_dev == b.st_dev &&
	       a.st_ino == b.st_ino;
}

static void init_target(struct ns_target *t, pid_t pid, int flags)
{
	t->pid = pid;
	t->pidfd = -1;
	t->flags = flags & NS_EXEC_ALL;
	for (int k = 0; k < NS_EXEC_KINDS; k++)
		t->fd[k] = -1;
}

int ns_target_open(pid_t pid, int flags, struct ns_target *t, char *err, size_t errlen)
{
	init_target(t, pid, flags);
	if (pid == 0) {
		t->flags &= ~CLONE_NEWUSER;
		return 0;
	}
	t->pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (t->pidfd < 0) {
		int saved = errno;
		snprintf(err, errlen, "pid %d: %s", (int)pid,
		         errno == ESRCH ? "no such process (the container has exited)"
		                        : strerror(errno));
		errno = saved;
		return -1;
	}
	for (int k = 0; k < NS_EXEC_KINDS; k++) {
		if (!(t->flags & kinds[k].flag))
			continue;
		char path[64];
		snprintf(path, sizeof(path), "/proc/%d/ns/%s", (int)pid, kinds[k].file);
		t->fd[k] = open(path, O_RDONLY | O_CLOEXEC);
		if (t->fd[k] < 0) {
			int saved = errno;
			snprintf(err, errlen, "cannot open %s: %s", path, strerror(errno));
			ns_target_close(t);
			errno = saved;
			return -1;
		}
		/* setns into our own user namespace is refused (EINVAL), and needless. */
		if (kinds[k].flag == CLONE_NEWUSER && same_file(t->fd[k], "/proc/self/ns/user")) {
			close(t->fd[k]);
			t->fd[k] = -1;
			t->flags &= ~CLONE_NEWUSER;
		}
	}
	return 0;
}

int ns_target_fd(const struct ns_target *t, int flag)
{
	for (int k = 0; k < NS_EXEC_KINDS; k++) {
		if (kinds[k].flag == flag)
			return t->fd[k];
	}
	return -1;
}

void ns_target_close(struct ns_target *t)
{
	for (int k = 0; k < NS_EXEC_KINDS; k++) {
		if (t->fd[k] >= 0)
			close(t->fd[k]);
		t->fd[k] = -1;
	}
	if (t->pidfd >= 0)
		close(t->pidfd);
	t->pidfd = -1;
}

/* What the child tells the caller besides the callback's result. */
struct shared {
	int stage; /* the kind it could not join, UNSHARE_FAILED, FORK_FAILED; -1: none */
	int err;
	int died; /* the grandchild ended by a signal */
	/* Aligned for any type: callbacks cast it to their own result struct. */
	_Alignas(max_align_t) char result[];
};
#define UNSHARE_FAILED NS_EXEC_KINDS
#define FORK_FAILED (NS_EXEC_KINDS + 1)

static void fail(struct shared *sh, int stage)
{
	sh->stage = stage;
	sh->err = errno;
	_exit(1);
}

static int g_deadline_ms = NS_EXEC_DEADLINE_MS;

void ns_exec_set_deadline_ms(int ms)
{
	g_deadline_ms = ms > 0 ? ms : NS_EXEC_DEADLINE_MS;
}

static int64_t monotonic_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Descriptors no helper child may keep (a lock it would hold past its parent's death). */
#define CLOSE_MAX 8
static int g_close_fds[CLOSE_MAX] = {-1, -1, -1, -1, -1, -1, -1, -1};

int ns_exec_close_in_children(int fd)
{
	for (int i = 0; i < CLOSE_MAX; i++) {
		if (g_close_fds[i] < 0) {
			g_close_fds[i] = fd;
			return 0;
		}
	}
	errno = ENOSPC;
	return -1;
}

void ns_exec_forget_fd(int fd)
{
	for (int i = 0; i < CLOSE_MAX; i++)
		if (g_close_fds[i] == fd)
			g_close_fds[i] = -1;
}

/* The child: no allocation, no lock (the caller may have other threads). */
static void child(const struct ns_target *t, ns_exec_fn fn, void *arg, struct shared *sh)
{
	/* Killed with its parent (a caller killed while the child hangs on a filesystem of the
	 * container's), and holding none of the caller's locks meanwhile. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	for (int i = 0; i < CLOSE_MAX; i++)
		if (g_close_fds[i] >= 0)
			close(g_close_fds[i]);
	if (t->pid == 0 && t->flags && unshare(t->flags) < 0)
		fail(sh, UNSHARE_FAILED);
	for (int k = 0; t->pid > 0 && k < NS_EXEC_KINDS; k++) {
		if (t->fd[k] < 0)
			continue;
		if (setns(t->fd[k], kinds[k].flag) < 0)
			fail(sh, k);
		if (kinds[k].flag == CLONE_NEWUSER &&
		    (setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0))
			fail(sh, k);
	}
	if (!(t->flags & CLONE_NEWPID))
		_exit(fn(arg, sh->result) & 0xff);
	pid_t g = fork();
	if (g < 0)
		fail(sh, FORK_FAILED);
	if (g == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		_exit(fn(arg, sh->result) & 0xff);
	}
	int status;
	while (waitpid(g, &status, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(status))
		sh->died = 1;
	_exit(WIFEXITED(status) ? WEXITSTATUS(status) : 1);
}

/* Waits until child c has ended (not reaped) or ms pass: true when it ended. */
static bool wait_deadline(pid_t c, int ms)
{
	int fd = (int)syscall(SYS_pidfd_open, c, 0);
	if (fd < 0)
		return true; /* cannot watch: waitpid will wait */
	struct pollfd p = {.fd = fd, .events = POLLIN};
	int64_t end = monotonic_ms() + ms;
	int n = 0;
	for (int64_t left = ms; left > 0; left = end - monotonic_ms()) {
		n = poll(&p, 1, (int)left);
		if (n != 0 && !(n < 0 && errno == EINTR))
			break;
	}
	close(fd);
	return n != 0;
}

int ns_target_run(const struct ns_target *t, ns_exec_fn fn, void *arg, void *result,
                  size_t result_len, char *err, size_t errlen)
{
	if (t->pidfd >= 0 && syscall(SYS_pidfd_send_signal, t->pidfd, 0, NULL, 0) < 0) {
		snprintf(err, errlen, "pid %d has exited", (int)t->pid);
		errno = ESRCH;
		return -1;
	}
	size_t size = sizeof(struct shared) + result_len;
	struct shared *sh =
	    mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED) {
		snprintf(err, errlen, "mmap: %s", strerror(errno));
		return -1;
	}
	sh->stage = -1;
	pid_t c = fork();
	if (c < 0) {
		int saved = errno;
		snprintf(err, errlen, "fork: %s", strerror(errno));
		munmap(sh, size);
		errno = saved;
		return -1;
	}
	if (c == 0)
		child(t, fn, arg, sh);
	bool late = !wait_deadline(c, g_deadline_ms);
	if (late)
		kill(c, SIGKILL);
	int status = 0;
	while (waitpid(c, &status, 0) < 0 && errno == EINTR)
		;
	int ret, saved = 0;
	if (late) {
		saved = ETIMEDOUT;
		snprintf(err, errlen,
		         "the helper process in pid %d's namespaces did not finish within %d ms "
		         "(a hung filesystem in the container?): killed",
		         (int)t->pid, g_deadline_ms);
		ret = -1;
	} else if (sh->stage >= 0) {
		saved = sh->err;
		if (sh->stage < NS_EXEC_KINDS)
			snprintf(err, errlen, "cannot enter the %s namespace of pid %d: %s",
			         kinds[sh->stage].name, (int)t->pid, strerror(saved));
		else
			snprintf(err, errlen, "%s: %s",
			         sh->stage == UNSHARE_FAILED ? "unshare" : "fork", strerror(saved));
		ret = -1;
	} else if (!WIFEXITED(status) || sh->died) {
		saved = ECHILD;
		snprintf(err, errlen, "the helper process in pid %d's namespaces died",
		         (int)t->pid);
		ret = -1;
	} else {
		if (result_len > 0)
			memcpy(result, sh->result, result_len);
		ret = WEXITSTATUS(status);
	}
	munmap(sh, size);
	if (ret < 0)
		errno = saved;
	return ret;
}

int ns_exec(pid_t pid, int flags, ns_exec_fn fn, void *arg, void *result, size_t result_len,
            char *err, size_t errlen)
{
	struct ns_target t;
	if (ns_target_open(pid, flags, &t, err, errlen) < 0)
		return -1;
	int ret = ns_target_run(&t, fn, arg, result, result_len, err, errlen);
	int saved = errno;
	ns_target_close(&t);
	errno = saved;
	return ret;
}
