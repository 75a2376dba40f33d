#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/json.h"

/* prefix + open×n + middle + close×n + suffix, as a malloc'd string. */
static char *nested(const char *prefix, const char *open, const char *middle, const char *close,
                    const char *suffix, size_t n)
{
	size_t len = strlen(prefix) + n * (strlen(open) + strlen(close)) + strlen(middle) +
	             strlen(suffix) + 1;
	char *s = malloc(len), *p = s;
	assert_non_null(s);
	p = stpcpy(p, prefix);
	for (size_t i = 0; i < n; i++)
		p = stpcpy(p, open);
	p = stpcpy(p, middle);
	for (size_t i = 0; i < n; i++)
		p = stpcpy(p, close);
	stpcpy(p, suffix);
	return s;
}

static void test_limit_is_inclusive(void **state)
{
	char *ok = nested("", "[", "1", "]", "", JSON_MAX_DEPTH);
	char *deep = nested("", "[", "1", "]", "", JSON_MAX_DEPTH + 1);
	assert_int_equal(json_depth_ok(ok, JSON_MAX_DEPTH), 1);
	assert_int_equal(json_depth_ok(deep, JSON_MAX_DEPTH), 0);
	yajl_val v = json_parse(ok, NULL, 0);
	assert_non_null(v);
	yajl_tree_free(v);
	free(ok);
	free(deep);
}

static void test_objects_and_arrays_count_alike(void **state)
{
	/* {"a":[{"a":[ ... ]}]}: each { and [ is a level. */
	char *s = nested("", "{\"a\":[", "null", "]}", "", 32);
	assert_int_equal(json_depth_ok(s, 64), 1);
	assert_int_equal(json_depth_ok(s, 63), 0);
	free(s);
}

static void test_siblings_do_not_add_up(void **state)
{
	/* Many shallow siblings: depth 2 however many there are. */
	char *s = nested("[", "[1],", "[2]", "", "]", 10000);
	assert_int_equal(json_depth_ok(s, 2), 1);
	assert_int_equal(json_depth_ok(s, 1), 0);
	free(s);
}

static void test_brackets_in_strings_and_comments(void **state)
{
	char *s = nested("{\"k\": \"", "[{", "\\\"", "}]", "\"}", 200);
	assert_int_equal(json_depth_ok(s, 1), 1);
	free(s);
	/* A quote inside a comment must not hide the structure that follows it. */
	char *c = nested("/* \" */", "[", "1", "]", "", 100);
	assert_int_equal(json_depth_ok(c, JSON_MAX_DEPTH), 0);
	assert_null(json_parse(c, NULL, 0));
	free(c);
	/* Brackets in a comment are not structure either. */
	assert_int_equal(json_depth_ok("// [[[[\n[1]", 1), 1);
}

static void test_very_deep_document_is_refused(void **state)
{
	/* What crashed the daemon (yajl_tree_free recursion): refused without building it. */
	char *s = nested("{\"X\":", "[", "", "]", "}", 200000);
	char err[256] = "";
	assert_null(json_parse(s, err, sizeof(err)));
	assert_non_null(strstr(err, "deeper than 64 levels"));
	free(s);
	/* Unterminated: still refused on depth, not parsed. */
	char *u = nested("", "[", "", "", "", 100000);
	assert_null(json_parse(u, err, sizeof(err)));
	assert_non_null(strstr(err, "deeper than 64 levels"));
	free(u);
}

static void test_invalid_shallow_json_keeps_yajl_message(void **state)
{
	char err[256] = "";
	assert_int_equal(json_depth_ok("[1,", 64), -1);
	assert_null(json_parse("{\"a\": tru}", err, sizeof(err)));
	assert_null(strstr(err, "levels"));
	assert_true(err[0] != '\0');
	yajl_val v = json_parse("  {\"a\": [1, {\"b\": null}]}  ", err, sizeof(err));
	assert_non_null(v);
	yajl_tree_free(v);
	/* Scalars have depth 0; an empty document is no JSON at all. */
	assert_int_equal(json_depth_ok("\"x\"", 0), 1);
	assert_int_equal(json_depth_ok("", 0), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_limit_is_inclusive),
	    cmocka_unit_test(test_objects_and_arrays_count_alike),
	    cmocka_unit_test(test_siblings_do_not_add_up),
	    cmocka_unit_test(test_brackets_in_strings_and_comments),
	    cmocka_unit_test(test_very_deep_document_is_refused),
	    cmocka_unit_test(test_invalid_shallow_json_keeps_yajl_message),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
