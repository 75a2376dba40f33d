/* Working in a process's view of files: its mount namespace and its root directory (a
 * container's, once it has entered its rootfs). A forked child joins the mount namespace only
 * and chroots to the process's root, so every path it resolves, symlinks and ".." included,
 * stays inside the container, and the caller never leaves the host's namespaces. */
#ifndef LIB_HOST_NS_ROOT_H
#define LIB_HOST_NS_ROOT_H

#include <stddef.h>
#include <sys/types.h>

#include "host/ns_exec.h"

struct ns_root {
	struct ns_target t; /* the pid pinned, its mount namespace open */
	int rootfd;         /* its /proc/PID/root */
	int procfd;         /* the host's /proc (O_PATH): its fd links name our open files in a
	                       child that sees only the container's files (tree_detach_fd) */
};

/* Pins pid and opens its mount namespace and root (and the host's /proc). Refused when the process
 * shares the caller's mount namespace or still has the caller's root (a container not yet in its
 * rootfs): its paths would then be the host's. 0, or -1 with err. */
int ns_root_open(pid_t pid, struct ns_root *r, char *err, size_t errlen);
/* Runs fn(arg, result) in a child inside r's mount namespace with r's root as "/" and as the
 * working directory (ns_target_run's contract: fn's return value is the child's exit status,
 * result is copied back). fn may use the caller's open fds (detached mounts, O_PATH files). */
int ns_root_run(const struct ns_root *r, ns_exec_fn fn, void *arg, void *result, size_t result_len,
                char *err, size_t errlen);
void ns_root_close(struct ns_root *r);

#endif
