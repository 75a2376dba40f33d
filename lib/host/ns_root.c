#include "host/ns_root.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

static bool same_file(int fd, const char *path)
{
	struct stat a, b;
	return fstat(fd, &a) == 0 && stat(path, &b) == 0 && a.st_dev == b.st_dev &&
	       a.st_ino == b.st_ino;
}

int ns_root_open(pid_t pid, struct ns_root *r, char *err, size_t errlen)
{
	r->rootfd = -1;
	r->procfd = -1;
	if (ns_target_open(pid, CLONE_NEWNS, &r->t, err, errlen) < 0)
		return -1;
	if (same_file(ns_target_fd(&r->t, CLONE_NEWNS), "/proc/self/ns/mnt")) {
		snprintf(err, errlen, "pid %d shares the host's mount namespace", (int)pid);
		goto fail;
	}
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/root", (int)pid);
	r->rootfd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (r->rootfd < 0) {
		snprintf(err, errlen, "cannot open %s: %s", path, strerror(errno));
		goto fail;
	}
	if (same_file(r->rootfd, "/")) {
		snprintf(err, errlen, "pid %d has not entered its root file system", (int)pid);
		goto fail;
	}
	struct statfs sfs;
	r->procfd = open("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (r->procfd < 0 || fstatfs(r->procfd, &sfs) < 0 || sfs.f_type != PROC_SUPER_MAGIC) {
		snprintf(err, errlen, "the host's /proc is not a procfs");
		goto fail;
	}
	return 0;
fail:
	ns_root_close(r);
	return -1;
}

struct enter_args {
	int rootfd;
	ns_exec_fn fn;
	void *arg;
};

/* In the child, after setns: the root opened on the host is the same directory the
 * namespace's processes have as "/". */
static int enter_root(void *arg, void *result)
{
	const struct enter_args *a = arg;
	if (fchdir(a->rootfd) < 0 || chroot(".") < 0 || chdir("/") < 0)
		return 125;
	return a->fn(a->arg, result);
}

int ns_root_run(const struct ns_root *r, ns_exec_fn fn, void *arg, void *result, size_t result_len,
                char *err, size_t errlen)
{
	struct enter_args a = {r->rootfd, fn, arg};
	int rc = ns_target_run(&r->t, enter_root, &a, result, result_len, err, errlen);
	if (rc == 125) {
		snprintf(err, errlen, "cannot enter the root directory of pid %d", (int)r->t.pid);
		return -1;
	}
	return rc;
}

void ns_root_close(struct ns_root *r)
{
	if (r->rootfd >= 0)
		close(r->rootfd);
	if (r->procfd >= 0)
		close(r->procfd);
	r->rootfd = -1;
	r->procfd = -1;
	ns_target_close(&r->t);
}
