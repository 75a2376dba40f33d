#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>
#include <cmocka.h>

#include "host/dir_spread.h"

#define EXT4_MAGIC 0xEF53
#define TMPFS_MAGIC 0x01021994

static bool unsupported(int err)
{
	return err == ENOTTY || err == EOPNOTSUPP || err == EINVAL;
}

/* A directory on the filesystem of /var/tmp (this machine's disk): the hint is set where it
 * is ext2/3/4, refused as unsupported elsewhere. */
static void on_disk(void **state)
{
	char dir[] = "/var/tmp/dir-spread.XXXXXX";
	assert_non_null(mkdtemp(dir));
	struct statfs fs;
	assert_int_equal(statfs(dir, &fs), 0);
	if (fs.f_type == EXT4_MAGIC) {
		assert_int_equal(dir_spreads_subdirs(dir), 0);
		assert_int_equal(dir_spread_subdirs(dir), 0);
		assert_int_equal(dir_spreads_subdirs(dir), 1);
		assert_int_equal(dir_spread_subdirs(dir), 0); /* set already: nothing changes */
		assert_int_equal(dir_spreads_subdirs(dir), 1);
	} else {
		errno = 0;
		assert_int_equal(dir_spread_subdirs(dir), -1);
		assert_true(unsupported(errno));
	}
	assert_int_equal(rmdir(dir), 0);
}

/* tmpfs has no such hint: an error that says so, nothing else. */
static void on_tmpfs(void **state)
{
	if (geteuid() != 0)
		skip(); /* mounting needs root: the disk case above still ran */
	char dir[] = "/tmp/dir-spread-tmpfs.XXXXXX";
	assert_non_null(mkdtemp(dir));
	assert_int_equal(mount("dir-spread", dir, "tmpfs", 0, "size=1m"), 0);
	struct statfs fs;
	assert_int_equal(statfs(dir, &fs), 0);
	assert_int_equal((long)fs.f_type, TMPFS_MAGIC);
	errno = 0;
	assert_int_equal(dir_spread_subdirs(dir), -1);
	assert_true(unsupported(errno));
	assert_int_equal(umount(dir), 0);
	assert_int_equal(rmdir(dir), 0);
}

static void missing(void **state)
{
	errno = 0;
	assert_int_equal(dir_spread_subdirs("/nonexistent/dir-spread"), -1);
	assert_int_equal(errno, ENOENT);
	assert_int_equal(dir_spreads_subdirs("/nonexistent/dir-spread"), -1);
	assert_int_equal(errno, ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(on_disk),
	    cmocka_unit_test(on_tmpfs),
	    cmocka_unit_test(missing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
