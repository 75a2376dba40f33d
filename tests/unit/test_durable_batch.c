#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "core/durable_batch.h"
#include "core/fileutil.h"

static char g_dir[] = "/tmp/test-durable-batch.XXXXXX";

/* Every fsync of the library, counted by what it syncs: this definition is the one linked. */
static int g_file_syncs, g_dir_syncs;
int fsync(int fd)
{
	struct stat st;
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode))
		g_dir_syncs++;
	else
		g_file_syncs++;
	return (int)syscall(SYS_fsync, fd);
}

static char *at(const char *name)
{
	static char path[256];
	snprintf(path, sizeof(path), "%s/%s", g_dir, name);
	return path;
}

static char *content(const char *name)
{
	return read_file(at(name), 4096, NULL);
}

static size_t temp_files(void)
{
	size_t n = 0;
	DIR *d = opendir(g_dir);
	for (struct dirent *e; d && (e = readdir(d));)
		n += is_atomic_temp_name(e->d_name);
	if (d)
		closedir(d);
	return n;
}

static int setup(void **state)
{
	return mkdtemp(g_dir) ? 0 : -1;
}

static int teardown(void **state)
{
	remove_tree(g_dir);
	return 0;
}

static void assert_content(const char *name, const char *want)
{
	char *got = content(name);
	if (!want) {
		assert_null(got);
		return;
	}
	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

/* Nothing changes before the commit; then every file holds its last content. */
static void commit_renames_all(void **state)
{
	assert_int_equal(atomic_write_file(at("a"), "old-a", 5, 0600), 0);
	assert_int_equal(durable_batch_begin(), 0);
	assert_int_equal(durable_batch_begin(), -1);
	assert_int_equal(errno, EBUSY);
	assert_int_equal(atomic_write_file(at("a"), "new-a", 5, 0600), 0);
	assert_int_equal(atomic_write_file(at("b"), "first-b", 7, 0600), 0);
	assert_int_equal(atomic_write_file(at("b"), "last-b", 6, 0600), 0);
	assert_int_equal(fsync_dir(g_dir), 0);
	assert_content("a", "old-a");
	assert_content("b", NULL);
	assert_int_equal(temp_files(), 2); /* one temp name per thread and path: a's, b's */
	assert_int_equal(durable_batch_commit(), 0);
	assert_content("a", "new-a");
	assert_content("b", "last-b");
	assert_int_equal(temp_files(), 0);
	/* After the commit writes go straight to their files again. */
	assert_int_equal(atomic_write_file(at("a"), "later", 5, 0600), 0);
	assert_content("a", "later");
}

static void abort_changes_nothing(void **state)
{
	assert_int_equal(atomic_write_file(at("c"), "kept", 4, 0600), 0);
	assert_int_equal(durable_batch_begin(), 0);
	assert_int_equal(atomic_write_file(at("c"), "dropped", 7, 0600), 0);
	assert_int_equal(atomic_write_file(at("d"), "dropped", 7, 0600), 0);
	durable_batch_abort();
	assert_content("c", "kept");
	assert_content("d", NULL);
	assert_int_equal(temp_files(), 0);
}

/* A rename that fails (its directory went) fails the commit with its errno; what was
 * renamed before stays, nothing after it lands, no temp file is left. */
static void failed_commit_reports(void **state)
{
	char sub[300];
	snprintf(sub, sizeof(sub), "%s/sub", g_dir);
	assert_int_equal(mkdir_p(sub, 0700), 0);
	assert_int_equal(durable_batch_begin(), 0);
	assert_int_equal(atomic_write_file(at("e"), "e", 1, 0600), 0);
	assert_int_equal(atomic_write_file(at("sub/f"), "f", 1, 0600), 0);
	assert_int_equal(atomic_write_file(at("g"), "g", 1, 0600), 0);
	/* The temp file of sub/f is in sub: moving sub away makes its rename fail. */
	char moved[320];
	snprintf(moved, sizeof(moved), "%s/moved", g_dir);
	assert_int_equal(rename(sub, moved), 0);
	assert_int_equal(durable_batch_commit(), -1);
	assert_int_equal(errno, ENOENT);
	assert_content("e", "e");
	assert_content("g", NULL);
	assert_int_equal(temp_files(), 0);
	/* The temp file of a rename that failed is removed too: a directory in the way. */
	char in_way[320];
	snprintf(in_way, sizeof(in_way), "%s/h", g_dir);
	assert_int_equal(mkdir_p(in_way, 0700), 0);
	assert_int_equal(atomic_write_file(at("h/x"), "x", 1, 0600), 0);
	assert_int_equal(durable_batch_begin(), 0);
	assert_int_equal(atomic_write_file(at("h"), "h", 1, 0600), 0);
	assert_int_equal(durable_batch_commit(), -1);
	assert_int_equal(temp_files(), 0);
}

/* In place: every write is in its file at once, no temp file waits; sync_now keeps the
 * batch open; abort undoes nothing. */
static void in_place_writes_at_once(void **state)
{
	assert_int_equal(durable_batch_begin_in_place(), 0);
	assert_int_equal(durable_batch_begin(), -1);
	assert_int_equal(errno, EBUSY);
	assert_int_equal(atomic_write_file(at("i"), "first-i", 7, 0600), 0);
	assert_content("i", "first-i");
	assert_int_equal(temp_files(), 0);
	assert_int_equal(durable_batch_sync_now(), 0);
	assert_int_equal(atomic_write_file(at("i"), "last-i", 6, 0600), 0);
	assert_int_equal(atomic_write_file(at("j"), "j", 1, 0600), 0);
	assert_int_equal(fsync_dir(g_dir), 0);
	assert_content("i", "last-i");
	assert_content("j", "j");
	assert_int_equal(durable_batch_begin_in_place(), -1);
	assert_int_equal(durable_batch_commit(), 0);
	assert_int_equal(temp_files(), 0);
	/* Without an in-place batch sync_now has nothing to do. */
	assert_int_equal(durable_batch_sync_now(), 0);
	assert_int_equal(durable_batch_begin(), 0);
	assert_int_equal(atomic_write_file(at("k"), "k", 1, 0600), 0);
	assert_int_equal(durable_batch_sync_now(), 0);
	assert_content("k", NULL); /* a plain batch still renames only at its commit */
	durable_batch_abort();

	assert_int_equal(durable_batch_begin_in_place(), 0);
	assert_int_equal(atomic_write_file(at("l"), "l", 1, 0600), 0);
	durable_batch_abort();
	assert_content("l", "l");
	assert_int_equal(temp_files(), 0);
}

/* In place, a rename that fails fails its write at once, leaving no temp file. */
static void in_place_failed_rename(void **state)
{
	char in_way[320];
	snprintf(in_way, sizeof(in_way), "%s/m", g_dir);
	assert_int_equal(mkdir_p(in_way, 0700), 0);
	assert_int_equal(atomic_write_file(at("m/x"), "x", 1, 0600), 0);
	assert_int_equal(durable_batch_begin_in_place(), 0);
	assert_int_equal(atomic_write_file(at("m"), "m", 1, 0600), -1);
	assert_int_equal(temp_files(), 0);
	assert_int_equal(atomic_write_file(at("n"), "n", 1, 0600), 0);
	assert_int_equal(durable_batch_commit(), 0);
	assert_content("n", "n");
}

/* In place: sync_now fsyncs the files so far and the directories given so far but those of
 * the files; the commit fsyncs the later files, then each directory of the files and each
 * one given since, once. */
static void in_place_dirs_synced_at_commit(void **state)
{
	char d1[320], d2[320];
	snprintf(d1, sizeof(d1), "%s/d1", g_dir);
	snprintf(d2, sizeof(d2), "%s/d2", g_dir);
	assert_int_equal(mkdir_p(d1, 0700), 0);
	assert_int_equal(mkdir_p(d2, 0700), 0);
	assert_int_equal(durable_batch_begin_in_place(), 0);
	g_file_syncs = g_dir_syncs = 0;
	assert_int_equal(atomic_write_file(at("d1/a"), "a", 1, 0600), 0);
	assert_int_equal(atomic_write_file(at("b"), "b", 1, 0600), 0);
	assert_int_equal(fsync_dir(g_dir), 0); /* a file's too: at the commit */
	assert_int_equal(fsync_dir(d2), 0);
	assert_int_equal(g_file_syncs + g_dir_syncs, 0);
	assert_int_equal(durable_batch_sync_now(), 0);
	assert_int_equal(g_file_syncs, 2);
	assert_int_equal(g_dir_syncs, 1); /* d2 */
	assert_int_equal(atomic_write_file(at("d1/a"), "A", 1, 0600), 0);
	assert_int_equal(fsync_dir(d1), 0);
	assert_int_equal(durable_batch_commit(), 0);
	assert_int_equal(g_file_syncs, 3);
	assert_int_equal(g_dir_syncs, 3); /* d1 and g_dir */
	assert_content("d1/a", "A");
	/* Without a batch a directory is synced at once. */
	assert_int_equal(fsync_dir(d1), 0);
	assert_int_equal(g_dir_syncs, 4);
}

static ino_t inode_of(const char *name)
{
	struct stat st;
	return stat(at(name), &st) == 0 ? st.st_ino : 0;
}

/* A swap write exchanges two files: the first one makes the file, the next ones keep the
 * two inodes (none made, none freed) and the version before in NAME.prev. */
static void swap_keeps_two_inodes(void **state)
{
	assert_int_equal(atomic_write_file_swap(at("s"), "one", 3, 0600), 0);
	assert_content("s", "one");
	assert_int_equal(inode_of("s.prev"), 0); /* renamed into place: nothing to keep */
	assert_int_equal(atomic_write_file_swap(at("s"), "two", 3, 0600), 0);
	assert_content("s", "two");
	assert_content("s.prev", "one");
	ino_t a = inode_of("s"), b = inode_of("s.prev");
	assert_true(a != 0 && b != 0 && a != b);
	assert_int_equal(atomic_write_file_swap(at("s"), "three!", 6, 0600), 0);
	assert_content("s", "three!");
	assert_content("s.prev", "two");
	/* The longer content went into the older file, truncated first. */
	assert_true(inode_of("s") == b && inode_of("s.prev") == a);
	assert_int_equal(atomic_write_file_swap(at("s"), "4", 1, 0600), 0);
	assert_content("s", "4");
	assert_int_equal(temp_files(), 0);
	/* A missing directory fails, leaving nothing. */
	assert_int_equal(atomic_write_file_swap(at("nodir/s"), "x", 1, 0600), -1);
	assert_int_equal(errno, ENOENT);
}

/* In a batch, a swap write is the batch's: renamed at its commit, no NAME.prev. */
static void swap_joins_a_batch(void **state)
{
	assert_int_equal(durable_batch_begin(), 0);
	assert_int_equal(atomic_write_file_swap(at("t"), "t", 1, 0600), 0);
	assert_content("t", NULL);
	assert_int_equal(durable_batch_commit(), 0);
	assert_content("t", "t");
	assert_int_equal(inode_of("t.prev"), 0);
}

/* The directory a swap write and a batch sync: "." and "/" at the edges. */
static void dir_of_a_path(void **state)
{
	const char *cases[][2] = {{"a", "."}, {"/x", "/"}, {"/a/b", "/a"}, {"a/b/c", "a/b"}};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *d = path_dir(cases[i][0]);
		assert_non_null(d);
		assert_string_equal(d, cases[i][1]);
		free(d);
	}
}

/* mkdir_p: the whole chain made, an existing dir is fine, a file in the way is not. */
static void mkdir_parents(void **state)
{
	char path[256];
	snprintf(path, sizeof(path), "%s", at("m1/m2/m3"));
	assert_int_equal(mkdir_p(path, 0700), 0);
	assert_true(is_directory(path));
	assert_int_equal(mkdir_p(path, 0700), 0); /* there already */
	snprintf(path, sizeof(path), "%s", at("m1/m2/m4"));
	assert_int_equal(mkdir_p(path, 0700), 0); /* parents there */
	assert_true(is_directory(path));
	assert_int_equal(atomic_replace_file(at("mfile"), "x", 1, 0600), 0);
	snprintf(path, sizeof(path), "%s", at("mfile/sub/dir"));
	errno = 0;
	assert_int_equal(mkdir_p(path, 0700), -1);
	assert_int_equal(errno, ENOTDIR);
	const char *made[] = {"m1/m2/m3", "m1/m2/m4", "m1/m2", "m1"};
	for (size_t i = 0; i < sizeof(made) / sizeof(made[0]); i++)
		assert_int_equal(rmdir(at(made[i])), 0);
	assert_int_equal(unlink(at("mfile")), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(commit_renames_all),
	    cmocka_unit_test(abort_changes_nothing),
	    cmocka_unit_test(failed_commit_reports),
	    cmocka_unit_test(in_place_writes_at_once),
	    cmocka_unit_test(in_place_failed_rename),
	    cmocka_unit_test(in_place_dirs_synced_at_commit),
	    cmocka_unit_test(swap_keeps_two_inodes),
	    cmocka_unit_test(swap_joins_a_batch),
	    cmocka_unit_test(dir_of_a_path),
	    cmocka_unit_test(mkdir_parents),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
