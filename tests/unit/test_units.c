#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core/units.h"

static int64_t bytes_ok(const char *s)
{
	int64_t v = -12345;

	if (parse_byte_size(s, &v) != 0)
		fail_msg("parse_byte_size(\"%s\") rejected", s);
	return v;
}

static void test_byte_size_plain_and_b(void **state)
{
	assert_int_equal(bytes_ok("0"), 0);
	assert_int_equal(bytes_ok("100"), 100);
	assert_int_equal(bytes_ok("100b"), 100);
	assert_int_equal(bytes_ok("100B"), 100);
	assert_int_equal(bytes_ok("007"), 7);
}

static void test_byte_size_suffixes(void **state)
{
	assert_int_equal(bytes_ok("1k"), 1024);
	assert_int_equal(bytes_ok("1K"), 1024);
	assert_int_equal(bytes_ok("1KiB"), 1024);
	assert_int_equal(bytes_ok("1kb"), 1024);
	assert_int_equal(bytes_ok("1ki"), 1024);
	assert_int_equal(bytes_ok("64m"), 64LL << 20);
	assert_int_equal(bytes_ok("64MB"), 64LL << 20);
	assert_int_equal(bytes_ok("64mib"), 64LL << 20);
	assert_int_equal(bytes_ok("64MiB"), 64LL << 20);
	assert_int_equal(bytes_ok("2g"), 2LL << 30);
	assert_int_equal(bytes_ok("3t"), 3LL << 40);
	assert_int_equal(bytes_ok("4P"), 4LL << 50);
}

static void test_byte_size_fractions(void **state)
{
	assert_int_equal(bytes_ok("1.5g"), 1610612736);
	assert_int_equal(bytes_ok("0.5k"), 512);
	assert_int_equal(bytes_ok(".5k"), 512);
	assert_int_equal(bytes_ok("5.k"), 5120);
	/* Truncated to whole bytes, like Go's int64(float64). */
	assert_int_equal(bytes_ok("0.1k"), 102);
	assert_int_equal(bytes_ok("1.9"), 1);
	assert_int_equal(bytes_ok("1.999999999999999999999999k"), 2047);
}

static void test_byte_size_limits(void **state)
{
	assert_int_equal(bytes_ok("9223372036854775807"), INT64_MAX);
	assert_int_equal(bytes_ok("8191.999999999999p"), 9223372036854774682LL);
	assert_int_equal(bytes_ok("8191p"), 8191LL << 50);
}

static void test_byte_size_rejects(void **state)
{
	static const char *const bad[] = {
	    "",
	    "-1",
	    "+1",
	    "-1k",
	    "k",
	    "b",
	    ".",
	    ".k",
	    "1 k",
	    " 1k",
	    "1k ",
	    "1kk",
	    "1bb",
	    "1bi",
	    "1kbi",
	    "1kibb",
	    "1x",
	    "1e3",
	    "1.2.3",
	    "0x10",
	    "1,5k",
	    "9223372036854775808",
	    "8192p",
	    "99999999999999999999999",
	    "18446744073709551616",
	    "1ib",
	    "abc",
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int64_t v = 77;

		if (parse_byte_size(bad[i], &v) != -1)
			fail_msg("parse_byte_size(\"%s\") accepted: %lld", bad[i], (long long)v);
		assert_int_equal(v, 77);
	}
	assert_int_equal(parse_byte_size(NULL, &(int64_t){0}), -1);
	assert_int_equal(parse_byte_size("1k", NULL), -1);
}

static void test_int64(void **state)
{
	int64_t v = 0;

	assert_int_equal(parse_int64("0", &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(parse_int64("-42", &v), 0);
	assert_int_equal(v, -42);
	assert_int_equal(parse_int64("+42", &v), 0);
	assert_int_equal(v, 42);
	assert_int_equal(parse_int64("9223372036854775807", &v), 0);
	assert_true(v == INT64_MAX);
	assert_int_equal(parse_int64("-9223372036854775808", &v), 0);
	assert_true(v == INT64_MIN);
}

static void test_int64_rejects(void **state)
{
	static const char *const bad[] = {
	    "",
	    "-",
	    "+",
	    " 1",
	    "1 ",
	    "1x",
	    "0x1f",
	    "1.0",
	    "--1",
	    "+-1",
	    "9223372036854775808",
	    "-9223372036854775809",
	    "99999999999999999999",
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int64_t v = 77;

		if (parse_int64(bad[i], &v) != -1)
			fail_msg("parse_int64(\"%s\") accepted", bad[i]);
		assert_int_equal(v, 77);
	}
	assert_int_equal(parse_int64(NULL, &(int64_t){0}), -1);
	assert_int_equal(parse_int64("1", NULL), -1);
}

static void test_uint64(void **state)
{
	uint64_t v = 0;

	assert_int_equal(parse_uint64("0", &v), 0);
	assert_true(v == 0);
	assert_int_equal(parse_uint64("18446744073709551615", &v), 0);
	assert_true(v == UINT64_MAX);
}

static void test_uint64_rejects(void **state)
{
	static const char *const bad[] = {
	    "", "-1", "+1", " 1", "1 ", "1a", "-0", "0x1", "18446744073709551616"};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		uint64_t v = 77;

		if (parse_uint64(bad[i], &v) != -1)
			fail_msg("parse_uint64(\"%s\") accepted", bad[i]);
		assert_true(v == 77);
	}
	assert_int_equal(parse_uint64(NULL, &(uint64_t){0}), -1);
	assert_int_equal(parse_uint64("1", NULL), -1);
}

static void test_nano_cpus(void **state)
{
	(void)state;
	int64_t v = 0;
	assert_int_equal(parse_nano_cpus("1.5", &v), 0);
	assert_true(v == 1500000000);
	assert_int_equal(parse_nano_cpus("0.01", &v), 0);
	assert_true(v == 10000000);
	assert_int_equal(parse_nano_cpus(".25", &v), 0);
	assert_true(v == 250000000);
	assert_int_equal(parse_nano_cpus("2", &v), 0);
	assert_true(v == 2000000000);
	assert_int_equal(parse_nano_cpus("3.", &v), 0);
	assert_true(v == 3000000000);
	assert_int_equal(parse_nano_cpus("0.000000001", &v), 0);
	assert_true(v == 1);
	assert_int_equal(parse_nano_cpus("1.5000000000000", &v), 0); /* trailing zeros: exact */
	assert_true(v == 1500000000);
	const char *bad[] = {"",     ".",  "-1",           "+1",  "1e3",
	                     "1.5x", " 1", "0.0000000001", "abc", "99999999999999999999",
	                     "1,5"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		v = 77;
		if (parse_nano_cpus(bad[i], &v) != -1)
			fail_msg("parse_nano_cpus(\"%s\") accepted", bad[i]);
		assert_true(v == 77);
	}
}

static int64_t ms_ok(const char *s)
{
	int64_t v = -12345;

	if (parse_duration_ms(s, &v) != 0)
		fail_msg("parse_duration_ms(\"%s\") rejected", s);
	return v;
}

static void test_duration(void **state)
{
	assert_int_equal(ms_ok("0"), 0);
	assert_int_equal(ms_ok("30"), 30000);
	assert_int_equal(ms_ok("30s"), 30000);
	assert_int_equal(ms_ok("2m"), 120000);
	assert_int_equal(ms_ok("1h30m"), 5400000);
	assert_int_equal(ms_ok("1h30m15s"), 5415000);
	assert_int_equal(ms_ok("500ms"), 500);
	assert_int_equal(ms_ok("1.5h"), 5400000);
	assert_int_equal(ms_ok(".5s"), 500);
	assert_int_equal(ms_ok("1.s"), 1000);
	assert_int_equal(ms_ok("0s"), 0);
	assert_int_equal(ms_ok("2000000us"), 2000);
	assert_int_equal(ms_ok("3000\xc2\xb5s"), 3);
	assert_int_equal(ms_ok("3000\xce\xbcs"), 3);
	assert_int_equal(ms_ok("5000000ns"), 5);
	assert_int_equal(ms_ok("1s500ms"), 1500);
}

static void test_duration_rounds_up(void **state)
{
	assert_int_equal(ms_ok("1ns"), 1);
	assert_int_equal(ms_ok("1500us"), 2);
	assert_int_equal(ms_ok("0.0001s"), 1);
	assert_int_equal(ms_ok("1000001ns"), 2);
}

static void test_duration_limits(void **state)
{
	/* Go's Duration is int64 nanoseconds: about 2562047 hours. */
	assert_int_equal(ms_ok("2562047h"), 2562047LL * 3600 * 1000);
	assert_int_equal(ms_ok("9223372036854775807ns"), 9223372036855LL);
	assert_int_equal(ms_ok("9223372036854775"), 9223372036854775000LL);
}

static void test_duration_rejects(void **state)
{
	static const char *const bad[] = {
	    "",
	    "-1",
	    "-1s",
	    "+1s",
	    "s",
	    ".s",
	    "1x",
	    "1sec",
	    "1S",
	    "1H",
	    "1h30",
	    "1.5",
	    "1 s",
	    " 1s",
	    "1s ",
	    "1..5s",
	    "h1",
	    "1e3s",
	    "9223372036854775808ns",
	    "2562048h",
	    "9223372036854776",
	    "1h9223372036854775807ns",
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int64_t v = 77;

		if (parse_duration_ms(bad[i], &v) != -1)
			fail_msg("parse_duration_ms(\"%s\") accepted: %lld", bad[i], (long long)v);
		assert_int_equal(v, 77);
	}
	assert_int_equal(parse_duration_ms(NULL, &(int64_t){0}), -1);
	assert_int_equal(parse_duration_ms("1s", NULL), -1);
}

static void assert_human(int64_t seconds, const char *want)
{
	char buf[64];

	format_human_duration(seconds, buf, sizeof(buf));
	if (strcmp(buf, want) != 0)
		fail_msg("format_human_duration(%lld) = \"%s\", want \"%s\"", (long long)seconds,
		         buf, want);
}

static void test_human_duration(void **state)
{
	const int64_t hour = 3600, day = 24 * hour;

	assert_human(-5, "Less than a second");
	assert_human(0, "Less than a second");
	assert_human(1, "1 second");
	assert_human(2, "2 seconds");
	assert_human(45, "45 seconds");
	assert_human(59, "59 seconds");
	assert_human(60, "About a minute");
	assert_human(119, "About a minute");
	assert_human(120, "2 minutes");
	assert_human(180, "3 minutes");
	assert_human(3599, "59 minutes");
	assert_human(hour, "About an hour");
	assert_human(hour + 1799, "About an hour");
	assert_human(hour + 1800, "2 hours"); /* hours are rounded */
	assert_human(2 * hour, "2 hours");
	assert_human(47 * hour, "47 hours");
	assert_human(47 * hour + 1800, "2 days");
	assert_human(3 * day, "3 days");
	assert_human(13 * day, "13 days");
	assert_human(14 * day, "2 weeks");
	assert_human(59 * day, "8 weeks");
	assert_human(60 * day, "2 months");
	assert_human(150 * day, "5 months");
	assert_human(729 * day, "24 months");
	assert_human(730 * day, "2 years");
	assert_human(3 * 365 * day, "3 years");
	assert_human(INT64_MAX, "292471208677 years");
}

static void test_human_duration_small_buffers(void **state)
{
	char buf[8] = "xxxxxxx";

	format_human_duration(45, buf, 4);
	assert_string_equal(buf, "45 ");
	format_human_duration(45, buf, 0); /* must not write */
	assert_string_equal(buf, "45 ");
	format_human_duration(45, NULL, 10);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_byte_size_plain_and_b),
	    cmocka_unit_test(test_byte_size_suffixes),
	    cmocka_unit_test(test_byte_size_fractions),
	    cmocka_unit_test(test_byte_size_limits),
	    cmocka_unit_test(test_byte_size_rejects),
	    cmocka_unit_test(test_int64),
	    cmocka_unit_test(test_int64_rejects),
	    cmocka_unit_test(test_uint64),
	    cmocka_unit_test(test_uint64_rejects),
	    cmocka_unit_test(test_nano_cpus),
	    cmocka_unit_test(test_duration),
	    cmocka_unit_test(test_duration_rounds_up),
	    cmocka_unit_test(test_duration_limits),
	    cmocka_unit_test(test_duration_rejects),
	    cmocka_unit_test(test_human_duration),
	    cmocka_unit_test(test_human_duration_small_buffers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
