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

static const char *GROUPS_FILE = "root:x:0:\nbin:x:1:root,daemon\nwheel:x:10:root,app\n"
                                 "staff:x:50:\napp:x:1001:\naudio:x:29:app\nlong:x:7:apple,ap\n"
                                 "broken:x:notanumber:app\n";

static void supplementary_groups_by_membership(void **state)
{
	gid_t g[USER_GROUPS_MAX];
	size_t n;
	char err[256], text[64];
	/* root (no user given) is a member of bin and wheel; app of wheel and audio only
	 * (neither "apple" nor "ap" is app; a line with a bad gid counts for nothing). */
	assert_int_equal(user_groups_resolve(NULL, PASSWD, GROUPS_FILE, NULL, g, USER_GROUPS_MAX,
	                                     &n, err, sizeof(err)),
	                 0);
	user_groups_format(g, n, text, sizeof(text));
	assert_string_equal(text, "0,1,10"); /* its own gid always comes first */
	assert_int_equal(user_groups_resolve("app", PASSWD, GROUPS_FILE, NULL, g, USER_GROUPS_MAX,
	                                     &n, err, sizeof(err)),
	                 0);
	user_groups_format(g, n, text, sizeof(text));
	assert_string_equal(text, "1001,10,29");
	/* A uid is the name passwd gives it; an unknown uid has no memberships (gid 0). */
	assert_int_equal(user_groups_resolve("1000", PASSWD, GROUPS_FILE, NULL, g, USER_GROUPS_MAX,
	                                     &n, err, sizeof(err)),
	                 0);
	assert_int_equal(n, 3);
	assert_int_equal(user_groups_resolve("4242", PASSWD, GROUPS_FILE, NULL, g, USER_GROUPS_MAX,
	                                     &n, err, sizeof(err)),
	                 0);
	user_groups_format(g, n, text, sizeof(text));
	assert_string_equal(text, "0");
	/* An explicit group: only that one (Docker), no memberships. */
	assert_int_equal(user_groups_resolve("app:staff", PASSWD, GROUPS_FILE, NULL, g,
	                                     USER_GROUPS_MAX, &n, err, sizeof(err)),
	                 0);
	user_groups_format(g, n, text, sizeof(text));
	assert_string_equal(text, "50");
	/* A user that cannot be resolved is an error, not an empty list. */
	assert_int_equal(user_groups_resolve("nosuchuser", PASSWD, GROUPS_FILE, NULL, g,
	                                     USER_GROUPS_MAX, &n, err, sizeof(err)),
	                 -1);
	assert_non_null(strstr(err, "unable to find user nosuchuser"));
}

static void group_add_names_and_gids(void **state)
{
	gid_t g[USER_GROUPS_MAX];
	size_t n;
	char err[256], text[64];
	char *extra[] = {"staff", "4000", "wheel", NULL};
	assert_int_equal(user_groups_resolve("app", PASSWD, GROUPS_FILE, extra, g, USER_GROUPS_MAX,
	                                     &n, err, sizeof(err)),
	                 0);
	user_groups_format(g, n, text, sizeof(text));
	assert_string_equal(text, "1001,10,29,50,4000"); /* wheel once */
	char *unknown[] = {"nosuch", NULL};
	assert_int_equal(user_groups_resolve("app", PASSWD, GROUPS_FILE, unknown, g,
	                                     USER_GROUPS_MAX, &n, err, sizeof(err)),
	                 -1);
	assert_non_null(strstr(err, "Unable to find group nosuch"));
	/* The cap is an error, not a silent cut. */
	assert_int_equal(
	    user_groups_resolve("app", PASSWD, GROUPS_FILE, extra, g, 4, &n, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "too many supplementary groups"));
	/* A buffer too small for the list keeps whole numbers only. */
	gid_t big[] = {1000, 2000, 3000};
	user_groups_format(big, 3, text, 12);
	assert_string_equal(text, "1000,2000");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(resolves_names_and_numbers),
	    cmocka_unit_test(rejects_unknown_and_malformed),
	    cmocka_unit_test(supplementary_groups_by_membership),
	    cmocka_unit_test(group_add_names_and_gids),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
