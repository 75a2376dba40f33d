#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "loadavg_calc.h"

/* exp(-1), exp(-1/5), exp(-1/15): one minute against each average's time constant. */
#define E_1 0.36787944
#define E_5 0.81873075
#define E_15 0.93550699

static double dist(double a, double b)
{
	return a > b ? a - b : b - a;
}

static double as_double(unsigned long fixed)
{
	return (double)fixed / LOADAVG_FIXED_1;
}

/* The averages follow 1 - exp(-t / T) while n tasks stay runnable, within the fixed point's
 * rounding, as the kernel's do. */
static void test_rise_and_decay(void **state)
{
	struct load_avg l = {{0, 0, 0}};
	for (int step = 0; step < 12; step++) /* one minute of 5 s samples */
		load_avg_step(&l, 1);
	assert_true(dist(as_double(l.avg[0]), 1 - E_1) < 0.01);
	assert_true(dist(as_double(l.avg[1]), 1 - E_5) < 0.01);
	assert_true(dist(as_double(l.avg[2]), 1 - E_15) < 0.01);
	/* Steady load: reached exactly (rounding up while rising). */
	for (int step = 0; step < 2000; step++)
		load_avg_step(&l, 2);
	assert_int_equal(l.avg[0], 2 * LOADAVG_FIXED_1);
	assert_int_equal(l.avg[2], 2 * LOADAVG_FIXED_1);
	/* One minute idle: the 1-minute average falls to about 2/e, the 15-minute one barely. */
	for (int step = 0; step < 12; step++)
		load_avg_step(&l, 0);
	assert_true(dist(as_double(l.avg[0]), 2 * E_1) < 0.02);
	assert_true(as_double(l.avg[2]) > 1.8);
	for (int step = 0; step < 5000; step++)
		load_avg_step(&l, 0);
	assert_int_equal(l.avg[0], 0);
	assert_int_equal(l.avg[2], 0);
}

/* The kernel's own first steps from 0 with 3 runnable tasks (calc_load in
 * kernel/sched/loadavg.c, by hand): 3*2048*(2048-1884) = 1007616, + 2047, / 2048 = 492. */
static void test_kernel_steps(void **state)
{
	struct load_avg l = {{0, 0, 0}};
	load_avg_step(&l, 3);
	assert_int_equal(l.avg[0], 492);
	assert_int_equal(l.avg[1], (3 * 2048 * (2048 - 2014) + 2047) / 2048);
	assert_int_equal(l.avg[2], (3 * 2048 * (2048 - 2037) + 2047) / 2048);
	/* Falling: no rounding up. */
	l.avg[0] = 4096;
	load_avg_step(&l, 0);
	assert_int_equal(l.avg[0], 4096 * 1884 / 2048);
}

static void test_render(void **state)
{
	struct load_avg l = {{LOADAVG_FIXED_1, LOADAVG_FIXED_1 / 2, 0}};
	struct strbuf out = {0};
	load_avg_render(&l, 1, 7, 42, &out);
	assert_string_equal(out.data, "1.00 0.50 0.00 1/7 42\n");
	/* 492/2048 = 0.2402...: printed as the kernel prints it, rounded to 0.24. */
	l.avg[0] = 492;
	l.avg[1] = 2047; /* 0.9995: rounds up to 1.00 */
	l.avg[2] = 100 * LOADAVG_FIXED_1 + 21;
	load_avg_render(&l, 0, 0, 0, &out);
	assert_string_equal(out.data, "0.24 1.00 100.01 0/0 0\n");
	strbuf_free(&out);
}

static void test_stat_state(void **state)
{
	assert_int_equal(proc_stat_state("123 (bash) S 1 123 123 0 -1"), 'S');
	assert_int_equal(proc_stat_state("7 (a) R (b) D 1 2 3"), 'D'); /* ") " in the name */
	assert_int_equal(proc_stat_state("9 (x) R 1"), 'R');
	assert_int_equal(proc_stat_state("9 (x)"), 0);
	assert_int_equal(proc_stat_state("9 (x) "), 0);
	assert_int_equal(proc_stat_state("garbage"), 0);
	assert_int_equal(proc_stat_state(""), 0);
	assert_int_equal(proc_stat_state(NULL), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_rise_and_decay),
	    cmocka_unit_test(test_kernel_steps),
	    cmocka_unit_test(test_render),
	    cmocka_unit_test(test_stat_state),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
