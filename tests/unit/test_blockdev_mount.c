/* The texts a block rootfs is mounted from (lib/host/blockdev_mount): the kernel's block
 * filesystems in /proc/filesystems and other mounts of a device in mountinfo. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/strv.h"
#include "host/blockdev_mount.h"

static void fs_types(void **state)
{
	const char *text = "nodev\tsysfs\nnodev\ttmpfs\nnodev\tproc\n\text3\n\text2\n\text4\n"
	                   "\tsquashfs\n\tfuseblk\nnodev\tfuse\n\txfs\n\tbtrfs";
	char **t = blockdev_fs_types(text);
	assert_non_null(t);
	const char *want[] = {"ext3", "ext2", "ext4", "squashfs", "xfs", "btrfs", NULL};
	for (size_t i = 0; want[i]; i++)
		assert_string_equal(t[i], want[i]);
	assert_null(t[6]);
	strv_free(t);
	assert_null(blockdev_fs_types("nodev\tproc\n"));
}

static void other_mounts(void **state)
{
	const char *info =
	    "22 1 254:1 / / rw,relatime shared:1 - ext4 /dev/vda1 rw,errors=remount-ro\n"
	    "80 22 7:3 / /mnt/ro ro,relatime shared:40 - ext4 /dev/loop3 ro\n"
	    "81 22 7:3 / /run/isulad/abc/rootfs rw,relatime - ext4 /dev/loop3 rw\n"
	    "82 22 7:3 /sub /srv/sub rw,relatime shared:41 - ext4 /dev/loop3 rw\n"
	    "83 22 7:4 / /mnt/space\\040dir ro,relatime - ext4 /dev/loop4 ro\n";
	char where[256];
	bool rw = false;
	assert_int_equal(
	    blockdev_other_mount(info, 7, 3, "/run/isulad/abc/rootfs", where, sizeof(where), &rw),
	    1);
	assert_string_equal(where, "/srv/sub"); /* the read-write one first */
	assert_true(rw);
	assert_int_equal(blockdev_other_mount(info, 7, 4, NULL, where, sizeof(where), &rw), 1);
	assert_string_equal(where, "/mnt/space dir");
	assert_false(rw);
	assert_int_equal(blockdev_other_mount(info, 7, 5, NULL, where, sizeof(where), &rw), 0);
	const char *only_ours = "81 22 7:3 / /run/isulad/abc/rootfs rw - ext4 /dev/loop3 rw\n";
	assert_int_equal(blockdev_other_mount(only_ours, 7, 3, "/run/isulad/abc/rootfs", where,
	                                      sizeof(where), &rw),
	                 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(fs_types),
	    cmocka_unit_test(other_mounts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
