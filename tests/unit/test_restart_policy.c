#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "engine/restart_policy.h"

static void assert_parses(const char *s, enum restart_kind kind, int retries)
{
	struct restart_policy p = {RESTART_ALWAYS, -7};
	char err[128] = "";

	if (restart_policy_parse(s, &p, err, sizeof(err)) != 0)
		fail_msg("restart_policy_parse(\"%s\") failed: %s", s, err);
	assert_int_equal(p.kind, kind);
	assert_int_equal(p.max_retries, retries);
}

static void assert_rejects(const char *s, const char *want_err)
{
	struct restart_policy p = {RESTART_ALWAYS, -7};
	char err[128] = "";

	if (restart_policy_parse(s, &p, err, sizeof(err)) != -1)
		fail_msg("restart_policy_parse(\"%s\") accepted", s);
	assert_string_equal(err, want_err);
	assert_int_equal(p.kind, RESTART_ALWAYS); /* untouched on error */
	assert_int_equal(p.max_retries, -7);
}

static void test_parse_names(void **state)
{
	assert_parses("no", RESTART_NO, 0);
	assert_parses("always", RESTART_ALWAYS, 0);
	assert_parses("on-failure", RESTART_ON_FAILURE, 0);
	assert_parses("unless-stopped", RESTART_UNLESS_STOPPED, 0);
	assert_parses("on-reboot", RESTART_ON_REBOOT, 0);
	assert_parses("", RESTART_NO, 0);
}

static void test_parse_retry_counts(void **state)
{
	assert_parses("on-failure:0", RESTART_ON_FAILURE, 0);
	assert_parses("on-failure:3", RESTART_ON_FAILURE, 3);
	assert_parses("on-failure:2147483647", RESTART_ON_FAILURE, 2147483647);
}

static void test_parse_unknown_names(void **state)
{
	assert_rejects("sometimes", "Invalid restart policy 'sometimes'");
	assert_rejects("Always", "Invalid restart policy 'Always'");
	assert_rejects("on-failure ", "Invalid restart policy 'on-failure '");
	assert_rejects("foo:3", "Invalid restart policy 'foo'");
	assert_rejects(":3", "Invalid restart policy ''");
}

static void test_parse_count_not_allowed(void **state)
{
	assert_rejects("always:3",
	               "Maximum retry count cannot be used with restart policy 'always'");
	assert_rejects("no:1", "Maximum retry count cannot be used with restart policy 'no'");
	assert_rejects("unless-stopped:0",
	               "Maximum retry count cannot be used with restart policy 'unless-stopped'");
	assert_rejects("on-reboot:2",
	               "Maximum retry count cannot be used with restart policy 'on-reboot'");
}

static void test_parse_bad_format(void **state)
{
	static const char *const bad[] = {
	    "on-failure:",   "on-failure:x",   "on-failure:-1",  "on-failure:+1",
	    "on-failure: 1", "on-failure:1:2", "on-failure:1.5", "on-failure:2147483648",
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_rejects(bad[i], "Invalid restart policy format");
}

static void test_parse_null_and_small_err(void **state)
{
	struct restart_policy p;
	char err[8];

	assert_int_equal(restart_policy_parse(NULL, &p, NULL, 0), -1);
	assert_int_equal(restart_policy_parse("no", NULL, NULL, 0), -1);
	/* A NULL or short error buffer is fine. */
	assert_int_equal(restart_policy_parse("bogus", &p, NULL, 0), -1);
	assert_int_equal(restart_policy_parse("bogus", &p, err, sizeof(err)), -1);
	assert_string_equal(err, "Invalid");
}

static void test_names(void **state)
{
	assert_string_equal(restart_policy_name(RESTART_NO), "no");
	assert_string_equal(restart_policy_name(RESTART_ALWAYS), "always");
	assert_string_equal(restart_policy_name(RESTART_ON_FAILURE), "on-failure");
	assert_string_equal(restart_policy_name(RESTART_UNLESS_STOPPED), "unless-stopped");
	assert_string_equal(restart_policy_name(RESTART_ON_REBOOT), "on-reboot");
	assert_null(restart_policy_name((enum restart_kind)99));
	assert_null(restart_policy_name((enum restart_kind) - 1));
}

static void test_name_round_trip(void **state)
{
	enum restart_kind k;

	for (k = RESTART_NO; k <= RESTART_ON_REBOOT; k++) {
		struct restart_policy p;

		assert_int_equal(restart_policy_parse(restart_policy_name(k), &p, NULL, 0), 0);
		assert_int_equal(p.kind, k);
	}
}

static void assert_from_name(const char *name, int retries, enum restart_kind kind, int want)
{
	struct restart_policy p = {RESTART_ALWAYS, -7};
	char err[128] = "";

	if (restart_policy_from_name(name, retries, &p, err, sizeof(err)) != 0)
		fail_msg("restart_policy_from_name(\"%s\", %d) failed: %s", name, retries, err);
	assert_int_equal(p.kind, kind);
	assert_int_equal(p.max_retries, want);
}

static void assert_from_name_rejects(const char *name, int retries, const char *want_err)
{
	struct restart_policy p = {RESTART_ALWAYS, -7};
	char err[128] = "";

	if (restart_policy_from_name(name, retries, &p, err, sizeof(err)) != -1)
		fail_msg("restart_policy_from_name(\"%s\", %d) accepted", name, retries);
	assert_string_equal(err, want_err);
	assert_int_equal(p.max_retries, -7);
}

static void test_from_name(void **state)
{
	assert_from_name("", 0, RESTART_NO, 0);
	assert_from_name("", 5, RESTART_NO, 0); /* Docker ignores the count for "" */
	assert_from_name("no", 0, RESTART_NO, 0);
	assert_from_name("always", 0, RESTART_ALWAYS, 0);
	assert_from_name("unless-stopped", 0, RESTART_UNLESS_STOPPED, 0);
	assert_from_name("on-reboot", 0, RESTART_ON_REBOOT, 0);
	assert_from_name("on-failure", 0, RESTART_ON_FAILURE, 0);
	assert_from_name("on-failure", 5, RESTART_ON_FAILURE, 5);
}

static void test_from_name_rejects(void **state)
{
	assert_from_name_rejects("sometimes", 0, "Invalid restart policy 'sometimes'");
	assert_from_name_rejects("on-failure:3", 0, "Invalid restart policy 'on-failure:3'");
	assert_from_name_rejects("always", 2,
	                         "Maximum retry count cannot be used with restart policy 'always'");
	assert_from_name_rejects("no", -1,
	                         "Maximum retry count cannot be used with restart policy 'no'");
	assert_from_name_rejects("on-failure", -2, "Maximum retry count cannot be negative");
	assert_int_equal(restart_policy_from_name(NULL, 0, &(struct restart_policy){0}, NULL, 0),
	                 -1);
	assert_int_equal(restart_policy_from_name("no", 0, NULL, NULL, 0), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse_names),
	    cmocka_unit_test(test_parse_retry_counts),
	    cmocka_unit_test(test_parse_unknown_names),
	    cmocka_unit_test(test_parse_count_not_allowed),
	    cmocka_unit_test(test_parse_bad_format),
	    cmocka_unit_test(test_parse_null_and_small_err),
	    cmocka_unit_test(test_names),
	    cmocka_unit_test(test_name_round_trip),
	    cmocka_unit_test(test_from_name),
	    cmocka_unit_test(test_from_name_rejects),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
