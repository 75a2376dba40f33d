#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>

#include "core/url_mask.h"

static void check(const char *in, const char *want)
{
	char *out = url_mask_credentials(in);
	assert_non_null(out);
	assert_string_equal(out, want);
	free(out);
}

static void hides_user_and_password(void **state)
{
	check("http://user:secret@proxy.example:3128", "http://xxxxx:xxxxx@proxy.example:3128");
	check("http://user@proxy:3128/", "http://xxxxx@proxy:3128/");
	check("http://u:p@ss@proxy:3128", "http://xxxxx:xxxxx@proxy:3128");
	check("user:pw@proxy:3128", "xxxxx:xxxxx@proxy:3128");
}

static void leaves_the_rest_alone(void **state)
{
	check("http://proxy:3128", "http://proxy:3128");
	check("http://proxy:3128/path@x", "http://proxy:3128/path@x");
	check("localhost,127.0.0.1,.example.com", "localhost,127.0.0.1,.example.com");
	check("", "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(hides_user_and_password),
	    cmocka_unit_test(leaves_the_rest_alone),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
