/* The lxcfs side: is lxcfs serving on its mount point, and detached copies of the files it
 * serves, ready to be attached over a container's own. */
#ifndef LXCFS_TOOLKIT_VIEWS_H
#define LXCFS_TOOLKIT_VIEWS_H

#include <stddef.h>

#include "core/paths.h"

#define LXCFS_DEFAULT_MOUNT_POINT LXCFS_DEFAULT_MOUNTPOINT
#define LXCFS_VIEW_COUNT 14
/* The cpu directory, and its online file: one of the two is mounted (see lxcfs_views_clone);
 * the directory comes first, so that it is taken off before a file mounted under it. */
#define LXCFS_VIEW_CPU_DIR 8
#define LXCFS_VIEW_CPU_ONLINE 9

/* What is put over a container's own, as paths relative to both the lxcfs mount point and
 * the container's root: the seed's seven /proc files, loadavg, slabinfo and
 * pressure/{cpu,memory,io}, and sys/devices/system/cpu (the directory: its cpuN are the
 * container's) or, from an lxcfs that serves no cpuN there, its online file alone. A
 * container that lacks a target is left without it. */
extern const char *const lxcfs_view_files[LXCFS_VIEW_COUNT];
/* Whether target i is a directory. */
static inline int lxcfs_view_is_dir(int i)
{
	return i == LXCFS_VIEW_CPU_DIR;
}

/* 0 if lxcfs is mounted on mount_point and answers reads; else -1 with why naming the mount
 * point and the cause (not mounted, dead, not lxcfs). */
int lxcfs_check(const char *mount_point, char *why, size_t whylen);

/* fds[i] becomes a detached clone (open_tree) of lxcfs_view_files[i] in the view of process
 * pid (the container's init: mount_point/.views/PID/...; mount_point/... itself when that
 * lxcfs has no .views), or -1 if lxcfs does not serve that file: the cpu directory when it
 * has cpuN directories (then not its online file), else the online file. Returns how many
 * were cloned (at least one), or -1 with err (and every fd closed). */
int lxcfs_views_clone(const char *mount_point, int pid, int fds[LXCFS_VIEW_COUNT], char *err,
                      size_t errlen);
void lxcfs_views_close(int fds[LXCFS_VIEW_COUNT]);

#endif
