#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "host/passwd.h"

static const char *PASSWD = "root:x:0:0:root:/root:/bin/sh\n"
                            "daemon:x:1:1::/:/bin/false\n"
                            "app:x:1000:1001:App:/home/app:/bin/sh\n";
static const char *GROUP = "root:x:0:\nstaff:x:50:\napp:x:1001:\n";

static void resolves_names_and_numbers(void **state)
{
	uid_t u;
	gid_t g;
	char err[256];
	assert_int_equal(user_spec_resolve("app", PASSWD, GROUP, &u, &g, err, sizeof(err)), 0);
	assert_int_equal(u, 1000);
	assert_int_equal(g, 1001);
	assert_int_equal(user_spec_resolve("1000", PASSWD, GROUP, &u, &g, err, sizeof(err)), 0);
	assert_int_equal(g, 1001);
	assert_int_equal(user_spec_resolve("app:staff", PASSWD, GROUP, &u, &g, err, sizeof(err)),
	                 0);
	assert_int_equal(g, 50);
	/* numbers need no entry (Docker behaviour) */
	assert_int_equal(user_spec_resolve("4242:77", NULL, NULL, &u, &g, err, sizeof(err)), 0);
	assert_int_equal(u, 4242);
	assert_int_equal(g, 77);
}

static void rejects_unknown_and_malformed(void **state)
{
	uid_t u;
	gid_t g;
	char err[256];
	assert_int_equal(user_spec_resolve("nobody", PASSWD, GROUP, &u, &g, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "unable to find user nobody"));
	assert_int_equal(user_spec_resolve("app:wheel", PASSWD, GROUP, &u, &g, err, sizeof(err)),
	                 -1);
	assert_non_null(strstr(err, "unable to find group wheel"));
	assert_int_equal(user_spec_resolve(":5", PASSWD, GROUP, &u, &g, err, sizeof(err)), -1);
	assert_int_equal(user_spec_resolve("-1", PASSWD, GROUP, &u, &g, err, sizeof(err)), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(resolves_names_and_numbers),
	    cmocka_unit_test(rejects_unknown_and_malformed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
