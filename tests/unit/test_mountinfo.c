#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "host/mountinfo.h"

static void parses_a_line_with_optional_fields(void **state)
{
	char line[] = "36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 shared:7 - ext3 /dev/root "
	              "rw,errors=continue";
	struct mountinfo_entry e;
	assert_int_equal(mountinfo_parse_line(line, &e), 0);
	assert_int_equal(e.mount_id, 36);
	assert_int_equal(e.parent_id, 35);
	assert_int_equal(e.major, 98);
	assert_int_equal(e.minor, 0);
	assert_string_equal(e.root, "/mnt1");
	assert_string_equal(e.mount_point, "/mnt2");
	assert_string_equal(e.options, "rw,noatime");
	assert_string_equal(e.optional, "master:1 shared:7");
	assert_string_equal(e.fs_type, "ext3");
	assert_string_equal(e.source, "/dev/root");
	assert_string_equal(e.super_options, "rw,errors=continue");
}

static void private_mount_has_no_optional_fields(void **state)
{
	char line[] = "55 86 0:70 /proc/meminfo /proc/meminfo rw,nosuid,nodev,relatime - "
	              "fuse.lxcfs lxcfs rw,user_id=0,group_id=0,allow_other";
	struct mountinfo_entry e;
	assert_int_equal(mountinfo_parse_line(line, &e), 0);
	assert_string_equal(e.optional, "");
	assert_string_equal(e.fs_type, "fuse.lxcfs");
	assert_string_equal(e.mount_point, "/proc/meminfo");
	assert_string_equal(e.source, "lxcfs");
}

static void decodes_octal_escapes(void **state)
{
	char line[] = "40 26 0:50 / /tmp/a\\040dir\\134x rw shared:3 - tmpfs my\\011src rw";
	struct mountinfo_entry e;
	assert_int_equal(mountinfo_parse_line(line, &e), 0);
	assert_string_equal(e.mount_point, "/tmp/a dir\\x");
	assert_string_equal(e.source, "my\tsrc");
	assert_string_equal(e.optional, "shared:3");
}

static void cgroup_mounts(void **state)
{
	char v1[] = "35 24 0:30 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid shared:11 - cgroup cgroup "
	            "rw,cpu,cpuacct";
	struct mountinfo_entry e;
	assert_int_equal(mountinfo_parse_line(v1, &e), 0);
	assert_string_equal(e.fs_type, "cgroup");
	assert_string_equal(e.root, "/");
	assert_string_equal(e.mount_point, "/sys/fs/cgroup/cpu,cpuacct");
	assert_string_equal(e.super_options, "rw,cpu,cpuacct");

	char v2[] = "40 30 0:35 /lxc/c1 /mnt/my\\040cg rw - cgroup2 cgroup2 rw,nsdelegate";
	assert_int_equal(mountinfo_parse_line(v2, &e), 0);
	assert_string_equal(e.fs_type, "cgroup2");
	assert_string_equal(e.root, "/lxc/c1");
	assert_string_equal(e.mount_point, "/mnt/my cg");
	assert_string_equal(e.super_options, "rw,nsdelegate");

	char no_super[] = "40 30 0:35 / /x rw - tmpfs tmpfs";
	assert_int_equal(mountinfo_parse_line(no_super, &e), 0);
	assert_string_equal(e.super_options, "");
}

static void rejects_malformed_lines(void **state)
{
	struct mountinfo_entry e;
	char no_sep[] = "36 35 98:0 / /mnt rw shared:1 ext3 /dev/root rw";
	char short_line[] = "36 35 98:0 /";
	char bad_id[] = "x 35 98:0 / /mnt rw - ext3 /dev/root rw";
	char bad_dev[] = "36 35 98:x / /mnt rw - ext3 /dev/root rw";
	char no_source[] = "36 35 98:0 / /mnt rw - ext3";
	char empty[] = "";
	assert_int_equal(mountinfo_parse_line(no_sep, &e), -1);
	assert_int_equal(mountinfo_parse_line(short_line, &e), -1);
	assert_int_equal(mountinfo_parse_line(bad_id, &e), -1);
	assert_int_equal(mountinfo_parse_line(bad_dev, &e), -1);
	assert_int_equal(mountinfo_parse_line(no_source, &e), -1);
	assert_int_equal(mountinfo_parse_line(empty, &e), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(parses_a_line_with_optional_fields),
	    cmocka_unit_test(private_mount_has_no_optional_fields),
	    cmocka_unit_test(decodes_octal_escapes),
	    cmocka_unit_test(cgroup_mounts),
	    cmocka_unit_test(rejects_malformed_lines),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
