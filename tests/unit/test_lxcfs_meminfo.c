#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "meminfo_render.h"

static const char host_meminfo[] = "MemTotal:       24683620 kB\n"
                                   "MemFree:        24120428 kB\n"
                                   "MemAvailable:   24262224 kB\n"
                                   "Buffers:            2832 kB\n"
                                   "Cached:           286932 kB\n"
                                   "SwapCached:            0 kB\n"
                                   "Active:           120000 kB\n"
                                   "Inactive:         200000 kB\n"
                                   "Active(anon):       1000 kB\n"
                                   "Inactive(anon):    10000 kB\n"
                                   "Active(file):     119000 kB\n"
                                   "Inactive(file):   190000 kB\n"
                                   "SwapTotal:       4194300 kB\n"
                                   "SwapFree:        4194300 kB\n"
                                   "Shmem:              8000 kB\n"
                                   "Slab:              90000 kB\n"
                                   "CommitLimit:    16536108 kB\n"
                                   "HugePages_Total:       0\n"
                                   "Hugepagesize:       2048 kB\n";

/* 64 MiB limit, memsw 96 MiB; 10 MiB charged (4 MiB cache), 1 MiB in swap. */
static const char v1_stat[] = "cache 0\nrss 0\n"
                              "hierarchical_memory_limit 67108864\n"
                              "hierarchical_memsw_limit 100663296\n"
                              "total_cache 4194304\n"
                              "total_rss 6291456\n"
                              "total_shmem 1048576\n"
                              "total_mapped_file 2097152\n"
                              "total_swapcached 0\n"
                              "total_active_anon 2097152\n"
                              "total_inactive_anon 4194304\n"
                              "total_active_file 1048576\n"
                              "total_inactive_file 3145728\n"
                              "total_unevictable 0\n";

/* The number on the "key:" line of text, or -1 (meminfo_value is tested below). */
static long long line_kb(const char *text, const char *key)
{
	return (long long)meminfo_value(text, key, UINT64_MAX);
}

static void render(const struct mem_numbers *m, bool swap, struct strbuf *out)
{
	strbuf_reset(out);
	meminfo_render(host_meminfo, m, swap, out);
	assert_false(out->failed);
}

static void test_v1_limited(void **state)
{
	struct mem_numbers m;
	mem_numbers_v1(&m, v1_stat, 10 << 20, (10 << 20) + (1 << 20));
	assert_int_equal(m.limit, 64 << 20);
	assert_int_equal(m.swap_limit, 32 << 20);
	assert_int_equal(m.swap_usage, 1 << 20);
	struct strbuf out = {0};
	render(&m, true, &out);
	const char *t = out.data;
	assert_non_null(strstr(t, "MemTotal:          65536 kB\n"));
	assert_int_equal(line_kb(t, "MemFree"), 65536 - 10240);
	/* free + active_file + inactive_file */
	assert_int_equal(line_kb(t, "MemAvailable"), 65536 - 10240 + 1024 + 3072);
	assert_int_equal(line_kb(t, "Buffers"), 0);
	assert_int_equal(line_kb(t, "Cached"), 4096);
	assert_int_equal(line_kb(t, "Active"), 2048 + 1024);
	assert_int_equal(line_kb(t, "Inactive"), 4096 + 3072);
	assert_int_equal(line_kb(t, "Active(anon)"), 2048);
	assert_int_equal(line_kb(t, "Inactive(file)"), 3072);
	assert_int_equal(line_kb(t, "Shmem"), 1024);
	assert_int_equal(line_kb(t, "SwapTotal"), 32768);
	assert_int_equal(line_kb(t, "SwapFree"), 32768 - 1024);
	/* v1 has no slab numbers per cgroup: 0 rather than the host's. */
	assert_int_equal(line_kb(t, "Slab"), 0);
	/* Lines the cgroup knows nothing of stay the host's, in order. */
	assert_int_equal(line_kb(t, "CommitLimit"), 16536108);
	assert_non_null(strstr(t, "HugePages_Total:       0\nHugepagesize:       2048 kB\n"));
	assert_int_equal(strncmp(t, "MemTotal:", 9), 0);
	strbuf_free(&out);
}

static void test_v1_unlimited_is_host_total(void **state)
{
	const char stat[] = "hierarchical_memory_limit 9223372036854771712\n"
	                    "hierarchical_memsw_limit 9223372036854771712\n"
	                    "total_cache 0\n";
	struct mem_numbers m;
	mem_numbers_v1(&m, stat, 1 << 20, MEM_UNLIMITED);
	assert_true(m.limit == MEM_UNLIMITED);
	struct mem_summary s;
	mem_summarize(host_meminfo, &m, true, &s);
	assert_int_equal(s.total, 24683620);
	assert_int_equal(s.free, 24683620 - 1024);
	/* No memsw accounting: the host's swap, none of it used by the container. */
	assert_int_equal(s.swap_total, 4194300);
	assert_int_equal(s.swap_free, 4194300);
}

static void test_limit_above_host_is_host(void **state)
{
	char stat[128];
	snprintf(stat, sizeof(stat), "hierarchical_memory_limit %llu\n", 64ULL << 40);
	struct mem_numbers m;
	mem_numbers_v1(&m, stat, 0, MEM_UNLIMITED);
	struct mem_summary s;
	mem_summarize(host_meminfo, &m, true, &s);
	assert_int_equal(s.total, 24683620);
}

static void test_usage_over_limit_never_negative(void **state)
{
	struct mem_numbers m;
	mem_numbers_v1(&m, v1_stat, 80 << 20, MEM_UNLIMITED);
	struct mem_summary s;
	mem_summarize(host_meminfo, &m, true, &s);
	assert_int_equal(s.total, 65536);
	assert_int_equal(s.free, 0);
	assert_true(s.available <= s.total);
}

static void test_swap_disabled(void **state)
{
	struct mem_numbers m;
	mem_numbers_v1(&m, v1_stat, 10 << 20, 11 << 20);
	struct strbuf out = {0};
	render(&m, false, &out);
	assert_int_equal(line_kb(out.data, "SwapTotal"), 0);
	assert_int_equal(line_kb(out.data, "SwapFree"), 0);
	struct mem_summary s;
	mem_summarize(host_meminfo, &m, false, &s);
	strbuf_reset(&out);
	swaps_render(&s, &out);
	assert_string_equal(out.data, "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n");
	strbuf_free(&out);
}

static void test_v2(void **state)
{
	const char stat[] = "anon 4194304\nfile 2097152\nkernel_stack 65536\npagetables 131072\n"
	                    "shmem 0\nfile_mapped 1048576\nactive_anon 0\ninactive_anon 4194304\n"
	                    "active_file 1048576\ninactive_file 1048576\nslab_reclaimable 524288\n"
	                    "slab_unreclaimable 262144\n";
	struct mem_numbers m;
	mem_numbers_v2(&m, stat, 128 << 20, 8 << 20, 16 << 20, 2 << 20);
	struct strbuf out = {0};
	render(&m, true, &out);
	const char *t = out.data;
	assert_int_equal(line_kb(t, "MemTotal"), 131072);
	assert_int_equal(line_kb(t, "MemFree"), 131072 - 8192);
	assert_int_equal(line_kb(t, "MemAvailable"), 131072 - 8192 + 1024 + 1024 + 512);
	assert_int_equal(line_kb(t, "Cached"), 2048);
	assert_int_equal(line_kb(t, "Slab"), 768);
	assert_int_equal(line_kb(t, "SwapTotal"), 16384);
	assert_int_equal(line_kb(t, "SwapFree"), 16384 - 2048);
	strbuf_free(&out);

	/* "max" everywhere: host values. */
	mem_numbers_v2(&m, stat, UINT64_MAX, 8 << 20, UINT64_MAX, 0);
	struct mem_summary s;
	mem_summarize(host_meminfo, &m, true, &s);
	assert_int_equal(s.total, 24683620);
	assert_int_equal(s.swap_total, 4194300);
}

static void test_swaps_line(void **state)
{
	struct mem_summary s = {.swap_total = 32768, .swap_free = 32768 - 1024};
	struct strbuf out = {0};
	swaps_render(&s, &out);
	assert_string_equal(out.data,
	                    "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n"
	                    "none                                    virtual\t32768\t\t1024\t"
	                    "\t0\n");
	strbuf_free(&out);
}

static void test_meminfo_value(void **state)
{
	assert_int_equal(meminfo_value(host_meminfo, "MemTotal", 0), 24683620);
	assert_int_equal(meminfo_value(host_meminfo, "Active", 0), 120000);
	assert_int_equal(meminfo_value(host_meminfo, "Nope", 7), 7);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_v1_limited),
	    cmocka_unit_test(test_v1_unlimited_is_host_total),
	    cmocka_unit_test(test_limit_above_host_is_host),
	    cmocka_unit_test(test_usage_over_limit_never_negative),
	    cmocka_unit_test(test_swap_disabled),
	    cmocka_unit_test(test_v2),
	    cmocka_unit_test(test_swaps_line),
	    cmocka_unit_test(test_meminfo_value),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
