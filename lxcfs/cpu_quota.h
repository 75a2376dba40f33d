/* How many cpus a CFS quota gives a cgroup (lxcfs --enable-cfs, on by default here), from the
 * text of its cgroup files (pure). */
#ifndef LXCFS_CPU_QUOTA_H
#define LXCFS_CPU_QUOTA_H

#include <stddef.h>

#include "host/cpuset.h"
#include "stat_render.h"

/* v1: cpu.cfs_quota_us ("-1" for none) and cpu.cfs_period_us. The cpus the quota allows,
 * rounded up (150000/100000 gives 2); 0 when there is no quota or the text is not one. */
unsigned cfs_quota_cpus_v1(const char *quota_us, const char *period_us);
/* v2: cpu.max ("max 100000" for none, "150000 100000"); the same. */
unsigned cfs_quota_cpus_v2(const char *cpu_max);

/* Keeps the first n cpus of the set (all of them when it has no more than n). */
void cpuset_keep_first(struct cpuset *s, unsigned n);
/* The cpus of full that kept dropped are shown as those kept: the time a container spent on
 * the i-th cpu of full is added to the (i mod |kept|)-th cpu of kept, so that its total
 * stays the same. usage is indexed by host cpu (max entries). */
void cpu_usage_fold(struct cpu_usage *usage, size_t max, const struct cpuset *full,
                    const struct cpuset *kept);

#endif
