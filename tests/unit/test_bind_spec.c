#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "engine/bind_spec.h"

static void parses_docker_forms(void **state)
{
	struct bind_spec b;
	char err[256];
	assert_int_equal(bind_spec_parse("/a:/b", &b, err, sizeof(err)), 0);
	assert_string_equal(b.src, "/a");
	assert_string_equal(b.dst, "/b");
	assert_false(b.ro);
	assert_null(b.propagation);
	bind_spec_free(&b);
	assert_int_equal(bind_spec_parse("/a:/b:ro,rslave,Z", &b, err, sizeof(err)), 0);
	assert_true(b.ro);
	assert_string_equal(b.propagation, "rslave");
	bind_spec_free(&b);
	assert_int_equal(bind_spec_parse("/a:/b:shared", &b, err, sizeof(err)), 0);
	assert_false(b.ro);
	assert_string_equal(b.propagation, "shared");
	bind_spec_free(&b);
}

static void refuses_what_docker_refuses(void **state)
{
	struct bind_spec b;
	char err[256];
	const char *bad[] = {"/a",      "a:/b",        "/a:b",    "/a:/b:",   "/a:/b:ro,rw",
	                     "/a:/b:x", "/a:/b:ro:rw", "/a b:/b", "/a:/b\nc", "/a:/b:shared,slave"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(bind_spec_parse(bad[i], &b, err, sizeof(err)), -1);
		assert_non_null(strstr(err, "Invalid volume specification"));
	}
	assert_int_equal(bind_spec_parse("/a:/b:ro,bogus", &b, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "unknown option \"bogus\""));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(parses_docker_forms),
	    cmocka_unit_test(refuses_what_docker_refuses),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
