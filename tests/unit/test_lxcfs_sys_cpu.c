#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cpu_dir.h"
#include "pt_inodes.h"

static void test_name_ok(void **state)
{
	assert_true(sys_name_ok("cpu0"));
	assert_true(sys_name_ok("core_cpus_list"));
	assert_true(sys_name_ok(".hidden"));
	assert_true(sys_name_ok("..."));
	assert_false(sys_name_ok(""));
	assert_false(sys_name_ok("."));
	assert_false(sys_name_ok(".."));
	assert_false(sys_name_ok("cpu0/online"));
	assert_false(sys_name_ok("/etc"));
	assert_false(sys_name_ok("../../../etc"));
	char longname[300];
	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	assert_false(sys_name_ok(longname));
	longname[255] = '\0';
	assert_true(sys_name_ok(longname));
}

static void test_cpu_number(void **state)
{
	unsigned n = 99;
	assert_true(cpu_dir_cpu_number("cpu0", &n));
	assert_int_equal(n, 0);
	assert_true(cpu_dir_cpu_number("cpu17", &n));
	assert_int_equal(n, 17);
	assert_true(cpu_dir_cpu_number("cpu1023", &n));
	assert_int_equal(n, 1023);
	/* Not a cpu the kernel would name: leading 0, sign, suffix, beyond CPUSET_MAX. */
	assert_false(cpu_dir_cpu_number("cpu01", &n));
	assert_false(cpu_dir_cpu_number("cpu00", &n));
	assert_false(cpu_dir_cpu_number("cpu-1", &n));
	assert_false(cpu_dir_cpu_number("cpu+1", &n));
	assert_false(cpu_dir_cpu_number("cpu1a", &n));
	assert_false(cpu_dir_cpu_number("cpu1024", &n));
	assert_false(cpu_dir_cpu_number("cpu99999999999999999999", &n));
	assert_false(cpu_dir_cpu_number("cpu", &n));
	assert_false(cpu_dir_cpu_number("cpufreq", &n));
	assert_false(cpu_dir_cpu_number("cpuidle", &n));
	assert_false(cpu_dir_cpu_number("online", &n));
	assert_true(cpu_dir_names_cpu("cpu01"));
	assert_true(cpu_dir_names_cpu("cpu3"));
	assert_false(cpu_dir_names_cpu("cpufreq"));
	assert_false(cpu_dir_names_cpu("possible"));
}

/* A container with host cpus 2, 5 and 7: they are its cpu0, cpu1, cpu2. */
static void test_host_name(void **state)
{
	struct cpuset set;
	char host[64];
	assert_int_equal(cpuset_parse("2,5,7", &set), 0);
	assert_true(cpu_dir_host_name("cpu0", &set, host, sizeof(host)));
	assert_string_equal(host, "cpu2");
	assert_true(cpu_dir_host_name("cpu1", &set, host, sizeof(host)));
	assert_string_equal(host, "cpu5");
	assert_true(cpu_dir_host_name("cpu2", &set, host, sizeof(host)));
	assert_string_equal(host, "cpu7");
	assert_false(cpu_dir_host_name("cpu3", &set, host, sizeof(host)));
	assert_false(cpu_dir_host_name("cpu7", &set, host, sizeof(host)));
	assert_false(cpu_dir_host_name("cpu02", &set, host, sizeof(host)));
	/* The other entries are the host's own. */
	assert_true(cpu_dir_host_name("possible", &set, host, sizeof(host)));
	assert_string_equal(host, "possible");
	assert_true(cpu_dir_host_name("cpufreq", &set, host, sizeof(host)));
	assert_string_equal(host, "cpufreq");
	/* lxcfs' own online, and unsafe names, are never the host's. */
	assert_false(cpu_dir_host_name("online", &set, host, sizeof(host)));
	assert_false(cpu_dir_host_name("..", &set, host, sizeof(host)));
	assert_false(cpu_dir_host_name("a/b", &set, host, sizeof(host)));
	/* The host's view: names as they are. */
	assert_true(cpu_dir_host_name("cpu7", NULL, host, sizeof(host)));
	assert_string_equal(host, "cpu7");
	assert_false(cpu_dir_host_name("cpu007", NULL, host, sizeof(host)));
	/* A buffer too small is a failure, not a cut name. */
	assert_false(cpu_dir_host_name("vulnerabilities", NULL, host, 4));
}

static void test_visible_name(void **state)
{
	struct cpuset set;
	char vis[64];
	assert_int_equal(cpuset_parse("2,5,7", &set), 0);
	assert_true(cpu_dir_visible_name("cpu2", &set, vis, sizeof(vis)));
	assert_string_equal(vis, "cpu0");
	assert_true(cpu_dir_visible_name("cpu5", &set, vis, sizeof(vis)));
	assert_string_equal(vis, "cpu1");
	assert_true(cpu_dir_visible_name("cpu7", &set, vis, sizeof(vis)));
	assert_string_equal(vis, "cpu2");
	assert_false(cpu_dir_visible_name("cpu0", &set, vis, sizeof(vis)));
	assert_false(cpu_dir_visible_name("cpu6", &set, vis, sizeof(vis)));
	assert_false(cpu_dir_visible_name("online", &set, vis, sizeof(vis)));
	assert_false(cpu_dir_visible_name(".", &set, vis, sizeof(vis)));
	assert_true(cpu_dir_visible_name("kernel_max", &set, vis, sizeof(vis)));
	assert_string_equal(vis, "kernel_max");
	assert_true(cpu_dir_visible_name("cpu6", NULL, vis, sizeof(vis)));
	assert_string_equal(vis, "cpu6");
	assert_false(cpu_dir_visible_name("online", NULL, vis, sizeof(vis)));
	/* Each visible name maps back to the host name it came from. */
	char host[64];
	for (unsigned cpu = 0; cpu < 10; cpu++) {
		char name[16];
		snprintf(name, sizeof(name), "cpu%u", cpu);
		if (!cpu_dir_visible_name(name, &set, vis, sizeof(vis)))
			continue;
		assert_true(cpu_dir_host_name(vis, &set, host, sizeof(host)));
		assert_string_equal(host, name);
	}
}

/* A quota cut (cpuset_keep_first) and a cpuset of every cpu: the same numbering as
 * cpu/online's 0-(N-1). */
static void test_dense_set(void **state)
{
	struct cpuset set;
	char host[64];
	assert_int_equal(cpuset_parse("0-3", &set), 0);
	for (unsigned k = 0; k < 4; k++) {
		char name[16], want[16];
		snprintf(name, sizeof(name), "cpu%u", k);
		snprintf(want, sizeof(want), "cpu%u", k);
		assert_true(cpu_dir_host_name(name, &set, host, sizeof(host)));
		assert_string_equal(host, want);
	}
	assert_false(cpu_dir_host_name("cpu4", &set, host, sizeof(host)));
}

static void test_pt_intern_forget(void **state)
{
	uint64_t a, b, c, a2;
	char host[64];
	uint64_t parent;
	assert_int_equal(pt_intern(6, "cpu0", "cpu5", &a), 0);
	assert_true(pt_is_ino(a));
	assert_true(a & PT_INO_BIT);
	assert_false(pt_is_ino(6));
	assert_false(pt_is_ino((uint64_t)(1 << 20) << 5 | 31));
	/* The same key: the same inode, one more lookup on it. */
	assert_int_equal(pt_intern(6, "cpu0", "cpu5", &a2), 0);
	assert_true(a == a2);
	/* The same name mapped to another host cpu, or under another parent: another inode. */
	assert_int_equal(pt_intern(6, "cpu0", "cpu0", &b), 0);
	assert_true(b != a);
	assert_int_equal(pt_intern(38, "cpu0", "cpu5", &c), 0);
	assert_true(c != a && c != b);
	assert_int_equal(pt_count(), 3);
	assert_int_equal(pt_get(a, host, sizeof(host), &parent), 0);
	assert_string_equal(host, "cpu5");
	assert_int_equal(parent, 6);
	assert_int_equal(pt_get(a, host, 4, NULL), -ENAMETOOLONG);
	/* Its number is what a listing would give it. */
	assert_true(pt_ino_guess(6, "cpu0", "cpu5") == a);
	/* Two lookups: the first forget leaves it, the second takes it. */
	pt_forget(a, 1);
	assert_int_equal(pt_get(a, host, sizeof(host), NULL), 0);
	pt_forget(a, 1);
	assert_int_equal(pt_get(a, host, sizeof(host), NULL), -ENOENT);
	assert_int_equal(pt_count(), 2);
	/* Forgetting more than was looked up, or an unknown inode, is harmless. */
	pt_forget(b, 10);
	pt_forget(PT_INO_BIT | 12345, 1);
	assert_int_equal(pt_count(), 1);
	/* Made again: the same number as before (derived from the key). */
	assert_int_equal(pt_intern(6, "cpu0", "cpu5", &a2), 0);
	assert_true(a2 == a);
	pt_free_all();
	assert_int_equal(pt_count(), 0);
}

/* Many entries (the table grows), each found again; then the bound. */
static void test_pt_many_and_bound(void **state)
{
	enum { N = 5000 };
	static uint64_t inos[N];
	char name[32], host[64], got[64];
	for (int i = 0; i < N; i++) {
		snprintf(name, sizeof(name), "f%d", i);
		snprintf(host, sizeof(host), "cpu1/cache/f%d", i);
		assert_int_equal(pt_intern((uint64_t)(i % 7) + 1, name, host, &inos[i]), 0);
	}
	assert_int_equal(pt_count(), N);
	for (int i = 0; i < N; i++) {
		snprintf(host, sizeof(host), "cpu1/cache/f%d", i);
		assert_int_equal(pt_get(inos[i], got, sizeof(got), NULL), 0);
		assert_string_equal(got, host);
		for (int j = i + 1; j < N && j < i + 50; j++)
			assert_true(inos[i] != inos[j]);
	}
	for (int i = 0; i < N; i++)
		pt_forget(inos[i], 1);
	assert_int_equal(pt_count(), 0);

	pt_set_max(3);
	uint64_t ino;
	assert_int_equal(pt_intern(1, "a", "a", &ino), 0);
	assert_int_equal(pt_intern(1, "b", "b", &ino), 0);
	assert_int_equal(pt_intern(1, "c", "c", &ino), 0);
	assert_int_equal(pt_intern(1, "d", "d", &ino), -ENFILE);
	/* A known key still gets its lookup counted at the bound. */
	assert_int_equal(pt_intern(1, "c", "c", &ino), 0);
	pt_forget(ino, 2);
	assert_int_equal(pt_intern(1, "d", "d", &ino), 0);
	pt_set_max(0);
	char longpath[5000];
	memset(longpath, 'x', sizeof(longpath) - 1);
	longpath[sizeof(longpath) - 1] = '\0';
	assert_int_equal(pt_intern(1, "x", longpath, &ino), -ENAMETOOLONG);
	pt_free_all();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_name_ok),           cmocka_unit_test(test_cpu_number),
	    cmocka_unit_test(test_host_name),         cmocka_unit_test(test_visible_name),
	    cmocka_unit_test(test_dense_set),         cmocka_unit_test(test_pt_intern_forget),
	    cmocka_unit_test(test_pt_many_and_bound),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
