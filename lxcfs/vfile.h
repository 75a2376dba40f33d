/* The content of each virtual file for one reader's view. */
#ifndef LXCFS_VFILE_H
#define LXCFS_VFILE_H

#include <stdbool.h>

#include "core/strbuf.h"
#include "host/cpuset.h"
#include "view.h"

enum vfile {
	VF_CPUINFO,
	VF_MEMINFO,
	VF_STAT,
	VF_DISKSTATS,
	VF_PARTITIONS,
	VF_SWAPS,
	VF_UPTIME,
	VF_LOADAVG,
	VF_CPU_ONLINE,
	VF_SLABINFO,
	VF_PRESSURE_CPU,
	VF_PRESSURE_MEMORY,
	VF_PRESSURE_IO,
	VF_N
};

/* lxcfs -u: containers see no swap. */
void vfile_set_swap(bool enabled);
/* lxcfs --disable-cfs: a CFS quota (cpu.max, cpu.cfs_quota_us) no longer caps the cpus shown
 * in cpuinfo, stat and cpu/online; only a cpuset does. */
void vfile_set_cfs(bool enabled);
/* The host cpus the view may use (its k-th is the container's cpu k in every file): 0 and
 * set, or -1 when the host's apply (the host's view, no cpuset or quota of its own). */
int vfile_cpus(const struct view *v, struct cpuset *set);
/* Replaces out's content. Whatever the container's cgroups cannot tell comes from the host
 * file. 0, or -errno (ENOMEM, or the host file's own error). */
int vfile_render(enum vfile f, const struct view *v, struct strbuf *out);

#endif
