/* A container's /proc/cpuinfo and /sys/devices/system/cpu/online from its cpuset (pure). */
#ifndef LXCFS_CPUINFO_RENDER_H
#define LXCFS_CPUINFO_RENDER_H

#include "host/cpuset.h"
#include "core/strbuf.h"

unsigned cpuset_count(const struct cpuset *s);
static inline int cpuset_has(const struct cpuset *s, unsigned cpu)
{
	return cpu < CPUSET_MAX && (s->bits[cpu / 64] >> (cpu % 64)) & 1;
}

/* Keeps the host's blocks of the cpus in the set, renumbered as the seed says: "processor"
 * and "physical id" count up from 0, "siblings" and "cpu cores" are 1, "core id" is 0.
 * Returns the number of processors written. */
unsigned cpuinfo_render(const char *host_cpuinfo, const struct cpuset *cpus, struct strbuf *out);
/* "0-(n-1)" (or "0"), the renumbered cpus a container sees. */
void cpu_online_render(unsigned n, struct strbuf *out);

#endif
