/* Where the cgroup v2 tree is and where a process sits in it: /sys/fs/cgroup on a unified
 * host, /sys/fs/cgroup/unified (or wherever it is mounted) beside v1 hierarchies on a hybrid
 * one. The parsers take the kernel's text, so they are tested over real file contents. */
#ifndef LIB_HOST_CGROUP_V2_H
#define LIB_HOST_CGROUP_V2_H

/* The mount point of the cgroup2 tree in a mountinfo text (malloc'd), or NULL
 * (cgroup_mounts_v2 of host/cgroup_mounts.h). */
char *cgroup2_mount_in(const char *mountinfo);
/* The same for this host (its /proc/self/mountinfo, read once per process). */
char *cgroup2_mount_point(void);
/* The v2 path ("/a/b") of the last "0::PATH" line of a /proc/PID/cgroup text (malloc'd), or NULL
 * when there is none. */
char *cgroup2_path_in(const char *proc_cgroup);

#endif
