#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "cgroup_parse.h"
#include "proc_parse.h"

static void test_hybrid_host(void **state)
{
	char text[] = "12:name=systemd:/\n"
	              "11:cpu,cpuacct:/lxc/c1\n"
	              "10:memory:/lxc/c1\n"
	              "9:cpuset:/lxc/c1\n"
	              "8:blkio:/lxc/c1\n"
	              "7:devices:/lxc/c1\n"
	              "0::/lxc/c1\n";
	struct pid_cgroups pc;
	/* cpu,cpuacct gives both the cpu (quota) and the cpuacct (usage) controllers. */
	assert_int_equal(pid_cgroups_parse(text, &pc), 7);
	assert_string_equal(pc.v1[CG_MEMORY], "/lxc/c1");
	assert_string_equal(pc.v1[CG_CPUACCT], "/lxc/c1");
	assert_string_equal(pc.v1[CG_CPU], "/lxc/c1");
	assert_string_equal(pc.v1[CG_CPUSET], "/lxc/c1");
	assert_string_equal(pc.v1[CG_BLKIO], "/lxc/c1");
	assert_string_equal(pc.v1[CG_DEVICES], "/lxc/c1");
	assert_string_equal(pc.unified, "/lxc/c1");
}

static void test_separate_hierarchies(void **state)
{
	/* This machine's layout: cpu and cpuacct on hierarchies of their own. */
	char text[] = "2:cpuacct:/a\n1:cpu:/b\n4:memory:/m\n";
	struct pid_cgroups pc;
	pid_cgroups_parse(text, &pc);
	assert_string_equal(pc.v1[CG_CPUACCT], "/a");
	assert_string_equal(pc.v1[CG_CPU], "/b");
	assert_string_equal(pc.v1[CG_MEMORY], "/m");
	assert_null(pc.v1[CG_CPUSET]);
	assert_null(pc.unified);
}

static void test_unified_only_and_init_scope(void **state)
{
	char text[] = "0::/system.slice/box.service/init.scope\n";
	struct pid_cgroups pc;
	assert_int_equal(pid_cgroups_parse(text, &pc), 1);
	assert_string_equal(pc.unified, "/system.slice/box.service");
	for (int c = 0; c < CG_NCTRL; c++)
		assert_null(pc.v1[c]);

	char root[] = "0::/init.scope\n";
	pid_cgroups_parse(root, &pc);
	assert_string_equal(pc.unified, "/");
}

static void test_no_false_controller_match(void **state)
{
	/* "cpu" must not be taken for "cpuset" or "cpuacct", nor "memory" for "memory2". */
	char text[] = "3:cpu:/x\n5:memoryx:/y\nbroken line\n6::relative\n";
	struct pid_cgroups pc;
	assert_int_equal(pid_cgroups_parse(text, &pc), 1);
	assert_string_equal(pc.v1[CG_CPU], "/x");
	assert_null(pc.v1[CG_CPUSET]);
	assert_null(pc.v1[CG_CPUACCT]);
	assert_null(pc.v1[CG_MEMORY]);
	assert_true(word_list_has("rw,cpu,cpuacct", "cpuacct"));
	assert_false(word_list_has("rw,cpu,cpuacct", "cpuset"));
	assert_true(word_list_has("cpuset cpu io memory\n", "io"));
	assert_false(word_list_has(NULL, "io"));
}

static void test_proc_stat_starttime(void **state)
{
	/* A command name with spaces and parentheses. */
	const char *stat = "4242 (my (odd) cmd) S 1 4242 4242 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 "
	                   "1 0 987654 1000 10 18446744073709551615\n";
	uint64_t t = 0;
	assert_int_equal(proc_stat_starttime(stat, &t), 0);
	assert_int_equal(t, 987654);
	assert_int_equal(proc_stat_starttime("12 (x) S 1 2", &t), -1);
	assert_int_equal(proc_stat_starttime("no parenthesis", &t), -1);
}

static void test_proc_status_nspid(void **state)
{
	const char *status = "Name:\tsh\nPPid:\t4100\nNSpid:\t4242\t17\t1\nNSpgid:\t1\n";
	pid_t last = 0, ppid = 0;
	assert_int_equal(proc_status_nspid_ppid(status, &last, &ppid), 0);
	assert_int_equal(last, 1);
	assert_int_equal(ppid, 4100);
	assert_int_equal(proc_status_nspid_ppid("Name:\tx\nPPid:\t1\n", &last, &ppid), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_hybrid_host),
	    cmocka_unit_test(test_separate_hierarchies),
	    cmocka_unit_test(test_unified_only_and_init_scope),
	    cmocka_unit_test(test_no_false_controller_match),
	    cmocka_unit_test(test_proc_stat_starttime),
	    cmocka_unit_test(test_proc_status_nspid),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
