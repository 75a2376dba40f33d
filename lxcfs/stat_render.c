#include "stat_render.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpuinfo_render.h"

/* /proc/stat counts in USER_HZ (100 on every Linux ABI). */
#define NS_PER_TICK 10000000ULL
#define USEC_PER_TICK 10000ULL
/* user nice system idle iowait irq softirq steal guest guest_nice */
#define STAT_FIELDS 10
enum { F_USER, F_NICE, F_SYSTEM, F_IDLE, F_IOWAIT, F_IRQ, F_SOFTIRQ, F_STEAL };

static const char *next_line(const char *p)
{
	p = strchr(p, '\n');
	return p ? p + 1 : NULL;
}

size_t cpuacct_usage_all_parse(const char *text, struct cpu_usage *usage, size_t max)
{
	size_t n = 0;
	for (const char *p = text; p && *p; p = next_line(p)) {
		char *end;
		unsigned long cpu = strtoul(p, &end, 10);
		if (end == p || cpu >= max)
			continue;
		char *end2, *end3;
		uint64_t user = strtoull(end, &end2, 10);
		uint64_t sys = strtoull(end2, &end3, 10);
		if (end2 == end || end3 == end2)
			continue;
		usage[cpu] = (struct cpu_usage){user / NS_PER_TICK, sys / NS_PER_TICK, 1};
		n++;
	}
	return n;
}

size_t cpuacct_percpu_parse(const char *user, const char *sys, struct cpu_usage *usage, size_t max)
{
	size_t n = 0;
	const char *u = user, *s = sys;
	for (; n < max; n++) {
		char *ue, *se;
		uint64_t uv = strtoull(u, &ue, 10), sv = strtoull(s, &se, 10);
		if (ue == u || se == s)
			break;
		usage[n] = (struct cpu_usage){uv / NS_PER_TICK, sv / NS_PER_TICK, 1};
		u = ue;
		s = se;
	}
	return n;
}

static uint64_t stat_key(const char *text, const char *key)
{
	size_t n = strlen(key);
	for (const char *p = text; p && *p; p = next_line(p)) {
		if (strncmp(p, key, n) == 0 && p[n] == ' ')
			return strtoull(p + n + 1, NULL, 10);
	}
	return 0;
}

size_t cpu_stat_v2_spread(const char *cpu_stat, const struct cpuset *cpus, struct cpu_usage *usage,
                          size_t max)
{
	unsigned n = cpuset_count(cpus);
	if (n == 0)
		return 0;
	uint64_t user = stat_key(cpu_stat, "user_usec") / USEC_PER_TICK / n;
	uint64_t sys = stat_key(cpu_stat, "system_usec") / USEC_PER_TICK / n;
	size_t filled = 0;
	for (size_t cpu = 0; cpu < max; cpu++) {
		if (cpuset_has(cpus, (unsigned)cpu)) {
			usage[cpu] = (struct cpu_usage){user, sys, 1};
			filled++;
		}
	}
	return filled;
}

/* "cpuN a b c ..." with N a number: the cpu and its fields; false for other lines. */
static bool parse_cpu_line(const char *line, unsigned *cpu, uint64_t f[STAT_FIELDS], int *nf)
{
	if (strncmp(line, "cpu", 3) != 0 || line[3] < '0' || line[3] > '9')
		return false;
	char *end;
	*cpu = (unsigned)strtoul(line + 3, &end, 10);
	*nf = 0;
	memset(f, 0, STAT_FIELDS * sizeof(f[0]));
	while (*nf < STAT_FIELDS) {
		char *e2;
		uint64_t v = strtoull(end, &e2, 10);
		if (e2 == end)
			break;
		f[(*nf)++] = v;
		end = e2;
	}
	return true;
}

static void put_fields(struct strbuf *out, const char *name, const uint64_t *f, int nf)
{
	strbuf_puts(out, name);
	for (int i = 0; i < nf; i++)
		strbuf_printf(out, " %" PRIu64, f[i]);
	strbuf_puts(out, "\n");
}

/* The container's share of one host cpu line (see stat_render). */
static void apply_usage(uint64_t f[STAT_FIELDS], const struct cpu_usage *u)
{
	uint64_t total = 0;
	for (int i = F_USER; i <= F_STEAL; i++)
		total += f[i];
	uint64_t steal = f[F_STEAL];
	uint64_t busy = u->user + u->system + steal;
	memset(f, 0, STAT_FIELDS * sizeof(f[0]));
	f[F_USER] = u->user;
	f[F_SYSTEM] = u->system;
	f[F_STEAL] = steal;
	f[F_IDLE] = total > busy ? total - busy : 0;
}

void stat_render(const char *host_stat, const struct cpuset *cpus, const struct cpu_usage *usage,
                 size_t nusage, struct strbuf *out)
{
	uint64_t sum[STAT_FIELDS] = {0};
	int width = 0;
	/* The total line comes first: sum the kept cpus before writing anything. */
	for (const char *p = host_stat; p && *p; p = next_line(p)) {
		uint64_t f[STAT_FIELDS];
		unsigned cpu;
		int nf;
		if (!parse_cpu_line(p, &cpu, f, &nf) || !cpuset_has(cpus, cpu))
			continue;
		if (usage && cpu < nusage && usage[cpu].known)
			apply_usage(f, &usage[cpu]);
		for (int i = 0; i < STAT_FIELDS; i++)
			sum[i] += f[i];
		if (nf > width)
			width = nf;
	}
	put_fields(out, "cpu ", sum, width);
	unsigned next = 0;
	for (const char *p = host_stat; p && *p; p = next_line(p)) {
		uint64_t f[STAT_FIELDS];
		unsigned cpu;
		int nf;
		if (parse_cpu_line(p, &cpu, f, &nf)) {
			if (!cpuset_has(cpus, cpu))
				continue;
			if (usage && cpu < nusage && usage[cpu].known)
				apply_usage(f, &usage[cpu]);
			char name[16];
			snprintf(name, sizeof(name), "cpu%u", next++);
			put_fields(out, name, f, nf);
			continue;
		}
		if (strncmp(p, "cpu ", 4) == 0)
			continue;
		const char *nl = strchr(p, '\n');
		strbuf_add(out, p, nl ? (size_t)(nl - p) + 1 : strlen(p));
	}
}
