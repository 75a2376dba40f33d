#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/hash.h"

static uint64_t of(const char *s)
{
	return fnv1a64(FNV1A64_BASIS, s, strlen(s));
}

/* The published FNV-1a 64-bit test vectors. */
static void vectors(void **state)
{
	assert_int_equal(of(""), UINT64_C(0xcbf29ce484222325));
	assert_int_equal(of("a"), UINT64_C(0xaf63dc4c8601ec8c));
	assert_int_equal(of("foobar"), UINT64_C(0x85944171f73967e8));
}

/* Going on from a previous result is hashing the bytes together. */
static void chained(void **state)
{
	assert_int_equal(fnv1a64(of("foo"), "bar", 3), of("foobar"));
	assert_int_not_equal(of("foobar"), of("foobaz"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(vectors),
	    cmocka_unit_test(chained),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
