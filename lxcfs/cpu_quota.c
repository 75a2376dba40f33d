#include "cpu_quota.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cpuinfo_render.h"

/* A whole positive number followed only by blanks; -1 otherwise. */
static int64_t whole_number(const char *s, const char **rest)
{
	while (*s == ' ' || *s == '\t')
		s++;
	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	char *end;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || v > INT64_MAX)
		return -1;
	if (rest)
		*rest = end;
	else if (end[strspn(end, " \t\n")] != '\0')
		return -1;
	return (int64_t)v;
}

static unsigned quota_cpus(int64_t quota, int64_t period)
{
	if (quota <= 0 || period <= 0)
		return 0;
	int64_t n = quota / period + (quota % period != 0);
	return n > CPUSET_MAX ? CPUSET_MAX : (unsigned)n;
}

unsigned cfs_quota_cpus_v1(const char *quota_us, const char *period_us)
{
	if (!quota_us || !period_us)
		return 0;
	return quota_cpus(whole_number(quota_us, NULL), whole_number(period_us, NULL));
}

unsigned cfs_quota_cpus_v2(const char *cpu_max)
{
	if (!cpu_max)
		return 0;
	const char *rest;
	int64_t quota = whole_number(cpu_max, &rest);
	if (quota < 0 || (*rest != ' ' && *rest != '\t'))
		return 0;
	return quota_cpus(quota, whole_number(rest, NULL));
}

void cpuset_keep_first(struct cpuset *s, unsigned n)
{
	unsigned seen = 0;
	for (unsigned cpu = 0; cpu < CPUSET_MAX; cpu++) {
		if (!cpuset_has(s, cpu))
			continue;
		if (seen++ >= n)
			s->bits[cpu / 64] &= ~(UINT64_C(1) << (cpu % 64));
	}
}

void cpu_usage_fold(struct cpu_usage *usage, size_t max, const struct cpuset *full,
                    const struct cpuset *kept)
{
	unsigned to[CPUSET_MAX], nkept = 0, i = 0;
	for (unsigned cpu = 0; cpu < CPUSET_MAX; cpu++) {
		if (cpuset_has(kept, cpu))
			to[nkept++] = cpu;
	}
	if (!nkept)
		return;
	for (unsigned cpu = 0; cpu < CPUSET_MAX && cpu < max; cpu++) {
		if (!cpuset_has(full, cpu))
			continue;
		unsigned dst = to[i++ % nkept];
		if (cpuset_has(kept, cpu) || dst >= max || !usage[cpu].known)
			continue;
		usage[dst].user += usage[cpu].user;
		usage[dst].system += usage[cpu].system;
		usage[dst].known = 1;
		usage[cpu] = (struct cpu_usage){0};
	}
}
