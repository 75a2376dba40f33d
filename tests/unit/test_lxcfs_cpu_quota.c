#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "cpu_quota.h"
#include "cpuinfo_render.h"

/* The texts as the kernel writes them (v1 cpu.cfs_quota_us / cpu.cfs_period_us, v2 cpu.max). */
static void test_v1_quota(void **state)
{
	assert_int_equal(cfs_quota_cpus_v1("150000\n", "100000\n"), 2);
	assert_int_equal(cfs_quota_cpus_v1("50000\n", "100000\n"), 1);
	assert_int_equal(cfs_quota_cpus_v1("200000\n", "100000\n"), 2);
	assert_int_equal(cfs_quota_cpus_v1("200001\n", "100000\n"), 3);
	assert_int_equal(cfs_quota_cpus_v1("1000\n", "1000000\n"), 1);
	/* No quota, and text that is not one. */
	assert_int_equal(cfs_quota_cpus_v1("-1\n", "100000\n"), 0);
	assert_int_equal(cfs_quota_cpus_v1("", "100000\n"), 0);
	assert_int_equal(cfs_quota_cpus_v1("150000\n", "0\n"), 0);
	assert_int_equal(cfs_quota_cpus_v1("150000 junk\n", "100000\n"), 0);
	assert_int_equal(cfs_quota_cpus_v1("abc", "100000\n"), 0);
	assert_int_equal(cfs_quota_cpus_v1("99999999999999999999999\n", "1\n"), 0);
	assert_int_equal(cfs_quota_cpus_v1(NULL, "100000\n"), 0);
	/* A huge quota: as many cpus as a cpuset can hold. */
	assert_int_equal(cfs_quota_cpus_v1("9223372036854775807\n", "1000\n"), CPUSET_MAX);
}

static void test_v2_cpu_max(void **state)
{
	assert_int_equal(cfs_quota_cpus_v2("150000 100000\n"), 2);
	assert_int_equal(cfs_quota_cpus_v2("50000 100000\n"), 1);
	assert_int_equal(cfs_quota_cpus_v2("300000 100000\n"), 3);
	assert_int_equal(cfs_quota_cpus_v2("max 100000\n"), 0);
	assert_int_equal(cfs_quota_cpus_v2("150000\n"), 0);
	assert_int_equal(cfs_quota_cpus_v2("150000 0\n"), 0);
	assert_int_equal(cfs_quota_cpus_v2("150000 100000 7\n"), 0);
	assert_int_equal(cfs_quota_cpus_v2("-5 100000\n"), 0);
	assert_int_equal(cfs_quota_cpus_v2(""), 0);
	assert_int_equal(cfs_quota_cpus_v2(NULL), 0);
}

static void test_keep_first(void **state)
{
	struct cpuset s;
	assert_int_equal(cpuset_parse("1,3-5,9", &s), 0);
	cpuset_keep_first(&s, 3);
	assert_int_equal(cpuset_count(&s), 3);
	assert_true(cpuset_has(&s, 1) && cpuset_has(&s, 3) && cpuset_has(&s, 4));
	assert_false(cpuset_has(&s, 5) || cpuset_has(&s, 9));
	cpuset_keep_first(&s, 8);
	assert_int_equal(cpuset_count(&s), 3);
}

static void test_fold(void **state)
{
	struct cpuset full, kept;
	assert_int_equal(cpuset_parse("0-3", &full), 0);
	kept = full;
	cpuset_keep_first(&kept, 2);
	struct cpu_usage u[8];
	memset(u, 0, sizeof(u));
	for (int i = 0; i < 4; i++)
		u[i] = (struct cpu_usage){.user = 10 * (i + 1), .system = i + 1, .known = 1};
	cpu_usage_fold(u, 8, &full, &kept);
	/* cpu 2 onto cpu 0, cpu 3 onto cpu 1: the total stays 100 user, 10 system. */
	assert_int_equal(u[0].user, 10 + 30);
	assert_int_equal(u[1].user, 20 + 40);
	assert_int_equal(u[0].system, 1 + 3);
	assert_int_equal(u[1].system, 2 + 4);
	assert_false(u[2].known || u[3].known);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_v1_quota),
	    cmocka_unit_test(test_v2_cpu_max),
	    cmocka_unit_test(test_keep_first),
	    cmocka_unit_test(test_fold),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
