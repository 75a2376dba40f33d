/* The renderers fed whole cgroup v2 files as a 6.x kernel writes them (every key it has,
 * several sharing prefixes), not just the keys they look for. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "cpu_quota.h"
#include "cpuinfo_render.h"
#include "disk_render.h"
#include "meminfo_render.h"
#include "stat_render.h"

/* memory.stat of a 64 MiB cgroup running a shell and a small daemon (kernel 6.x): every
 * value distinct, so that a key taken for its neighbour ("slab" for "slab_reclaimable",
 * "shmem" for "shmem_thp", "file" for "file_mapped") shows. */
static const char memory_stat[] = "anon 5242880\n"
                                  "file 3145728\n"
                                  "kernel 1351680\n"
                                  "kernel_stack 114688\n"
                                  "pagetables 94208\n"
                                  "sec_pagetables 0\n"
                                  "percpu 5888\n"
                                  "sock 0\n"
                                  "vmalloc 8192\n"
                                  "shmem 12288\n"
                                  "zswap 0\n"
                                  "zswapped 0\n"
                                  "file_mapped 1892352\n"
                                  "file_dirty 16384\n"
                                  "file_writeback 4096\n"
                                  "swapcached 20480\n"
                                  "anon_thp 2097152\n"
                                  "file_thp 0\n"
                                  "shmem_thp 4194304\n"
                                  "inactive_anon 5193728\n"
                                  "active_anon 49152\n"
                                  "inactive_file 1814528\n"
                                  "active_file 1331200\n"
                                  "unevictable 0\n"
                                  "slab_reclaimable 667648\n"
                                  "slab_unreclaimable 378904\n"
                                  "slab 1046552\n"
                                  "workingset_refault_anon 0\n"
                                  "workingset_refault_file 12\n"
                                  "workingset_activate_anon 0\n"
                                  "workingset_activate_file 3\n"
                                  "workingset_restore_anon 0\n"
                                  "workingset_restore_file 0\n"
                                  "workingset_nodereclaim 0\n"
                                  "pgscan 0\n"
                                  "pgsteal 0\n"
                                  "pgscan_kswapd 0\n"
                                  "pgscan_direct 0\n"
                                  "pgsteal_kswapd 0\n"
                                  "pgsteal_direct 0\n"
                                  "pgfault 3713\n"
                                  "pgmajfault 5\n"
                                  "pgrefill 0\n"
                                  "pgactivate 310\n"
                                  "pgdeactivate 0\n"
                                  "pglazyfree 0\n"
                                  "pglazyfreed 0\n"
                                  "zswpin 0\n"
                                  "zswpout 0\n"
                                  "thp_fault_alloc 1\n"
                                  "thp_collapse_alloc 0\n";

static const char host_meminfo[] = "MemTotal:       24683548 kB\n"
                                   "MemFree:        20120428 kB\n"
                                   "MemAvailable:   23262224 kB\n"
                                   "Buffers:            2832 kB\n"
                                   "Cached:          2286932 kB\n"
                                   "SwapCached:            0 kB\n"
                                   "Active(anon):       1000 kB\n"
                                   "Inactive(anon):    10000 kB\n"
                                   "Active(file):     119000 kB\n"
                                   "Inactive(file):   190000 kB\n"
                                   "SwapTotal:       4194300 kB\n"
                                   "SwapFree:        4194300 kB\n"
                                   "Dirty:               100 kB\n"
                                   "AnonPages:        300000 kB\n"
                                   "Mapped:           100000 kB\n"
                                   "Shmem:              8000 kB\n"
                                   "Slab:              90000 kB\n"
                                   "SReclaimable:      50000 kB\n"
                                   "SUnreclaim:        40000 kB\n"
                                   "ShmemHugePages:        0 kB\n";

static uint64_t line_kb(const char *text, const char *key)
{
	return meminfo_value(text, key, UINT64_MAX);
}

static void test_memory_stat_whole_file(void **state)
{
	/* memory.max "67108864", memory.current "9437184", memory.swap.max "max",
	 * memory.swap.current "0". */
	struct mem_numbers m;
	mem_numbers_v2(&m, memory_stat, 67108864, 9437184, MEM_UNLIMITED, 0);
	assert_int_equal(m.stat[MS_CACHED], 3145728);
	assert_int_equal(m.stat[MS_MAPPED], 1892352);
	assert_int_equal(m.stat[MS_SHMEM], 12288);
	assert_int_equal(m.stat[MS_SHMEM_HUGE], 4194304);
	assert_int_equal(m.stat[MS_ANON], 5242880);
	assert_int_equal(m.stat[MS_ANON_HUGE], 2097152);
	assert_int_equal(m.stat[MS_SRECLAIMABLE], 667648);
	assert_int_equal(m.stat[MS_SUNRECLAIM], 378904);
	assert_int_equal(m.stat[MS_DIRTY], 16384);
	assert_int_equal(m.stat[MS_WRITEBACK], 4096);
	assert_int_equal(m.stat[MS_SWAPCACHED], 20480);
	struct strbuf out = {0};
	meminfo_render(host_meminfo, &m, true, &out);
	const char *t = out.data;
	assert_int_equal(line_kb(t, "MemTotal"), 65536);
	assert_int_equal(line_kb(t, "MemFree"), 65536 - 9216);
	assert_int_equal(line_kb(t, "Cached"), 3072);
	assert_int_equal(line_kb(t, "Shmem"), 12);
	assert_int_equal(line_kb(t, "ShmemHugePages"), 4096);
	assert_int_equal(line_kb(t, "Active(file)"), 1300);
	assert_int_equal(line_kb(t, "Inactive(file)"), 1772);
	assert_int_equal(line_kb(t, "SReclaimable"), 652);
	assert_int_equal(line_kb(t, "Dirty"), 16);
	/* swap.max "max": the host's swap. */
	assert_int_equal(line_kb(t, "SwapTotal"), 4194300);
	/* Every line still "Key: N kB". */
	for (const char *p = t; *p;) {
		const char *nl = strchr(p, '\n');
		assert_non_null(nl);
		assert_non_null(memchr(p, ':', (size_t)(nl - p)));
		p = nl + 1;
	}
	strbuf_free(&out);
}

static void test_cpu_max_and_cpuset(void **state)
{
	/* cpu.max as written by `echo "150000 100000" > cpu.max`, and its default. */
	assert_int_equal(cfs_quota_cpus_v2("150000 100000\n"), 2);
	assert_int_equal(cfs_quota_cpus_v2("max 100000\n"), 0);
	/* cpuset.cpus.effective of a child of a 0-1 parent; a quota of 1 cpu wins over it. */
	struct cpuset s;
	assert_int_equal(cpuset_parse("0-1\n", &s), 0);
	assert_int_equal(cpuset_count(&s), 2);
	cpuset_keep_first(&s, cfs_quota_cpus_v2("100000 100000\n"));
	struct strbuf out = {0};
	cpu_online_render(cpuset_count(&s), &out);
	assert_string_equal(out.data, "0\n");
	strbuf_free(&out);
}

static void test_cpu_stat_whole_file(void **state)
{
	/* This host's /sys/fs/cgroup/unified/cpu.stat layout (6.x: nr_* lines with a quota). */
	const char cpu_stat[] = "usage_usec 1200000\n"
	                        "user_usec 800000\n"
	                        "system_usec 400000\n"
	                        "core_sched.force_idle_usec 0\n"
	                        "nr_periods 120\n"
	                        "nr_throttled 30\n"
	                        "throttled_usec 900000\n"
	                        "nr_bursts 0\n"
	                        "burst_usec 0\n";
	struct cpuset s;
	assert_int_equal(cpuset_parse("0-1", &s), 0);
	struct cpu_usage u[4] = {{0}};
	assert_int_equal(cpu_stat_v2_spread(cpu_stat, &s, u, 4), 2);
	/* 0.8 s user, 0.4 s system over 2 cpus, in USER_HZ (100) ticks. */
	assert_int_equal(u[0].user, 40);
	assert_int_equal(u[1].user, 40);
	assert_int_equal(u[0].system, 20);
	assert_false(u[2].known);
}

static void test_io_stat_whole_file(void **state)
{
	/* io.stat of a 6.x kernel, with a device the cgroup never used (all zero) and an
	 * iocost line on the same device. */
	const char io_stat[] = "254:0 rbytes=2297856 wbytes=8192 rios=81 wios=2 dbytes=0 dios=0\n"
	                       "7:0 rbytes=0 wbytes=0 rios=0 wios=0 dbytes=0 dios=0\n"
	                       "8:0 rbytes=1024 wbytes=0 rios=1 wios=0 dbytes=4096 dios=1 "
	                       "cost.vrate=100.00 cost.usage=5 cost.wait=0 cost.indebt=0 "
	                       "cost.indelay=0\n";
	struct disk_io_table t = {0};
	io_stat_v2_parse(io_stat, &t);
	assert_int_equal(t.n, 3);
	assert_int_equal(t.v[0].reads, 81);
	assert_int_equal(t.v[0].read_bytes, 2297856);
	assert_int_equal(t.v[2].discards, 1);
	assert_int_equal(t.v[2].discard_bytes, 4096);
	const char host[] = "   7       0 loop0 9 0 18 0 0 0 0 0 0 4 0 0 0 0 0 0 0\n"
	                    " 254       0 vda 568077 30479 20697442 185389 450427 546746 20596624 "
	                    "246993 0 152376 525833 485800 45 17577880 70986 87860 22464\n"
	                    "   8       0 sda 5 0 40 1 0 0 0 0 0 1 1 0 0 0 0\n";
	struct strbuf out = {0};
	diskstats_render(host, &t, &out);
	/* loop0 had no I/O of the cgroup: not shown; vda: 81 reads, 4488 sectors. */
	const char *vda = strstr(out.data, " vda ");
	assert_non_null(vda);
	assert_null(strstr(out.data, "loop0"));
	assert_int_equal(strncmp(vda, " vda 81 0 4488 ", 15), 0);
	strbuf_free(&out);
	disk_io_table_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_memory_stat_whole_file),
	    cmocka_unit_test(test_cpu_max_and_cpuset),
	    cmocka_unit_test(test_cpu_stat_whole_file),
	    cmocka_unit_test(test_io_stat_whole_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
