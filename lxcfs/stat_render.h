/* A container's /proc/stat: its cpuset's cpus renumbered, with its own cpu times (pure). */
#ifndef LXCFS_STAT_RENDER_H
#define LXCFS_STAT_RENDER_H

#include <stddef.h>
#include <stdint.h>

#include "host/cpuset.h"
#include "core/strbuf.h"

/* Time the container's tasks spent on one host cpu, in USER_HZ ticks (as /proc/stat). */
struct cpu_usage {
	uint64_t user, system;
	int known;
};

/* v1 cpuacct.usage_all ("cpu user system" then "N USER_NS SYSTEM_NS" lines) into
 * usage[host cpu]; returns the number of cpus filled. */
size_t cpuacct_usage_all_parse(const char *text, struct cpu_usage *usage, size_t max);
/* v1 cpuacct.usage_percpu_user and _sys (one number of ns per cpu, in cpu order). */
size_t cpuacct_percpu_parse(const char *user, const char *sys, struct cpu_usage *usage, size_t max);
/* v2 cpu.stat has totals only (user_usec, system_usec): spread evenly over the cpus of
 * the set. */
size_t cpu_stat_v2_spread(const char *cpu_stat, const struct cpuset *cpus, struct cpu_usage *usage,
                          size_t max);

/* The host file with only the cpus of the set, renumbered from cpu0, and the "cpu" total
 * line summed over them. For a cpu with known usage, user and system are the container's,
 * steal stays the host's, and idle is the rest of the host's time on that cpu, so the line
 * adds up to the same elapsed time. usage may be NULL (host times). Other lines are kept. */
void stat_render(const char *host_stat, const struct cpuset *cpus, const struct cpu_usage *usage,
                 size_t nusage, struct strbuf *out);

#endif
