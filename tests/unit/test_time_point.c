#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <time.h>

#include "core/timeutil.h"

static const struct timespec g_now = {.tv_sec = 1652174434, .tv_nsec = 500000000};

static struct timespec point_ok(const char *s)
{
	struct timespec ts = {-1, -1};
	if (time_parse_point(s, &g_now, &ts) != 0)
		fail_msg("time_parse_point(\"%s\") rejected", s);
	return ts;
}

static void test_unix_seconds(void **state)
{
	struct timespec ts = point_ok("1652174434");
	assert_int_equal(ts.tv_sec, 1652174434);
	assert_int_equal(ts.tv_nsec, 0);
	ts = point_ok("1652174434.661862100");
	assert_int_equal(ts.tv_sec, 1652174434);
	assert_int_equal(ts.tv_nsec, 661862100);
	ts = point_ok("0.5");
	assert_int_equal(ts.tv_nsec, 500000000);
}

static void test_rfc3339(void **state)
{
	struct timespec ts = point_ok("2022-05-10T17:20:34.661862100+08:00");
	assert_int_equal(ts.tv_sec, 1652174434);
	assert_int_equal(ts.tv_nsec, 661862100);
	ts = point_ok("2022-05-10T09:20:34Z");
	assert_int_equal(ts.tv_sec, 1652174434);
}

static void test_local_forms(void **state)
{
	setenv("TZ", "UTC", 1);
	tzset();
	assert_int_equal(point_ok("2022-05-10T09:20:34").tv_sec, 1652174434);
	assert_int_equal(point_ok("2022-05-10").tv_sec, 1652140800);
}

static void test_durations_are_before_now(void **state)
{
	struct timespec ts = point_ok("10m");
	assert_int_equal(ts.tv_sec, 1652174434 - 600);
	assert_int_equal(ts.tv_nsec, 500000000);
	ts = point_ok("1h30m");
	assert_int_equal(ts.tv_sec, 1652174434 - 5400);
	ts = point_ok("0s");
	assert_int_equal(ts.tv_sec, 1652174434);
}

static void test_rejects(void **state)
{
	const char *bad[] = {"", "yesterday", "12abc", "1.", "-5", "2022-13-45", "10 m", NULL};
	for (size_t i = 0; bad[i]; i++) {
		struct timespec ts;
		if (time_parse_point(bad[i], &g_now, &ts) == 0)
			fail_msg("time_parse_point(\"%s\") accepted", bad[i]);
	}
	struct timespec ts;
	assert_int_equal(time_parse_point(NULL, &g_now, &ts), -1);
}

/* Found by fuzz_units: 9223372036855 ms is more nanoseconds than 64 bits hold. */
static void test_longest_duration_is_the_epoch(void **state)
{
	struct timespec ts = point_ok("9223372036854775807ns");
	assert_int_equal(ts.tv_sec, 0);
	assert_int_equal(ts.tv_nsec, 0);
	ts = point_ok("2562047h");
	assert_int_equal(ts.tv_sec, 0);
}

/* Found by fuzz_units: "+2147483647:00" overflowed the offset's arithmetic. */
static void test_offset_is_hh_mm(void **state)
{
	const char *bad[] = {"2022-05-10T17:20:34+2147483647:00",
	                     "2022-05-10T17:20:34+8:00",
	                     "2022-05-10T17:20:34+24:00",
	                     "2022-05-10T17:20:34+08:60",
	                     "2022-05-10T17:20:34+08",
	                     NULL};
	struct timespec ts;
	for (size_t i = 0; bad[i]; i++) {
		if (time_parse_rfc3339(bad[i], &ts) == 0)
			fail_msg("time_parse_rfc3339(\"%s\") accepted", bad[i]);
	}
	assert_int_equal(time_parse_rfc3339("2022-05-10T17:20:34-01:30", &ts), 0);
	assert_int_equal(ts.tv_sec, 1652174434 + 8 * 3600 + 5400);
}

/* An event's "time": 9e18 made localtime_r fail, and its unset struct tm was printed. */
static void test_format_out_of_range_is_zero(void **state)
{
	char buf[64];
	struct timespec ts = {.tv_sec = INT64_MAX, .tv_nsec = 5};
	time_format_rfc3339(&ts, buf, sizeof(buf));
	assert_string_equal(buf, TIME_ZERO_STRING);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_unix_seconds),
	    cmocka_unit_test(test_rfc3339),
	    cmocka_unit_test(test_local_forms),
	    cmocka_unit_test(test_durations_are_before_now),
	    cmocka_unit_test(test_rejects),
	    cmocka_unit_test(test_longest_duration_is_the_epoch),
	    cmocka_unit_test(test_offset_is_hh_mm),
	    cmocka_unit_test(test_format_out_of_range_is_zero),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
