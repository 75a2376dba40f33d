#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpuinfo_render.h"
#include "stat_render.h"

/* Two blocks of an x86 /proc/cpuinfo per cpu, cpus 0-3 on one package. */
static char *x86_cpuinfo(void)
{
	static char buf[4096];
	size_t n = 0;
	for (int cpu = 0; cpu < 4; cpu++)
		n += (size_t)snprintf(
		    buf + n, sizeof(buf) - n,
		    "processor\t: %d\nvendor_id\t: AuthenticAMD\nphysical id\t: 0\n"
		    "siblings\t: 4\ncore id\t\t: %d\ncpu cores\t: 4\napicid\t\t: %d\n"
		    "flags\t\t: fpu vme\n\n",
		    cpu, cpu, cpu * 2);
	return buf;
}

static struct cpuset set_of(const char *list)
{
	struct cpuset s;
	assert_int_equal(cpuset_parse(list, &s), 0);
	return s;
}

static void test_cpuinfo_renumbered(void **state)
{
	struct cpuset s = set_of("1,3");
	struct strbuf out = {0};
	assert_int_equal(cpuinfo_render(x86_cpuinfo(), &s, &out), 2);
	const char *want = "processor\t: 0\nvendor_id\t: AuthenticAMD\nphysical id\t: 0\n"
	                   "siblings\t: 1\ncore id\t\t: 0\ncpu cores\t: 1\napicid\t\t: 2\n"
	                   "flags\t\t: fpu vme\n\n"
	                   "processor\t: 1\nvendor_id\t: AuthenticAMD\nphysical id\t: 1\n"
	                   "siblings\t: 1\ncore id\t\t: 0\ncpu cores\t: 1\napicid\t\t: 6\n"
	                   "flags\t\t: fpu vme\n\n";
	assert_string_equal(out.data, want);
	strbuf_free(&out);
}

static void test_cpuinfo_arm_and_header(void **state)
{
	/* arm64 has no package lines; text before the first processor and after it is kept. */
	const char *arm =
	    "processor\t: 0\nBogoMIPS\t: 100.00\n\nprocessor\t: 1\nBogoMIPS\t: 100.00\n"
	    "\nprocessor\t: 2\nBogoMIPS\t: 100.00\n\n";
	struct cpuset s = set_of("2");
	struct strbuf out = {0};
	assert_int_equal(cpuinfo_render(arm, &s, &out), 1);
	assert_string_equal(out.data, "processor\t: 0\nBogoMIPS\t: 100.00\n\n");
	strbuf_free(&out);

	/* A set of cpus the host does not show: nothing. */
	s = set_of("9");
	struct strbuf none = {0};
	assert_int_equal(cpuinfo_render(arm, &s, &none), 0);
	strbuf_free(&none);
}

/* Found by fuzz_lxcfs: a cpu the text names twice was shown twice (more processors than the
 * set has), and a number beyond unsigned wrapped onto a cpu of the set. */
static void test_cpuinfo_each_cpu_once(void **state)
{
	const char *twice = "processor\t: 1\na\t: x\n\nprocessor\t: 1\na\t: y\n\n"
	                    "processor\t: 4294967297\na\t: z\n\n";
	struct cpuset s = set_of("1");
	struct strbuf out = {0};
	assert_int_equal(cpuinfo_render(twice, &s, &out), 1);
	assert_string_equal(out.data, "processor\t: 0\na\t: x\n\n");
	strbuf_free(&out);
}

static void test_cpu_online(void **state)
{
	struct strbuf out = {0};
	cpu_online_render(1, &out);
	assert_string_equal(out.data, "0\n");
	strbuf_reset(&out);
	cpu_online_render(3, &out);
	assert_string_equal(out.data, "0-2\n");
	strbuf_free(&out);
	struct cpuset s = set_of("0-2,7,64");
	assert_int_equal(cpuset_count(&s), 5);
	assert_true(cpuset_has(&s, 64));
	assert_false(cpuset_has(&s, 3));
	assert_false(cpuset_has(&s, 5000));
}

static const char host_stat[] = "cpu  60 6 30 1000 10 0 5 4 0 0\n"
                                "cpu0 10 1 5 200 2 0 1 1 0 0\n"
                                "cpu1 20 2 10 300 3 0 2 1 0 0\n"
                                "cpu2 30 3 15 500 5 0 2 2 0 0\n"
                                "intr 12345 0 0\n"
                                "ctxt 999\n"
                                "btime 1700000000\n"
                                "processes 42\n";

static void test_stat_host_times_renumbered(void **state)
{
	struct cpuset s = set_of("1-2");
	struct strbuf out = {0};
	stat_render(host_stat, &s, NULL, 0, &out);
	assert_string_equal(out.data, "cpu  50 5 25 800 8 0 4 3 0 0\n"
	                              "cpu0 20 2 10 300 3 0 2 1 0 0\n"
	                              "cpu1 30 3 15 500 5 0 2 2 0 0\n"
	                              "intr 12345 0 0\n"
	                              "ctxt 999\n"
	                              "btime 1700000000\n"
	                              "processes 42\n");
	strbuf_free(&out);
}

static void test_stat_container_times(void **state)
{
	/* cpuacct.usage_all: ns; cpu1 used 0.05 s user, 0.02 s system. */
	const char *all = "cpu user system\n0 0 0\n1 50000000 20000000\n2 0 0\n";
	struct cpu_usage u[8] = {{0}};
	assert_int_equal(cpuacct_usage_all_parse(all, u, 8), 3);
	assert_int_equal(u[1].user, 5);
	assert_int_equal(u[1].system, 2);
	struct cpuset s = set_of("1");
	struct strbuf out = {0};
	stat_render(host_stat, &s, u, 8, &out);
	/* Host cpu1 adds up to 20+2+10+300+3+0+2+1 = 338 ticks: the container keeps that total
	 * (user 5, system 2, the host's steal 1, the rest idle). */
	const char *want = "cpu  5 0 2 330 0 0 0 1 0 0\ncpu0 5 0 2 330 0 0 0 1 0 0\nintr";
	assert_int_equal(strncmp(out.data, want, strlen(want)), 0);
	strbuf_free(&out);
}

static void test_percpu_and_v2(void **state)
{
	struct cpu_usage u[4] = {{0}};
	assert_int_equal(cpuacct_percpu_parse("10000000 20000000 \n", "0 30000000\n", u, 4), 2);
	assert_int_equal(u[0].user, 1);
	assert_int_equal(u[1].user, 2);
	assert_int_equal(u[1].system, 3);

	struct cpu_usage v[4] = {{0}};
	struct cpuset s = set_of("1-2");
	assert_int_equal(cpu_stat_v2_spread("usage_usec 500000\nuser_usec 400000\nsystem_usec "
	                                    "100000\n",
	                                    &s, v, 4),
	                 2);
	assert_int_equal(v[1].user, 20);
	assert_int_equal(v[2].system, 5);
	assert_false(v[0].known);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_cpuinfo_renumbered),
	    cmocka_unit_test(test_cpuinfo_arm_and_header),
	    cmocka_unit_test(test_cpuinfo_each_cpu_once),
	    cmocka_unit_test(test_cpu_online),
	    cmocka_unit_test(test_stat_host_times_renumbered),
	    cmocka_unit_test(test_stat_container_times),
	    cmocka_unit_test(test_percpu_and_v2),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
