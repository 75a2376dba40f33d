/* What a container reads in its own cgroupfs: its limits are set on its cgroup (rel), out of
 * its reach, while its processes and its cgroup namespace root are the cgroup below
 * (rel/inner), which shows no limit of its own. The limit files are copied down so that the
 * container reads the limits it runs under where JVMs, systemd and Go runtimes look; the ones
 * on rel still bind whatever the container writes below. */
#ifndef LIB_HOST_CGROUP_VIEW_H
#define LIB_HOST_CGROUP_VIEW_H

#include <stddef.h>

/* The cgroup below the container's where its processes run (lxc.cgroup.dir.container.inner). */
#define CGROUP_VIEW_INNER "ns"

/* Copies rel's memory, cpu and pids limit files to rel/inner (v1 hierarchies, or the v2 tree
 * on a unified host), and on v1 the blkio throttling rules, which bind only the processes of
 * their own cgroup (one write per device). A file the host lacks is skipped. 0, or -1 with
 * err naming the file. */
int cgroup_view_mirror(const char *rel, const char *inner, char *err, size_t errlen);
/* Before rel's CFS quota is lowered (v1 refuses a parent below its children): the inner
 * cgroup's quota is lifted; cgroup_view_mirror sets it again afterwards. */
void cgroup_view_release_quota(const char *rel, const char *inner);

#endif
