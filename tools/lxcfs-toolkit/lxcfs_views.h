/* The lxcfs side: is lxcfs serving on its mount point, and detached copies of the files it
 * serves, ready to be attached over a container's own. */
#ifndef LXCFS_TOOLKIT_VIEWS_H
#define LXCFS_TOOLKIT_VIEWS_H

#include <stddef.h>

#include "core/paths.h"

#define LXCFS_DEFAULT_MOUNT_POINT LXCFS_DEFAULT_MOUNTPOINT
#define LXCFS_VIEW_COUNT 13

/* The files put over a container's own, as paths relative to both the lxcfs mount point
 * and the container's root: the seed's seven /proc files, loadavg, cpu/online, slabinfo and
 * pressure/{cpu,memory,io} (a container whose /proc lacks one is left without it). */
extern const char *const lxcfs_view_files[LXCFS_VIEW_COUNT];

/* 0 if lxcfs is mounted on mount_point and answers reads; else -1 with why naming the mount
 * point and the cause (not mounted, dead, not lxcfs). */
int lxcfs_check(const char *mount_point, char *why, size_t whylen);

/* fds[i] becomes a detached clone (open_tree) of lxcfs_view_files[i] in the view of process
 * pid (the container's init: mount_point/.views/PID/...; mount_point/... itself when that
 * lxcfs has no .views), or -1 if lxcfs does not serve that file. Returns how many were
 * cloned (at least one), or -1 with err (and every fd closed). */
int lxcfs_views_clone(const char *mount_point, int pid, int fds[LXCFS_VIEW_COUNT], char *err,
                      size_t errlen);
void lxcfs_views_close(int fds[LXCFS_VIEW_COUNT]);

#endif
