/* Putting lxcfs views over a container's files, and taking them off, from inside the
 * container's mount namespace: a forked child enters it, so the toolkit itself never leaves
 * the host's. */
#ifndef LXCFS_TOOLKIT_NS_MOUNT_H
#define LXCFS_TOOLKIT_NS_MOUNT_H

#include <stdbool.h>
#include <stddef.h>

#include "lxcfs_views.h"

struct ns_mount_job {
	int pid;               /* a process of the container (its init), as the host sees it */
	const char *root;      /* its root file system inside its mount namespace, for hooks that
	                          run before it is entered; NULL: the process's own root */
	const char *cgroup_id; /* if set, the process's cgroup must name it (no recycled pid) */
	/* Detached lxcfs files to mount over the container's (-1: none), as from
	 * lxcfs_views_clone; all -1 to only unmount. */
	const int *view_fds;
};

struct ns_mount_result {
	int unmounted;         /* views taken off */
	int mounted;           /* views put on */
	unsigned missing_mask; /* bit i: the container has no lxcfs_view_files[i] */
	char err[512];
};

/* Takes off every lxcfs view over the container's files, then attaches view_fds over
 * them with slave propagation. Targets the container lacks are skipped (missing_mask). If
 * one attach fails, the ones already made are taken off again. Returns 0, or -1 with
 * res->err set. */
int ns_mount_apply(const struct ns_mount_job *job, struct ns_mount_result *res);

#endif
