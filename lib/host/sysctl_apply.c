#include "host/sysctl_apply.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/strv.h"

struct sysctl_write {
	char path[512];
	const char *value;
};

/* What the writing child reports when a step fails. */
struct failure {
	int index; /* the entry that failed, or -1 for joining the namespaces */
	int err;
};

static void report(int fd, int index, int err)
{
	struct failure f = {index, err};
	if (write(fd, &f, sizeof(f)) < 0)
		_exit(3);
	_exit(1);
}

static int join(pid_t pid, const char *ns)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/ns/%s", (int)pid, ns);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int ret = setns(fd, 0);
	close(fd);
	return ret;
}

static void do_writes(const struct sysctl_write *w, size_t n, int fd)
{
	for (size_t i = 0; i < n; i++) {
		int f = open(w[i].path, O_WRONLY | O_CLOEXEC);
		size_t len = strlen(w[i].value);
		if (f < 0 || write(f, w[i].value, len) != (ssize_t)len)
			report(fd, (int)i, errno);
		close(f);
	}
	_exit(0);
}

/* True if pid's user namespace is not ours (a --user-remap container). */
static bool other_userns(pid_t pid)
{
	char path[64];
	struct stat a, b;
	snprintf(path, sizeof(path), "/proc/%d/ns/user", (int)pid);
	return stat(path, &a) == 0 && stat("/proc/self/ns/user", &b) == 0 &&
	       (a.st_ino != b.st_ino || a.st_dev != b.st_dev);
}

/* The namespaces the keys live in: net.* the network one, kernel.pid_max the PID one, the
 * rest (kernel.msg*, sem, shm*, fs.mqueue.*) the IPC one. */
static int ns_flags(char *const *kv)
{
	int flags = 0;
	for (size_t i = 0; kv[i]; i++) {
		if (strncmp(kv[i], "net.", 4) == 0)
			flags |= CLONE_NEWNET;
		else if (strncmp(kv[i], "kernel.pid_max=", 15) == 0)
			flags |= CLONE_NEWPID;
		else
			flags |= CLONE_NEWIPC;
	}
	return flags;
}

/* The child: into the namespaces, then (for the PID namespace to apply) a grandchild. No
 * allocation here: the daemon that forks us has other threads. */
static void child(const struct sysctl_write *w, size_t n, pid_t pid, int flags, int fd)
{
	if (pid > 0) {
		/* The /proc/sys files of namespaces that a user namespace owns are writable by
		 * that namespace's root (or with CAP_SYS_RESOURCE, which a host root may lack). */
		if (other_userns(pid) &&
		    (join(pid, "user") < 0 || setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0))
			report(fd, -1, errno);
		if (((flags & CLONE_NEWIPC) && join(pid, "ipc") < 0) ||
		    ((flags & CLONE_NEWNET) && join(pid, "net") < 0) ||
		    ((flags & CLONE_NEWPID) && join(pid, "pid") < 0))
			report(fd, -1, errno);
	} else if (unshare(flags) < 0) {
		report(fd, -1, errno);
	}
	pid_t g = fork();
	if (g < 0)
		report(fd, -1, errno);
	if (g == 0)
		do_writes(w, n, fd);
	int status;
	while (waitpid(g, &status, 0) < 0 && errno == EINTR)
		;
	_exit(WIFEXITED(status) ? WEXITSTATUS(status) : 2);
}

int sysctl_apply(char *const *kv, pid_t pid, char *err, size_t errlen)
{
	size_t n = strv_len(kv);
	if (n == 0)
		return 0;
	struct sysctl_write *w = calloc(n, sizeof(*w));
	if (!w) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		const char *eq = strchr(kv[i], '=');
		size_t klen = eq ? (size_t)(eq - kv[i]) : strlen(kv[i]);
		snprintf(w[i].path, sizeof(w[i].path), "/proc/sys/%.*s", (int)klen, kv[i]);
		for (char *p = w[i].path + 10; *p; p++) {
			if (*p == '.')
				*p = '/';
		}
		w[i].value = eq ? eq + 1 : "";
	}
	int pfd[2];
	if (pipe2(pfd, O_CLOEXEC) < 0) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		free(w);
		return -1;
	}
	pid_t c = fork();
	if (c == 0) {
		close(pfd[0]);
		child(w, n, pid, ns_flags(kv), pfd[1]);
	}
	close(pfd[1]);
	struct failure f = {-1, 0};
	ssize_t got = c > 0 ? read(pfd[0], &f, sizeof(f)) : -1;
	int status = 0;
	while (c > 0 && waitpid(c, &status, 0) < 0 && errno == EINTR)
		;
	close(pfd[0]);
	int ret = 0;
	if (c < 0) {
		snprintf(err, errlen, "fork: %s", strerror(errno));
		ret = -1;
	} else if (got == (ssize_t)sizeof(f) && f.index >= 0) {
		const char *why = f.err == ENOENT ? "no such kernel parameter" : strerror(f.err);
		snprintf(err, errlen, "Invalid sysctl %s: %s", kv[f.index], why);
		ret = -1;
	} else if (got == (ssize_t)sizeof(f) || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		snprintf(err, errlen, "cannot enter the container's namespaces to set sysctls: %s",
		         strerror(f.err ? f.err : ECHILD));
		ret = -1;
	}
	free(w);
	return ret;
}
