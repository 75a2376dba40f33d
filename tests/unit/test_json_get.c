#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>

#include "core/json.h"

static int64_t get_int(const char *doc, int64_t dflt)
{
	yajl_val v = json_parse(doc, NULL, 0);
	assert_non_null(v);
	int64_t got = json_get_int(v, "n", dflt);
	yajl_tree_free(v);
	return got;
}

static void test_integers_and_fractions(void **state)
{
	assert_int_equal(get_int("{\"n\": 42}", -1), 42);
	assert_int_equal(get_int("{\"n\": -9223372036854775808}", -1), INT64_MIN);
	assert_int_equal(get_int("{\"n\": 1.9}", -1), 1);
	assert_int_equal(get_int("{\"n\": -2.5}", -1), -2);
	assert_int_equal(get_int("{\"n\": 1e18}", -1), 1000000000000000000LL);
	assert_int_equal(get_int("{\"n\": \"7\"}", -1), -1);
	assert_int_equal(get_int("{}", -1), -1);
}

/* Found by fuzz_inspect_template: a double beyond int64 was converted (undefined behaviour),
 * e.g. a create body's "Memory": 1e30. */
static void test_doubles_out_of_range_give_the_default(void **state)
{
	assert_int_equal(get_int("{\"n\": 1e30}", -7), -7);
	assert_int_equal(get_int("{\"n\": -1e30}", -7), -7);
	assert_int_equal(get_int("{\"n\": 9223372036854775808.0}", -7), -7);
	assert_int_equal(get_int("{\"n\": 1e999}", -7), -7);
	assert_int_equal(get_int("{\"n\": -9223372036854775808.0}", -7), INT64_MIN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_integers_and_fractions),
	    cmocka_unit_test(test_doubles_out_of_range_give_the_default),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
