#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "engine/list_filter.h"

static const char *const g_known[] = {"status", "name", NULL};

static void test_flags_group_by_key(void **state)
{
	char *flags[] = {"name=web", "status=running", "name=db", "name=a=b"};
	char err[256] = "";
	char *json = list_filters_from_flags(flags, 4, err, sizeof(err));
	assert_non_null(json);
	assert_string_equal(json, "{\"name\":[\"web\",\"db\",\"a=b\"],\"status\":[\"running\"]}");
	free(json);
	json = list_filters_from_flags(NULL, 0, err, sizeof(err));
	assert_string_equal(json, "{}");
	free(json);
}

static void test_flags_need_a_key(void **state)
{
	char *flags[] = {"name=web", "=x"};
	char err[256] = "";
	assert_null(list_filters_from_flags(flags, 2, err, sizeof(err)));
	assert_non_null(strstr(err, "\"=x\""));
	char *bare[] = {"running"};
	assert_null(list_filters_from_flags(bare, 1, err, sizeof(err)));
	assert_non_null(strstr(err, "expected name=value"));
}

static void test_parse_checks_keys(void **state)
{
	char err[256] = "";
	yajl_val f = list_filters_parse("{\"name\":[\"x\"]}", g_known, err, sizeof(err));
	assert_non_null(f);
	yajl_tree_free(f);
	assert_null(list_filters_parse("{\"bogus\":[\"x\"]}", g_known, err, sizeof(err)));
	assert_string_equal(err, "Invalid filter 'bogus': allowed are status, name");
	assert_null(list_filters_parse("[1]", g_known, err, sizeof(err)));
	assert_string_equal(err, "filters must be a JSON object");
	err[0] = '\0';
	assert_null(list_filters_parse("{", g_known, err, sizeof(err)));
	assert_true(err[0] != '\0');
}

static bool is_web(const void *item, const char *want)
{
	return strcmp(want, (const char *)item) == 0;
}

static bool any(const char *doc, const char *item)
{
	char err[256];
	yajl_val f = list_filters_parse(doc, g_known, err, sizeof(err));
	assert_non_null(f);
	bool r = list_filter_any(f, "name", is_web, item);
	yajl_tree_free(f);
	return r;
}

static void test_any_takes_every_form(void **state)
{
	assert_true(any("{}", "web"));
	assert_true(any("{\"name\":null}", "web"));
	assert_true(any("{\"name\":[]}", "web"));
	assert_true(any("{\"name\":{}}", "web"));
	assert_true(any("{\"name\":[\"db\",\"web\"]}", "web"));
	assert_false(any("{\"name\":[\"db\"]}", "web"));
	/* Docker's own client sends {"name":{"web":true}}. */
	assert_true(any("{\"name\":{\"web\":true}}", "web"));
	assert_false(any("{\"name\":{\"db\":true}}", "web"));
	assert_true(any("{\"name\":\"web\"}", "web"));
	assert_false(any("{\"name\":[1]}", "web"));
	assert_false(any("{\"name\":7}", "web"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_flags_group_by_key),
	    cmocka_unit_test(test_flags_need_a_key),
	    cmocka_unit_test(test_parse_checks_keys),
	    cmocka_unit_test(test_any_takes_every_form),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
