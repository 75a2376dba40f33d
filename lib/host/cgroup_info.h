/* What the host's cgroup layout offers: v1 controllers (hybrid hosts) or the v2 tree. */
#ifndef LIB_HOST_CGROUP_INFO_H
#define LIB_HOST_CGROUP_INFO_H

#include <stdbool.h>

/* True when the v1 hierarchy of the file's controller ("memory" for
 * "memory.limit_in_bytes") is mounted and has that file (pids.max, hidden at the root of its
 * hierarchy, when the pids hierarchy is mounted). */
bool cgroup_v1_has(const char *file);
/* True on a v2-only host: a cgroup2 tree and no v1 controller (host/cgroup_mounts.h). */
bool cgroup_is_unified(void);
/* Removes the cgroup path and the cgroups below it in every mounted hierarchy (v1 ones, named
 * ones, the v2 tree); returns the number of hierarchies where it could not be removed. */
int cgroup_remove_everywhere(const char *path);

#endif
