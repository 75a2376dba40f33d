/* Fuzzes lxcfs's parsers and renderers (lxcfs/cgroup_parse, proc_parse, cpuinfo_render,
 * meminfo_render, stat_render, disk_render) with fuzzed host and cgroup file texts: the first
 * byte picks what, the rest is split at NUL bytes into the texts (and a few numbers come from
 * the first byte). 0: /proc/PID/cgroup and /proc/PID/status; 1: a cpuset list and the host's
 * cpuinfo; 2/3: v1/v2 memory.stat and the host's meminfo; 4: cpuacct/cpu.stat texts and the
 * host's /proc/stat; 5: blkio/io.stat texts, devices.list and the host's diskstats and
 * partitions. Invariants: cgroup paths point into the text; a rendered cpuinfo has no more
 * processors than the set; the summary keeps free and available <= total and swap free <=
 * swap total; a rendered meminfo has the host's number of lines; nothing leaks or reads out of
 * bounds (ASan). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "core/strbuf.h"
#include "host/cpuset.h"
#include "lxcfs/cgroup_parse.h"
#include "lxcfs/cpuinfo_render.h"
#include "lxcfs/disk_render.h"
#include "lxcfs/meminfo_render.h"
#include "lxcfs/proc_parse.h"
#include "lxcfs/stat_render.h"

#define NPARTS 5

/* Lines, the last one counted with or without its newline (a replaced line gets one). */
static size_t count_lines(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += *s == '\n' || !s[1];
	return n;
}

static void cgroups(char *text, const char *status)
{
	size_t len = strlen(text);
	struct pid_cgroups pc;
	int n = pid_cgroups_parse(text, &pc);
	if (n < 0 || n > CG_NCTRL + 1)
		abort();
	for (int c = 0; c < CG_NCTRL; c++) {
		if (pc.v1[c] && (pc.v1[c] < text || pc.v1[c] > text + len))
			abort();
	}
	if (pc.unified && (pc.unified < text || pc.unified > text + len))
		abort();
	pid_t nspid, ppid;
	proc_status_nspid_ppid(status, &nspid, &ppid);
}

static void set_of(const char *list, struct cpuset *set)
{
	if (cpuset_parse(list, set) < 0 || cpuset_is_empty(set))
		cpuset_parse("0-3", set);
}

static void cpuinfo(char **p)
{
	struct cpuset set;
	set_of(p[0], &set);
	struct strbuf out = {0};
	unsigned n = cpuinfo_render(p[1], &set, &out);
	if (n > cpuset_count(&set))
		abort();
	strbuf_reset(&out);
	cpu_online_render(n, &out);
	strbuf_free(&out);
}

static void meminfo(char **p, bool v2, uint8_t sel)
{
	struct mem_numbers m;
	uint64_t big = sel & 0x10 ? MEM_UNLIMITED : (uint64_t)sel << 30;
	if (v2)
		mem_numbers_v2(&m, p[0], big, (uint64_t)sel << 20, sel & 0x20 ? 0 : big, 12345);
	else
		mem_numbers_v1(&m, p[0], (uint64_t)sel << 20, sel & 0x20 ? MEM_UNLIMITED : big);
	bool swap = sel & 0x40;
	struct mem_summary s;
	mem_summarize(p[1], &m, swap, &s);
	if (s.free > s.total || s.available > s.total || s.swap_free > s.swap_total)
		abort();
	struct strbuf out = {0};
	meminfo_render(p[1], &m, swap, &out);
	if (out.data && count_lines(out.data) != count_lines(p[1]))
		abort();
	strbuf_reset(&out);
	swaps_render(&s, &out);
	strbuf_free(&out);
}

static void stat(char **p, uint8_t sel)
{
	struct cpuset set;
	set_of(p[0], &set);
	struct cpu_usage usage[CPUSET_MAX];
	size_t n;
	memset(usage, 0, sizeof(usage));
	switch (sel % 3) {
	case 0:
		n = cpuacct_usage_all_parse(p[1], usage, CPUSET_MAX);
		break;
	case 1:
		n = cpuacct_percpu_parse(p[1], p[2], usage, CPUSET_MAX);
		break;
	default:
		n = cpu_stat_v2_spread(p[1], &set, usage, CPUSET_MAX);
		break;
	}
	if (n > CPUSET_MAX)
		abort();
	struct strbuf out = {0};
	stat_render(p[3], &set, sel & 0x80 ? NULL : usage, n, &out);
	strbuf_free(&out);
}

static void disk(char **p, uint8_t sel)
{
	struct disk_io_table t = {0};
	blkio_v1_parse(p[0], (enum blkio_file)(sel % 5), &t);
	blkio_v1_parse(p[1], (enum blkio_file)((sel + 1) % 5), &t);
	io_stat_v2_parse(p[1], &t);
	if (t.n > t.cap)
		abort();
	disk_io_any(&t);
	struct strbuf out = {0};
	diskstats_render(p[2], &t, &out);
	strbuf_reset(&out);
	devices_allow_block(p[3], 8, sel);
	partitions_render(p[4], p[3], &out);
	strbuf_free(&out);
	disk_io_table_free(&t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > 64 * 1024)
		return 0;
	char *p[NPARTS];
	size_t at = 1;
	for (int i = 0; i < NPARTS; i++) {
		const uint8_t *nul = at < size ? memchr(data + at, 0, size - at) : NULL;
		size_t end = nul ? (size_t)(nul - data) : size;
		size_t n = at < size ? end - at : 0;
		p[i] = malloc(n + 1);
		if (!p[i])
			abort();
		memcpy(p[i], data + at, n);
		p[i][n] = '\0';
		at = nul ? end + 1 : size;
	}
	uint8_t sel = data[0];
	switch (sel % 6) {
	case 0:
		cgroups(p[0], p[1]);
		break;
	case 1:
		cpuinfo(p);
		break;
	case 2:
	case 3:
		meminfo(p, sel % 6 == 3, sel);
		break;
	case 4:
		stat(p, sel / 6);
		break;
	default:
		disk(p, sel / 6);
		break;
	}
	for (int i = 0; i < NPARTS; i++)
		free(p[i]);
	return 0;
}
