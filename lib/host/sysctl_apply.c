#include "host/sysctl_apply.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/strv.h"
#include "host/ns_exec.h"

struct sysctl_write {
	char path[512];
	const char *value;
};

/* What the writing child reports when a write fails. */
struct failure {
	int index; /* the entry that failed */
	int err;
};

struct writes {
	const struct sysctl_write *w;
	size_t n;
};

/* In the container's namespaces; no allocation (the daemon that forks has other threads). */
static int do_writes(void *arg, void *result)
{
	const struct writes *ws = arg;
	struct failure *f = result;
	for (size_t i = 0; i < ws->n; i++) {
		int fd = open(ws->w[i].path, O_WRONLY | O_CLOEXEC);
		size_t len = strlen(ws->w[i].value);
		if (fd < 0 || write(fd, ws->w[i].value, len) != (ssize_t)len) {
			f->index = (int)i;
			f->err = errno;
			return 1;
		}
		close(fd);
	}
	return 0;
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
	/* The /proc/sys files of namespaces that a user namespace owns are writable by that
	 * namespace's root (or with CAP_SYS_RESOURCE, which a host root may lack): a
	 * --user-remap container's is joined too. With pid 0, new empty namespaces. */
	int flags = ns_flags(kv) | (pid > 0 ? CLONE_NEWUSER : 0);
	struct writes ws = {w, n};
	struct failure f = {-1, 0};
	char why[256];
	int rc = ns_exec(pid, flags, do_writes, &ws, &f, sizeof(f), why, sizeof(why));
	int ret = 0;
	if (rc < 0) {
		snprintf(err, errlen, "cannot enter the container's namespaces to set sysctls: %s",
		         strerror(errno));
		ret = -1;
	} else if (rc != 0 && f.index >= 0 && (size_t)f.index < n) {
		const char *reason = f.err == ENOENT ? "no such kernel parameter" : strerror(f.err);
		snprintf(err, errlen, "Invalid sysctl %s: %s", kv[f.index], reason);
		ret = -1;
	} else if (rc != 0) {
		snprintf(err, errlen, "cannot enter the container's namespaces to set sysctls: %s",
		         strerror(ECHILD));
		ret = -1;
	}
	free(w);
	return ret;
}
