#include "meminfo_render.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

static const struct {
	const char *meminfo; /* the /proc/meminfo key */
	const char *v1;      /* its memory.stat key on cgroup v1 (NULL: not there, shown as 0) */
	const char *v2;      /* and on v2 */
} fields[MS_N] = {
    [MS_CACHED] = {"Cached", "total_cache", "file"},
    [MS_SWAPCACHED] = {"SwapCached", "total_swapcached", "swapcached"},
    [MS_ACTIVE_ANON] = {"Active(anon)", "total_active_anon", "active_anon"},
    [MS_INACTIVE_ANON] = {"Inactive(anon)", "total_inactive_anon", "inactive_anon"},
    [MS_ACTIVE_FILE] = {"Active(file)", "total_active_file", "active_file"},
    [MS_INACTIVE_FILE] = {"Inactive(file)", "total_inactive_file", "inactive_file"},
    [MS_UNEVICTABLE] = {"Unevictable", "total_unevictable", "unevictable"},
    [MS_DIRTY] = {"Dirty", "total_dirty", "file_dirty"},
    [MS_WRITEBACK] = {"Writeback", "total_writeback", "file_writeback"},
    [MS_ANON] = {"AnonPages", "total_rss", "anon"},
    [MS_MAPPED] = {"Mapped", "total_mapped_file", "file_mapped"},
    [MS_SHMEM] = {"Shmem", "total_shmem", "shmem"},
    [MS_SRECLAIMABLE] = {"SReclaimable", NULL, "slab_reclaimable"},
    [MS_SUNRECLAIM] = {"SUnreclaim", NULL, "slab_unreclaimable"},
    [MS_KERNEL_STACK] = {"KernelStack", NULL, "kernel_stack"},
    [MS_PAGE_TABLES] = {"PageTables", NULL, "pagetables"},
    [MS_ANON_HUGE] = {"AnonHugePages", "total_rss_huge", "anon_thp"},
    [MS_SHMEM_HUGE] = {"ShmemHugePages", NULL, "shmem_thp"},
    [MS_FILE_HUGE] = {"FileHugePages", NULL, "file_thp"},
    [MS_ZSWAP] = {"Zswap", NULL, "zswap"},
    [MS_ZSWAPPED] = {"Zswapped", NULL, "zswapped"},
};

/* v1 shows "no limit" as PAGE_COUNTER_MAX pages; anything this large means none. */
#define HUGE_LIMIT (UINT64_C(1) << 62)

static uint64_t limit_or_none(uint64_t v)
{
	return v >= HUGE_LIMIT ? MEM_UNLIMITED : v;
}

/* Calls fn(key, keylen, value) for each "key value" line. */
static void each_stat(const char *text, void (*fn)(void *, const char *, size_t, uint64_t),
                      void *arg)
{
	for (const char *p = text; p && *p;) {
		const char *sp = strchr(p, ' ');
		const char *nl = strchr(p, '\n');
		if (sp && (!nl || sp < nl))
			fn(arg, p, (size_t)(sp - p), strtoull(sp + 1, NULL, 10));
		p = nl ? nl + 1 : NULL;
	}
}

struct stat_ctx {
	struct mem_numbers *m;
	bool v2;
	uint64_t memsw_limit;
};

static bool key_is(const char *key, size_t len, const char *want)
{
	return want && strlen(want) == len && memcmp(key, want, len) == 0;
}

static void take_stat(void *arg, const char *key, size_t len, uint64_t v)
{
	struct stat_ctx *c = arg;
	for (int i = 0; i < MS_N; i++) {
		if (key_is(key, len, c->v2 ? fields[i].v2 : fields[i].v1)) {
			c->m->stat[i] = v;
			return;
		}
	}
	if (!c->v2 && key_is(key, len, "hierarchical_memory_limit"))
		c->m->limit = limit_or_none(v);
	else if (!c->v2 && key_is(key, len, "hierarchical_memsw_limit"))
		c->memsw_limit = limit_or_none(v);
}

void mem_numbers_v1(struct mem_numbers *m, const char *memory_stat, uint64_t usage,
                    uint64_t memsw_usage)
{
	memset(m, 0, sizeof(*m));
	m->limit = MEM_UNLIMITED;
	struct stat_ctx c = {.m = m, .v2 = false, .memsw_limit = MEM_UNLIMITED};
	each_stat(memory_stat, take_stat, &c);
	m->usage = usage;
	/* memsw counts memory plus swap: what is left above the memory limit is swap. */
	if (c.memsw_limit == MEM_UNLIMITED || m->limit == MEM_UNLIMITED)
		m->swap_limit = MEM_UNLIMITED;
	else
		m->swap_limit = c.memsw_limit > m->limit ? c.memsw_limit - m->limit : 0;
	if (memsw_usage != MEM_UNLIMITED)
		m->swap_usage = memsw_usage > usage ? memsw_usage - usage : 0;
}

void mem_numbers_v2(struct mem_numbers *m, const char *memory_stat, uint64_t max, uint64_t current,
                    uint64_t swap_max, uint64_t swap_current)
{
	memset(m, 0, sizeof(*m));
	struct stat_ctx c = {.m = m, .v2 = true};
	each_stat(memory_stat, take_stat, &c);
	m->limit = limit_or_none(max);
	m->usage = current;
	m->swap_limit = limit_or_none(swap_max);
	m->swap_usage = swap_current;
}

uint64_t meminfo_value(const char *text, const char *key, uint64_t dflt)
{
	size_t n = strlen(key);
	for (const char *p = text; p && *p;) {
		if (strncmp(p, key, n) == 0 && p[n] == ':')
			return strtoull(p + n + 1, NULL, 10);
		p = strchr(p, '\n');
		p = p ? p + 1 : NULL;
	}
	return dflt;
}

static uint64_t min_u64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

void mem_summarize(const char *host_meminfo, const struct mem_numbers *m, bool swap_enabled,
                   struct mem_summary *s)
{
	uint64_t host_total = meminfo_value(host_meminfo, "MemTotal", 0);
	uint64_t host_swap = meminfo_value(host_meminfo, "SwapTotal", 0);
	s->total = m->limit == MEM_UNLIMITED ? host_total : min_u64(m->limit / 1024, host_total);
	uint64_t used = min_u64(m->usage / 1024, s->total);
	s->free = s->total - used;
	uint64_t reclaimable =
	    (m->stat[MS_ACTIVE_FILE] + m->stat[MS_INACTIVE_FILE] + m->stat[MS_SRECLAIMABLE]) / 1024;
	s->available = min_u64(s->free + reclaimable, s->total);
	if (!swap_enabled) {
		s->swap_total = s->swap_free = 0;
		return;
	}
	s->swap_total =
	    m->swap_limit == MEM_UNLIMITED ? host_swap : min_u64(m->swap_limit / 1024, host_swap);
	s->swap_free = s->swap_total - min_u64(m->swap_usage / 1024, s->swap_total);
}

struct row {
	const char *key;
	uint64_t kb;
};

/* Every meminfo line the container has its own value for, in kB. */
static size_t container_rows(const struct mem_numbers *m, const struct mem_summary *s,
                             struct row *rows)
{
	const uint64_t *st = m->stat;
	struct row derived[] = {
	    {"MemTotal", s->total},
	    {"MemFree", s->free},
	    {"MemAvailable", s->available},
	    {"Buffers", 0},
	    {"SwapTotal", s->swap_total},
	    {"SwapFree", s->swap_free},
	    {"Active", (st[MS_ACTIVE_ANON] + st[MS_ACTIVE_FILE]) / 1024},
	    {"Inactive", (st[MS_INACTIVE_ANON] + st[MS_INACTIVE_FILE]) / 1024},
	    {"Slab", (st[MS_SRECLAIMABLE] + st[MS_SUNRECLAIM]) / 1024},
	    {"KReclaimable", st[MS_SRECLAIMABLE] / 1024},
	};
	size_t n = sizeof(derived) / sizeof(derived[0]);
	memcpy(rows, derived, sizeof(derived));
	for (int i = 0; i < MS_N; i++)
		rows[n++] = (struct row){fields[i].meminfo, st[i] / 1024};
	return n;
}

void meminfo_render(const char *host_meminfo, const struct mem_numbers *m, bool swap_enabled,
                    struct strbuf *out)
{
	struct mem_summary s;
	mem_summarize(host_meminfo, m, swap_enabled, &s);
	struct row rows[MS_N + 16];
	size_t nrows = container_rows(m, &s, rows);
	for (const char *p = host_meminfo; p && *p;) {
		const char *nl = strchr(p, '\n');
		size_t linelen = nl ? (size_t)(nl - p) + 1 : strlen(p);
		const char *colon = memchr(p, ':', linelen);
		const struct row *r = NULL;
		for (size_t i = 0; colon && !r && i < nrows; i++) {
			if (key_is(p, (size_t)(colon - p), rows[i].key))
				r = &rows[i];
		}
		if (r)
			strbuf_printf(out, "%-16.*s%8" PRIu64 " kB\n", (int)(colon - p + 1), p,
			              r->kb);
		else
			strbuf_add(out, p, linelen);
		p += linelen;
	}
}

void swaps_render(const struct mem_summary *s, struct strbuf *out)
{
	strbuf_puts(out, "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n");
	if (s->swap_total == 0)
		return;
	uint64_t used = s->swap_total - s->swap_free;
	/* The kernel's layout: an extra tab after numbers shorter than 8 digits. */
	strbuf_printf(out, "%-40s%s\t%" PRIu64 "\t%s%" PRIu64 "\t%s%d\n", "none", "virtual",
	              s->swap_total, s->swap_total < 10000000 ? "\t" : "", used,
	              used < 10000000 ? "\t" : "", 0);
}
