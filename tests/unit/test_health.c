/* Health checks: the state machine of State.Health (engine/daemon/health_state.c: Docker's
 * transitions, start period, retries, the kept log and output), its disk form, and the
 * Healthcheck config (lib/engine/healthcheck.c: parsing, validation, the values in effect),
 * with the Go durations the flags take (lib/core/units.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "core/strv.h"
#include "core/units.h"
#include "engine/daemon/health_state.h"
#include "engine/healthcheck.h"

#define SEC 1000000000LL

static const struct timespec g_started = {.tv_sec = 1000};

/* A result of a check that began at started + at_s seconds with rc. */
static struct health_result result(int at_s, int rc, const char *out)
{
	struct health_result r = {.exit_code = rc};
	r.start.tv_sec = g_started.tv_sec + at_s;
	r.end.tv_sec = r.start.tv_sec;
	r.output = strdup(out);
	return r;
}

static bool record(struct health_state *h, int at_s, int rc, int retries, int64_t start_period)
{
	struct health_result r = result(at_s, rc, rc ? "fail" : "ok");
	bool changed = health_state_record(h, &r, retries, start_period, &g_started);
	assert_null(r.output); /* taken */
	return changed;
}

static void test_starting_to_healthy(void **state)
{
	struct health_state h = {0};
	assert_int_equal(h.status, HEALTH_NONE);
	health_state_start(&h);
	assert_int_equal(h.status, HEALTH_STARTING);
	assert_string_equal(health_status_name(h.status), "starting");
	assert_true(record(&h, 1, 0, 3, 0));
	assert_int_equal(h.status, HEALTH_HEALTHY);
	assert_int_equal(h.failing_streak, 0);
	assert_false(record(&h, 2, 0, 3, 0)); /* no change, no event */
	health_state_free(&h);
}

static void test_retries_then_unhealthy_then_back(void **state)
{
	struct health_state h = {0};
	health_state_start(&h);
	record(&h, 1, 0, 3, 0);
	assert_false(record(&h, 2, 1, 3, 0));
	assert_false(record(&h, 3, 1, 3, 0));
	assert_int_equal(h.status, HEALTH_HEALTHY); /* two failures of three */
	assert_int_equal(h.failing_streak, 2);
	assert_true(record(&h, 4, 2, 3, 0));
	assert_int_equal(h.status, HEALTH_UNHEALTHY);
	assert_int_equal(h.failing_streak, 3);
	assert_false(record(&h, 5, 1, 3, 0)); /* checking goes on */
	assert_int_equal(h.failing_streak, 4);
	assert_true(record(&h, 6, 0, 3, 0)); /* any success: healthy again */
	assert_int_equal(h.status, HEALTH_HEALTHY);
	assert_int_equal(h.failing_streak, 0);
	health_state_free(&h);
}

static void test_failures_while_starting(void **state)
{
	/* The seed: on failures it stays starting until retries, then unhealthy. */
	struct health_state h = {0};
	health_state_start(&h);
	assert_false(record(&h, 1, 1, 2, 0));
	assert_int_equal(h.status, HEALTH_STARTING);
	assert_int_equal(h.failing_streak, 1);
	assert_true(record(&h, 2, 1, 2, 0));
	assert_int_equal(h.status, HEALTH_UNHEALTHY);
	health_state_free(&h);
}

static void test_start_period(void **state)
{
	struct health_state h = {0};
	health_state_start(&h);
	/* Within 10 s of the start: failures do not count. */
	for (int t = 1; t < 10; t++)
		assert_false(record(&h, t, 1, 1, 10 * SEC));
	assert_int_equal(h.status, HEALTH_STARTING);
	assert_int_equal(h.failing_streak, 0);
	/* From 10 s on they do. */
	assert_true(record(&h, 10, 1, 1, 10 * SEC));
	assert_int_equal(h.status, HEALTH_UNHEALTHY);
	assert_int_equal(h.failing_streak, 1);
	health_state_free(&h);

	/* A success within the period ends it: failures count from then on (Docker). */
	health_state_start(&h);
	assert_true(record(&h, 1, 0, 2, 10 * SEC));
	assert_false(record(&h, 2, 1, 2, 10 * SEC));
	assert_int_equal(h.failing_streak, 1);
	assert_true(record(&h, 3, 1, 2, 10 * SEC));
	assert_int_equal(h.status, HEALTH_UNHEALTHY);
	health_state_free(&h);
}

static void test_restart_resets(void **state)
{
	struct health_state h = {0};
	health_state_start(&h);
	record(&h, 1, 1, 1, 0);
	assert_int_equal(h.status, HEALTH_UNHEALTHY);
	health_state_start(&h);
	assert_int_equal(h.status, HEALTH_STARTING);
	assert_int_equal(h.failing_streak, 0);
	assert_int_equal(h.n_log, 1); /* the log stays */
	health_state_free(&h);
}

static void test_log_keeps_last_five(void **state)
{
	struct health_state h = {0};
	health_state_start(&h);
	for (int i = 0; i < 12; i++) {
		char out[16];
		snprintf(out, sizeof(out), "run %d", i);
		struct health_result r = result(i, 0, out);
		health_state_record(&h, &r, 3, 0, &g_started);
		assert_true(h.n_log <= HEALTH_LOG_MAX);
	}
	assert_int_equal(h.n_log, HEALTH_LOG_MAX);
	assert_string_equal(h.log[0].output, "run 7");
	assert_string_equal(h.log[4].output, "run 11");
	assert_int_equal(h.log[4].start.tv_sec, g_started.tv_sec + 11);
	health_state_free(&h); /* ASan: the dropped outputs were freed */
}

static void test_paused(void **state)
{
	struct health_state h = {0};
	health_state_start(&h);
	record(&h, 1, 0, 3, 0);
	assert_true(health_state_paused(&h));
	assert_int_equal(h.status, HEALTH_UNHEALTHY);
	assert_false(health_state_paused(&h));
	health_state_free(&h);
}

static void test_output(void **state)
{
	char *o = health_output("ok\n", 3, false);
	assert_string_equal(o, "ok\n");
	free(o);
	o = health_output("a\0b", 3, false);
	assert_string_equal(o, "a\xef\xbf\xbd"
	                       "b");
	free(o);
	o = health_output("x\xff", 2, false);
	assert_string_equal(o, "x\xef\xbf\xbd");
	free(o);
	o = health_output("", 0, false);
	assert_string_equal(o, "");
	free(o);
	/* Cut at 4096 bytes with "..." (Docker's limitedBuffer). */
	char big[HEALTH_OUTPUT_MAX + 4];
	memset(big, 'a', sizeof(big));
	o = health_output(big, sizeof(big), false);
	assert_int_equal(strlen(o), HEALTH_OUTPUT_MAX + 3);
	assert_string_equal(o + HEALTH_OUTPUT_MAX, "...");
	free(o);
	o = health_output(big, HEALTH_OUTPUT_MAX, false);
	assert_int_equal(strlen(o), HEALTH_OUTPUT_MAX);
	free(o);
	/* A two-byte character across the bound is left out whole. */
	big[HEALTH_OUTPUT_MAX - 1] = '\xc3';
	big[HEALTH_OUTPUT_MAX] = '\xa9';
	o = health_output(big, sizeof(big), false);
	assert_int_equal(strlen(o), HEALTH_OUTPUT_MAX - 1 + 3);
	assert_string_equal(o + HEALTH_OUTPUT_MAX - 1, "...");
	free(o);
	o = health_output("abc", 3, true);
	assert_string_equal(o, "abc...");
	free(o);
}

static char *gen_state(const struct health_state *h)
{
	yajl_gen g = yajl_gen_alloc(NULL);
	yajl_gen_map_open(g);
	health_state_gen(g, h);
	yajl_gen_map_close(g);
	return jg_finish(g, NULL);
}

static void test_disk_form(void **state)
{
	struct health_state h = {0};
	char *text = gen_state(&h);
	assert_string_equal(text, "{}"); /* no check: no Health */
	free(text);
	health_state_start(&h);
	record(&h, 1, 0, 3, 0);
	struct health_result r = result(2, -1, "Health check exceeded timeout (1s)");
	r.start.tv_nsec = 123456789;
	health_state_record(&h, &r, 3, 0, &g_started);
	text = gen_state(&h);
	assert_non_null(strstr(text, "\"Status\":\"healthy\",\"FailingStreak\":1,\"Log\":[{"));
	assert_non_null(strstr(text, "\"ExitCode\":-1,\"Output\":\"Health check exceeded"));
	yajl_val node = json_parse(text, NULL, 0);
	struct health_state back;
	health_state_parse(json_get(node, "Health"), &back);
	assert_int_equal(back.status, HEALTH_HEALTHY);
	assert_int_equal(back.failing_streak, 1);
	assert_int_equal(back.n_log, 2);
	assert_int_equal(back.log[1].exit_code, -1);
	assert_int_equal(back.log[1].start.tv_sec, r.start.tv_sec);
	assert_int_equal(back.log[1].start.tv_nsec, 123456789);
	char *again = gen_state(&back);
	assert_string_equal(again, text);
	free(again);
	free(text);
	yajl_tree_free(node);
	health_state_free(&back);
	health_state_free(&h);

	/* More entries than kept: the last five; an unknown status: none. */
	node =
	    json_parse("{\"Status\":\"unhealthy\",\"FailingStreak\":-4,\"Log\":[{\"ExitCode\":1},"
	               "{},{},{},{},{\"ExitCode\":99999999999,\"Output\":\"last\"}]}",
	               NULL, 0);
	health_state_parse(node, &back);
	assert_int_equal(back.status, HEALTH_UNHEALTHY);
	assert_int_equal(back.failing_streak, 0);
	assert_int_equal(back.n_log, HEALTH_LOG_MAX);
	assert_int_equal(back.log[4].exit_code, -1);
	assert_string_equal(back.log[4].output, "last");
	health_state_free(&back);
	yajl_tree_free(node);
	node = json_parse("{\"Status\":\"bogus\",\"Log\":[{}]}", NULL, 0);
	health_state_parse(node, &back);
	assert_int_equal(back.status, HEALTH_NONE);
	assert_int_equal(back.n_log, 0);
	health_state_free(&back);
	yajl_tree_free(node);
}

/* ------------------------------------------------------------------- Healthcheck config */

static struct healthcheck *parse_ok(const char *json)
{
	char err[256] = "";
	yajl_val node = json_parse(json, err, sizeof(err));
	assert_non_null(node);
	struct healthcheck *h = NULL;
	if (healthcheck_parse(node, &h, err, sizeof(err)) < 0)
		fail_msg("healthcheck_parse(%s): %s", json, err);
	yajl_tree_free(node);
	return h;
}

static void assert_parse_fails(const char *json, const char *want)
{
	char err[256] = "";
	yajl_val node = json_parse(json, err, sizeof(err));
	assert_non_null(node);
	struct healthcheck *h = (struct healthcheck *)1;
	if (healthcheck_parse(node, &h, err, sizeof(err)) == 0)
		fail_msg("healthcheck_parse(%s) accepted", json);
	assert_null(h);
	if (!strstr(err, want))
		fail_msg("healthcheck_parse(%s): '%s' lacks '%s'", json, err, want);
	yajl_tree_free(node);
}

static void assert_invalid(const char *json, const char *want)
{
	struct healthcheck *h = parse_ok(json);
	char err[256] = "";
	if (healthcheck_validate(h, err, sizeof(err)) == 0)
		fail_msg("healthcheck_validate(%s) accepted", json);
	if (!strstr(err, want))
		fail_msg("healthcheck_validate(%s): '%s' lacks '%s'", json, err, want);
	healthcheck_free(h);
}

static void assert_valid(const char *json)
{
	struct healthcheck *h = parse_ok(json);
	char err[256] = "";
	if (healthcheck_validate(h, err, sizeof(err)) < 0)
		fail_msg("healthcheck_validate(%s): %s", json, err);
	healthcheck_free(h);
}

static void test_config_parse(void **state)
{
	struct healthcheck *h = parse_ok("{\"Test\":[\"CMD-SHELL\",\"test -e /ok\"],"
	                                 "\"Interval\":1000000000,\"Timeout\":2e9,\"Retries\":5,"
	                                 "\"StartPeriod\":null,\"ExitOnUnhealthy\":true}");
	assert_int_equal(healthcheck_kind(h), HEALTHCHECK_SHELL);
	assert_true(healthcheck_active(h));
	assert_int_equal(h->interval_ns, SEC);
	assert_int_equal(h->timeout_ns, 2 * SEC);
	assert_int_equal(h->start_period_ns, 0);
	assert_int_equal(healthcheck_retries(h), 5);
	assert_true(h->exit_on_unhealthy);
	char **argv = healthcheck_argv(h);
	assert_int_equal(strv_len(argv), 3);
	assert_string_equal(argv[0], "/bin/sh");
	assert_string_equal(argv[1], "-c");
	assert_string_equal(argv[2], "test -e /ok");
	strv_free(argv);
	healthcheck_free(h);

	h = parse_ok("{\"Test\":[\"CMD\",\"/bin/true\",\"x\"]}");
	argv = healthcheck_argv(h);
	assert_int_equal(strv_len(argv), 2);
	assert_string_equal(argv[0], "/bin/true");
	strv_free(argv);
	/* 0 means the defaults */
	assert_int_equal(healthcheck_interval_ns(h), 30 * SEC);
	assert_int_equal(healthcheck_timeout_ns(h), 30 * SEC);
	assert_int_equal(healthcheck_retries(h), 3);
	assert_false(h->exit_on_unhealthy);
	healthcheck_free(h);

	h = parse_ok("{\"Test\":[\"NONE\"]}");
	assert_int_equal(healthcheck_kind(h), HEALTHCHECK_NONE);
	assert_false(healthcheck_active(h));
	assert_null(healthcheck_argv(h));
	healthcheck_free(h);
	h = parse_ok("{\"Interval\":5000000000}");
	assert_int_equal(healthcheck_kind(h), HEALTHCHECK_INHERIT);
	assert_false(healthcheck_active(h));
	healthcheck_free(h);
	assert_null(parse_ok("null"));
	assert_int_equal(healthcheck_kind(NULL), HEALTHCHECK_INHERIT);

	assert_parse_fails("[1]", "Healthcheck must be a JSON object");
	assert_parse_fails("{\"Test\":\"CMD true\"}",
	                   "Healthcheck.Test must be an array of strings");
	assert_parse_fails("{\"Test\":[\"CMD\",1]}",
	                   "Healthcheck.Test must be an array of strings");
	assert_parse_fails("{\"Interval\":\"30s\"}", "Healthcheck.Interval must be an integer");
	assert_parse_fails("{\"Timeout\":1e300}", "Healthcheck.Timeout must be an integer");
	assert_parse_fails("{\"Retries\":true}", "Healthcheck.Retries must be an integer");
	assert_parse_fails("{\"ExitOnUnhealthy\":1}", "ExitOnUnhealthy must be true or false");
}

static void test_config_disk_form(void **state)
{
	struct healthcheck *h =
	    parse_ok("{\"Test\":[\"CMD-SHELL\",\"true\"],\"Interval\":3000000000,\"Retries\":2}");
	yajl_gen g = yajl_gen_alloc(NULL);
	yajl_gen_map_open(g);
	healthcheck_gen(g, h);
	yajl_gen_map_close(g);
	char *text = jg_finish(g, NULL);
	assert_string_equal(text, "{\"Healthcheck\":{\"Test\":[\"CMD-SHELL\",\"true\"],"
	                          "\"Interval\":3000000000,\"Timeout\":0,\"StartPeriod\":0,"
	                          "\"Retries\":2,\"ExitOnUnhealthy\":false}}");
	free(text);
	healthcheck_free(h);
}

static void test_config_validate(void **state)
{
	assert_valid("{\"Test\":[\"CMD-SHELL\",\"true\"]}");
	assert_valid("{\"Test\":[\"CMD\",\"true\"],\"Interval\":1000000000,\"Timeout\":0,"
	             "\"StartPeriod\":9223372036854775807,\"Retries\":2147483647}");
	assert_valid("{\"Test\":[\"NONE\"]}");
	assert_valid("{\"Test\":[]}");
	assert_valid("{}");
	assert_int_equal(healthcheck_validate(NULL, NULL, 0), 0);
	assert_invalid("{\"Test\":[\"BOGUS\",\"x\"]}",
	               "unknown type \"BOGUS\": allowed are CMD, CMD-SHELL, NONE");
	assert_invalid("{\"Test\":[\"CMD-SHELL\"]}", "CMD-SHELL takes one non-empty command");
	assert_invalid("{\"Test\":[\"CMD-SHELL\",\"\"]}", "CMD-SHELL takes one non-empty command");
	assert_invalid("{\"Test\":[\"CMD-SHELL\",\"a\",\"b\"]}", "got 2 argument(s)");
	assert_invalid("{\"Test\":[\"CMD\"]}", "CMD needs a program");
	assert_invalid("{\"Test\":[\"NONE\",\"x\"]}", "takes no arguments");
	assert_invalid("{\"Test\":[\"CMD\",\"true\"],\"Interval\":999999999}",
	               "Invalid Healthcheck.Interval 999999999: allowed are 0 (the default, 30s) "
	               "or 1s to 2562047h47m16.854775807s");
	assert_invalid("{\"Test\":[\"CMD\",\"true\"],\"Timeout\":-1}",
	               "Invalid Healthcheck.Timeout -1: allowed are 0 (the default, 30s)");
	assert_invalid("{\"Test\":[\"CMD\",\"true\"],\"StartPeriod\":5}",
	               "Invalid Healthcheck.StartPeriod 5: allowed are 0 (the default, 0s)");
	assert_invalid(
	    "{\"Test\":[\"CMD\",\"true\"],\"Retries\":-1}",
	    "Invalid Healthcheck.Retries -1: allowed are 0 (the default, 3) to 2147483647");
	assert_invalid("{\"Test\":[\"CMD\",\"true\"],\"Retries\":2147483648}",
	               "Invalid Healthcheck.Retries 2147483648");

	char err[256];
	assert_int_equal(healthcheck_check_duration("--health-interval", "500ms", 500000000,
	                                            HEALTH_DEFAULT_INTERVAL_NS, err, sizeof(err)),
	                 -1);
	assert_string_equal(err,
	                    "Invalid --health-interval 500ms: allowed are 0 (the default, 30s) "
	                    "or 1s to 2562047h47m16.854775807s");
	assert_int_equal(healthcheck_check_duration("--health-timeout", "1s", SEC,
	                                            HEALTH_DEFAULT_TIMEOUT_NS, err, sizeof(err)),
	                 0);
	assert_int_equal(healthcheck_check_retries("--health-retries", "-2", -2, err, sizeof(err)),
	                 -1);
	assert_string_equal(err, "Invalid --health-retries -2: allowed are 0 (the default, 3) to "
	                         "2147483647");
}

/* ------------------------------------------------------------------------ Go durations */

static int64_t go_ok(const char *s)
{
	int64_t ns = -12345;
	if (parse_go_duration(s, &ns) != 0)
		fail_msg("parse_go_duration(\"%s\") rejected", s);
	return ns;
}

static void assert_formats(int64_t ns, const char *want)
{
	char buf[32];
	format_go_duration(ns, buf, sizeof(buf));
	assert_string_equal(buf, want);
}

static void test_go_durations(void **state)
{
	assert_int_equal(go_ok("0"), 0);
	assert_int_equal(go_ok("0s"), 0);
	assert_int_equal(go_ok("30s"), 30 * SEC);
	assert_int_equal(go_ok("1m30s"), 90 * SEC);
	assert_int_equal(go_ok("5m"), 300 * SEC);
	assert_int_equal(go_ok("1.5h"), 5400 * SEC);
	assert_int_equal(go_ok("500ms"), SEC / 2);
	assert_int_equal(go_ok("-1s"), -SEC);
	assert_int_equal(go_ok("+2s"), 2 * SEC);
	assert_int_equal(go_ok("9223372036854775807ns"), INT64_MAX);
	int64_t v;
	static const char *const bad[] = {
	    "", "30", "-", "s", "1x", "1s 2s", "1e3s", "9223372036854775808ns", "2562048h"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (parse_go_duration(bad[i], &v) == 0)
			fail_msg("parse_go_duration(\"%s\") accepted: %lld", bad[i], (long long)v);
	}
	assert_int_equal(parse_go_duration(NULL, &v), -1);

	assert_formats(0, "0s");
	assert_formats(1, "1ns");
	assert_formats(1500, "1.5\xc2\xb5s");
	assert_formats(SEC / 2, "500ms");
	assert_formats(SEC, "1s");
	assert_formats(SEC + SEC / 2, "1.5s");
	assert_formats(90 * SEC, "1m30s");
	assert_formats(3600 * SEC, "1h0m0s");
	assert_formats(-SEC, "-1s");
	assert_formats(INT64_MAX, "2562047h47m16.854775807s");
	assert_formats(INT64_MIN, "-2562047h47m16.854775808s");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_starting_to_healthy),
	    cmocka_unit_test(test_retries_then_unhealthy_then_back),
	    cmocka_unit_test(test_failures_while_starting),
	    cmocka_unit_test(test_start_period),
	    cmocka_unit_test(test_restart_resets),
	    cmocka_unit_test(test_log_keeps_last_five),
	    cmocka_unit_test(test_paused),
	    cmocka_unit_test(test_output),
	    cmocka_unit_test(test_disk_form),
	    cmocka_unit_test(test_config_parse),
	    cmocka_unit_test(test_config_disk_form),
	    cmocka_unit_test(test_config_validate),
	    cmocka_unit_test(test_go_durations),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
