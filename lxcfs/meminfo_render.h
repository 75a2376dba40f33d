/* A container's /proc/meminfo and /proc/swaps from its memory cgroup's numbers (pure). */
#ifndef LXCFS_MEMINFO_RENDER_H
#define LXCFS_MEMINFO_RENDER_H

#include <stdbool.h>
#include <stdint.h>

#include "core/strbuf.h"

#define MEM_UNLIMITED UINT64_MAX

/* meminfo lines that come from the cgroup's memory.stat. */
enum mem_stat_field {
	MS_CACHED,
	MS_SWAPCACHED,
	MS_ACTIVE_ANON,
	MS_INACTIVE_ANON,
	MS_ACTIVE_FILE,
	MS_INACTIVE_FILE,
	MS_UNEVICTABLE,
	MS_DIRTY,
	MS_WRITEBACK,
	MS_ANON,
	MS_MAPPED,
	MS_SHMEM,
	MS_SRECLAIMABLE,
	MS_SUNRECLAIM,
	MS_KERNEL_STACK,
	MS_PAGE_TABLES,
	MS_ANON_HUGE,
	MS_SHMEM_HUGE,
	MS_FILE_HUGE,
	MS_ZSWAP,
	MS_ZSWAPPED,
	MS_N
};

/* Bytes. limit and swap_limit are the lowest among the cgroup and its ancestors. */
struct mem_numbers {
	uint64_t limit, usage;
	uint64_t swap_limit, swap_usage;
	uint64_t stat[MS_N];
};

/* v1: memory.stat (its hierarchical_memory_limit / hierarchical_memsw_limit are already the
 * lowest along the ancestors), memory.usage_in_bytes, and memory.memsw.usage_in_bytes or
 * MEM_UNLIMITED when swap accounting is off. */
void mem_numbers_v1(struct mem_numbers *m, const char *memory_stat, uint64_t usage,
                    uint64_t memsw_usage);
/* v2: memory.stat, memory.current, memory.swap.current, and the lowest memory.max and
 * memory.swap.max along the ancestors (MEM_UNLIMITED for "max" or missing). */
void mem_numbers_v2(struct mem_numbers *m, const char *memory_stat, uint64_t max, uint64_t current,
                    uint64_t swap_max, uint64_t swap_current);

/* What free(1) shows, in kB. */
struct mem_summary {
	uint64_t total, free, available;
	uint64_t swap_total, swap_free;
};

/* Host values capped by the cgroup's; swap 0 when swap_enabled is false (lxcfs -u). */
void mem_summarize(const char *host_meminfo, const struct mem_numbers *m, bool swap_enabled,
                   struct mem_summary *s);
/* The host file with the container's lines replaced, in the kernel's format. */
void meminfo_render(const char *host_meminfo, const struct mem_numbers *m, bool swap_enabled,
                    struct strbuf *out);
/* The /proc/swaps header, and one "none virtual" line when the container has swap. */
void swaps_render(const struct mem_summary *s, struct strbuf *out);

/* The number after "key:" in a meminfo-like text (kB), or dflt. */
uint64_t meminfo_value(const char *text, const char *key, uint64_t dflt);

#endif
