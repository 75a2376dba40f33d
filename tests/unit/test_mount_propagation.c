#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "host/mount_propagation.h"

/* A Debian host without systemd (/ private), with a shared bind and a slave one below. */
static const char *MOUNTINFO =
    "27 1 254:0 / / rw,relatime - ext4 /dev/vda rw\n"
    "22 27 0:21 / /proc rw,relatime - proc proc rw\n"
    "90 27 254:0 /srv/data /srv/data rw,relatime shared:41 - ext4 /dev/vda rw\n"
    "91 90 0:50 / /srv/data/sub rw,relatime master:41 - tmpfs sub rw\n"
    "92 27 0:51 / /mnt\\040dir rw,relatime shared:5 master:3 - tmpfs t rw\n"
    "93 27 0:52 / /srv/data2 rw - tmpfs t rw\n";

static void finds_the_deepest_mount(void **state)
{
	struct mount_propagation mp;
	assert_int_equal(mount_propagation_of(MOUNTINFO, "/srv/data/sub/x", &mp), 0);
	assert_string_equal(mp.mount_point, "/srv/data/sub");
	assert_true(mp.slave);
	assert_false(mp.shared);
	assert_int_equal(mount_propagation_of(MOUNTINFO, "/srv/data/other", &mp), 0);
	assert_string_equal(mp.mount_point, "/srv/data");
	assert_true(mp.shared);
	assert_false(mp.slave);
	/* /srv/data2 is its own mount, not below /srv/data */
	assert_int_equal(mount_propagation_of(MOUNTINFO, "/srv/data2/f", &mp), 0);
	assert_string_equal(mp.mount_point, "/srv/data2");
	assert_false(mp.shared || mp.slave);
	/* / when nothing deeper holds it: private here */
	assert_int_equal(mount_propagation_of(MOUNTINFO, "/tmp/src", &mp), 0);
	assert_string_equal(mp.mount_point, "/");
	assert_false(mp.shared || mp.slave);
	/* escaped mount points, both tags */
	assert_int_equal(mount_propagation_of(MOUNTINFO, "/mnt dir/a", &mp), 0);
	assert_string_equal(mp.mount_point, "/mnt dir");
	assert_true(mp.shared && mp.slave);
}

static void last_mount_over_a_point_wins(void **state)
{
	const char *text = "27 1 254:0 / / rw - ext4 /dev/vda rw\n"
	                   "40 27 0:60 / /x rw shared:9 - tmpfs a rw\n"
	                   "41 40 0:61 / /x rw - tmpfs b rw\n";
	struct mount_propagation mp;
	assert_int_equal(mount_propagation_of(text, "/x/y", &mp), 0);
	assert_false(mp.shared);
}

static void nothing_parsable(void **state)
{
	struct mount_propagation mp;
	assert_int_equal(mount_propagation_of("garbage\n\n", "/x", &mp), -1);
	assert_int_equal(mount_propagation_of("", "/x", &mp), -1);
}

static void check_needs_nothing_for_private(void **state)
{
	char err[256] = "";
	assert_int_equal(mount_propagation_check("/nonexistent", NULL, err, sizeof(err)), 0);
	assert_int_equal(mount_propagation_check("/nonexistent", "rprivate", err, sizeof(err)), 0);
	assert_int_equal(mount_propagation_check("/nonexistent", "rshared", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "/nonexistent"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(finds_the_deepest_mount),
	    cmocka_unit_test(last_mount_over_a_point_wins),
	    cmocka_unit_test(nothing_parsable),
	    cmocka_unit_test(check_needs_nothing_for_private),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
