/* What the host's cgroup layout offers: v1 controllers (hybrid hosts) or the v2 tree. */
#ifndef LIB_HOST_CGROUP_INFO_H
#define LIB_HOST_CGROUP_INFO_H

#include <stdbool.h>

/* True when the v1 hierarchy of the file's controller ("memory" for
 * "memory.limit_in_bytes") is mounted and has that file. */
bool cgroup_v1_has(const char *file);
/* True when /sys/fs/cgroup itself is a cgroup2 mount (a v2-only host). */
bool cgroup_is_unified(void);
/* Removes <hierarchy>/<path> in every hierarchy, deepest first is the caller's job;
 * returns the number of directories that could not be removed. */
int cgroup_remove_everywhere(const char *path);

#endif
