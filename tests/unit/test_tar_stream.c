#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "core/fileutil.h"
#include "engine/tar_stream.h"

struct entry {
	const char *name;
	mode_t type;
	const char *data; /* content, or link target */
};

/* A tar file (unlinked, at offset 0) with the given entries. */
static int make_tar(const struct entry *ents, size_t n)
{
	FILE *f = tmpfile();
	assert_non_null(f);
	int fd = dup(fileno(f));
	fclose(f);
	struct archive *a = archive_write_new();
	archive_write_set_format_pax_restricted(a);
	assert_int_equal(archive_write_open_fd(a, fd), ARCHIVE_OK);
	for (size_t i = 0; i < n; i++) {
		struct archive_entry *e = archive_entry_new();
		archive_entry_set_pathname(e, ents[i].name);
		archive_entry_set_perm(e, 0644);
		if (ents[i].type == AE_IFLNK) {
			archive_entry_set_filetype(e, AE_IFLNK);
			archive_entry_set_symlink(e, ents[i].data);
		} else if (ents[i].type == 0) { /* hard link */
			archive_entry_set_hardlink(e, ents[i].data);
		} else {
			archive_entry_set_filetype(e, ents[i].type);
			archive_entry_set_size(e,
			                       ents[i].data ? (la_int64_t)strlen(ents[i].data) : 0);
		}
		assert_int_equal(archive_write_header(a, e), ARCHIVE_OK);
		if (ents[i].type == AE_IFREG && ents[i].data)
			archive_write_data(a, ents[i].data, strlen(ents[i].data));
		archive_entry_free(e);
	}
	archive_write_close(a);
	archive_write_free(a);
	assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
	return fd;
}

static char *g_dir;

static int setup(void **state)
{
	char tmpl[] = "/tmp/test_tar_stream.XXXXXX";
	g_dir = strdup(mkdtemp(tmpl));
	return g_dir ? 0 : -1;
}

static int teardown(void **state)
{
	remove_tree(g_dir);
	free(g_dir);
	return 0;
}

static char *sub(const char *name)
{
	char *p = path_join(g_dir, name);
	assert_non_null(p);
	return p;
}

static int extract(int fd, const char *root_name, const struct tar_extract_opts *o, struct error *e)
{
	char *root = sub(root_name);
	mkdir_p(root, 0755);
	int rfd = open(root, O_PATH | O_DIRECTORY);
	assert_true(rfd >= 0);
	int ret = tar_extract(tar_fd_read, &fd, rfd, ".", o, e);
	close(rfd);
	close(fd);
	free(root);
	return ret;
}

static void test_roundtrip(void **state)
{
	char *src = sub("src/tree/d");
	assert_int_equal(mkdir_p(src, 0755), 0);
	char *file = sub("src/tree/d/f");
	assert_int_equal(atomic_write_file(file, "hello", 5, 0640), 0);
	char *lnk = sub("src/tree/d/l");
	assert_int_equal(symlink("f", lnk), 0);
	FILE *f = tmpfile();
	int fd = dup(fileno(f));
	fclose(f);
	char err[512];
	char *srcpath = sub("src/tree");
	assert_int_equal(
	    tar_write_path(tar_fd_write, &fd, AT_FDCWD, srcpath, "renamed", err, sizeof(err)), 0);
	lseek(fd, 0, SEEK_SET);
	struct tar_extract_opts o = {0};
	struct error e;
	assert_int_equal(extract(fd, "out1", &o, &e), 0);
	char *got = sub("out1/renamed/d/f");
	size_t len;
	char *data = read_file(got, 100, &len);
	assert_non_null(data);
	assert_string_equal(data, "hello");
	struct stat st;
	assert_int_equal(stat(got, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0640);
	char *gotl = sub("out1/renamed/d/l");
	char target[16] = "";
	assert_int_equal(readlink(gotl, target, sizeof(target) - 1), 1);
	assert_string_equal(target, "f");
	free(data);
	free(got);
	free(gotl);
	free(srcpath);
	free(src);
	free(file);
	free(lnk);
}

static void test_dotdot_refused(void **state)
{
	struct entry ents[] = {{"ok", AE_IFREG, "x"}, {"a/../../escape", AE_IFREG, "x"}};
	struct error e;
	struct tar_extract_opts o = {.check_only = true};
	assert_int_equal(extract(make_tar(ents, 2), "out2", &o, &e), -1);
	assert_non_null(strstr(e.msg, "\"..\" is not allowed"));
	assert_int_equal(e.code, ERR_INVALID);
	char *ok = sub("out2/ok");
	assert_false(path_exists(ok)); /* check_only wrote nothing */
	free(ok);
}

/* Found by fuzz_tar_extract: a symlink entry without a target passed the check and then
 * reached symlinkat(NULL, ...) (or failed half-way through the writing pass). */
static void test_symlink_without_target_refused(void **state)
{
	struct entry ents[] = {{"ok", AE_IFREG, "x"}, {"l", AE_IFLNK, ""}};
	struct error e;
	struct tar_extract_opts o = {.check_only = true};
	assert_int_equal(extract(make_tar(ents, 2), "out_nolink", &o, &e), -1);
	assert_non_null(strstr(e.msg, "archive entry l: symlink without a target"));
	assert_int_equal(e.code, ERR_INVALID);
	o.check_only = false;
	assert_int_equal(extract(make_tar(ents, 2), "out_nolink", &o, &e), -1);
	assert_non_null(strstr(e.msg, "symlink without a target"));
}

/* The destination is the root: a symlink entry to "/" leads back into it, not to the host. */
static void test_symlink_entry_stays_inside(void **state)
{
	struct entry ents[] = {{"up", AE_IFLNK, "/"},
	                       {"up/planted", AE_IFREG, "p"},
	                       {"rel", AE_IFLNK, "../../../.."},
	                       {"rel/planted2", AE_IFREG, "q"}};
	struct error e;
	struct tar_extract_opts o = {0};
	assert_int_equal(extract(make_tar(ents, 4), "out3", &o, &e), 0);
	char *in = sub("out3/planted"), *in2 = sub("out3/planted2");
	assert_true(path_exists(in));
	assert_true(path_exists(in2));
	assert_false(path_exists("/planted"));
	assert_false(path_exists("/planted2"));
	free(in);
	free(in2);
}

static void test_hard_links(void **state)
{
	struct entry ents[] = {{"f", AE_IFREG, "data"}, {"h", 0, "f"}};
	struct error e;
	struct tar_extract_opts o = {0};
	assert_int_equal(extract(make_tar(ents, 2), "out4", &o, &e), 0);
	char *f = sub("out4/f"), *h = sub("out4/h");
	struct stat a, b;
	assert_int_equal(stat(f, &a), 0);
	assert_int_equal(stat(h, &b), 0);
	assert_int_equal(a.st_ino, b.st_ino);
	free(f);
	free(h);
	/* Through a symlink (even one inside the destination) is refused. */
	struct entry bad[] = {{"f", AE_IFREG, "data"}, {"s", AE_IFLNK, "."}, {"h", 0, "s/f"}};
	assert_int_equal(extract(make_tar(bad, 3), "out5", &o, &e), -1);
	assert_non_null(strstr(e.msg, "hard link"));
}

static void test_rebase_and_overwrite(void **state)
{
	char *dir = sub("out6/x");
	assert_int_equal(mkdir_p(dir, 0755), 0);
	struct entry ents[] = {{"./", AE_IFDIR, NULL}, {"./x", AE_IFREG, "now a file"}};
	struct error e;
	struct tar_extract_opts o = {.no_overwrite_dir_nondir = true};
	assert_int_equal(extract(make_tar(ents, 2), "out6", &o, &e), -1);
	assert_non_null(strstr(e.msg, "cannot overwrite directory"));
	assert_int_equal(e.code, ERR_INVALID); /* the archive's fault: 400 */
	assert_true(is_directory(dir));
	o.no_overwrite_dir_nondir = false;
	o.rebase_from = ".";
	o.rebase_to = "top";
	assert_int_equal(extract(make_tar(ents, 2), "out6", &o, &e), 0);
	char *f = sub("out6/top/x");
	assert_true(path_exists(f));
	free(f);
	free(dir);
}

/* A tar of a setuid-root shell and a disk's node, as a hostile container would hand out. */
static int make_special_tar(void)
{
	FILE *f = tmpfile();
	int fd = dup(fileno(f));
	fclose(f);
	struct archive *a = archive_write_new();
	archive_write_set_format_pax_restricted(a);
	assert_int_equal(archive_write_open_fd(a, fd), ARCHIVE_OK);
	struct archive_entry *e = archive_entry_new();
	archive_entry_set_pathname(e, "suid-sh");
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 06755);
	archive_entry_set_size(e, 2);
	assert_int_equal(archive_write_header(a, e), ARCHIVE_OK);
	archive_write_data(a, "#!", 2);
	archive_entry_clear(e);
	archive_entry_set_pathname(e, "disk");
	archive_entry_set_filetype(e, AE_IFBLK);
	archive_entry_set_perm(e, 0666);
	archive_entry_set_rdev(e, makedev(7, 0));
	assert_int_equal(archive_write_header(a, e), ARCHIVE_OK);
	archive_entry_clear(e);
	archive_entry_set_pathname(e, "fifo");
	archive_entry_set_filetype(e, AE_IFIFO);
	archive_entry_set_perm(e, 0644);
	assert_int_equal(archive_write_header(a, e), ARCHIVE_OK);
	archive_entry_free(e);
	archive_write_close(a);
	archive_write_free(a);
	lseek(fd, 0, SEEK_SET);
	return fd;
}

static void test_strip_special(void **state)
{
	struct error e;
	size_t skipped = 0;
	struct tar_extract_opts o = {.strip_special = true, .skipped_devices = &skipped};
	assert_int_equal(extract(make_special_tar(), "strip", &o, &e), 0);
	struct stat st;
	char *p = sub("strip/suid-sh");
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0755);
	free(p);
	p = sub("strip/disk");
	assert_int_equal(lstat(p, &st), -1);
	free(p);
	assert_int_equal(skipped, 1);
	p = sub("strip/fifo");
	assert_int_equal(lstat(p, &st), 0);
	assert_true(S_ISFIFO(st.st_mode));
	free(p);

	/* Asked for (isula cp -a): kept as they are. */
	struct tar_extract_opts keep = {0};
	assert_int_equal(extract(make_special_tar(), "keep", &keep, &e), 0);
	p = sub("keep/suid-sh");
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(st.st_mode & 07777, 06755);
	free(p);
	p = sub("keep/disk");
	assert_int_equal(lstat(p, &st), 0);
	assert_true(S_ISBLK(st.st_mode));
	free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_roundtrip),
	    cmocka_unit_test(test_dotdot_refused),
	    cmocka_unit_test(test_symlink_entry_stays_inside),
	    cmocka_unit_test(test_symlink_without_target_refused),
	    cmocka_unit_test(test_hard_links),
	    cmocka_unit_test(test_rebase_and_overwrite),
	    cmocka_unit_test(test_strip_special),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
