#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/base64.h"
#include "core/path_clean.h"
#include "engine/cp_path.h"
#include "engine/path_stat.h"

static void check_split(const char *arg, const char *want_ctr, const char *want_path)
{
	char *ctr;
	const char *path;
	assert_int_equal(cp_split_arg(arg, &ctr, &path), 0);
	if (want_ctr)
		assert_string_equal(ctr, want_ctr);
	else
		assert_null(ctr);
	assert_string_equal(path, want_path);
	free(ctr);
}

static void test_split_arg(void **state)
{
	check_split("ctr:/etc/passwd", "ctr", "/etc/passwd");
	check_split("ctr:relative", "ctr", "relative");
	check_split("ctr:", "ctr", "");
	check_split(":/x", "", "/x");
	check_split("/abs/with:colon", NULL, "/abs/with:colon");
	check_split("./file:name", NULL, "./file:name");
	check_split("plain", NULL, "plain");
	check_split("-", NULL, "-");
	check_split("a:b:c", "a", "b:c");
}

static void check_clean(const char *in, const char *want)
{
	char *out = path_clean(in);
	assert_string_equal(out, want);
	free(out);
}

static void test_path_clean(void **state)
{
	check_clean("", ".");
	check_clean("/", "/");
	check_clean("//a//b/", "/a/b");
	check_clean("/a/./b/.", "/a/b");
	check_clean("/a/../..", "/");
	check_clean("/../etc", "/etc");
	check_clean("a/../../b", "../b");
	check_clean("../a/..", "..");
	check_clean("./", ".");
	check_clean("a/b/../c", "a/c");
}

static void check_dir_entry(const char *in, const char *dir, const char *base)
{
	char *d, *b;
	assert_int_equal(cp_split_dir_entry(in, &d, &b), 0);
	assert_string_equal(d, dir);
	assert_string_equal(b, base);
	free(d);
	free(b);
}

static void test_split_dir_entry(void **state)
{
	check_dir_entry("/etc/passwd", "/etc", "passwd");
	check_dir_entry("/etc/", "/", "etc");
	check_dir_entry("/etc/.", "/etc", ".");
	check_dir_entry("/etc/./", "/etc", ".");
	check_dir_entry("file", ".", "file");
	check_dir_entry("/", "/", "/");
	check_dir_entry(".", ".", ".");
	check_dir_entry("/top", "/", "top");
	assert_true(cp_asserts_dir("/a/"));
	assert_true(cp_asserts_dir("/a/."));
	assert_true(cp_asserts_dir("."));
	assert_false(cp_asserts_dir("/a"));
	assert_false(cp_asserts_dir("/a.b"));
	assert_false(cp_asserts_dir("/a/.."));
}

struct prep {
	char *dir, *from, *to;
	const char *err;
	int ret;
};

static struct prep prepare(const char *src, bool src_dir, const char *dst, bool exists,
                           bool dst_dir)
{
	struct cp_info s = {.path = src, .exists = true, .is_dir = src_dir};
	struct cp_info d = {.path = dst, .exists = exists, .is_dir = dst_dir};
	struct prep p;
	p.ret = cp_prepare(&s, &d, &p.dir, &p.from, &p.to, &p.err);
	return p;
}

static void prep_free(struct prep *p)
{
	free(p->dir);
	free(p->from);
	free(p->to);
}

static void test_prepare_rules(void **state)
{
	/* Into an existing dir: extracted there as it is. */
	struct prep p = prepare("/etc", true, "/tmp/out", true, true);
	assert_int_equal(p.ret, 0);
	assert_string_equal(p.dir, "/tmp/out");
	assert_null(p.to);
	prep_free(&p);
	/* A dir to a new name: into the parent, top entry renamed. */
	p = prepare("/etc", true, "/tmp/new", false, false);
	assert_int_equal(p.ret, 0);
	assert_string_equal(p.dir, "/tmp");
	assert_string_equal(p.from, "etc");
	assert_string_equal(p.to, "new");
	prep_free(&p);
	/* Contents of a dir ("/.") to a new name. */
	p = prepare("/etc/.", true, "/tmp/new", false, false);
	assert_int_equal(p.ret, 0);
	assert_string_equal(p.from, ".");
	assert_string_equal(p.to, "new");
	prep_free(&p);
	/* A file onto a file: renamed to the existing file's name. */
	p = prepare("/etc/passwd", false, "/tmp/existing", true, false);
	assert_int_equal(p.ret, 0);
	assert_string_equal(p.dir, "/tmp");
	assert_string_equal(p.from, "passwd");
	assert_string_equal(p.to, "existing");
	prep_free(&p);
	/* A file to a new name. */
	p = prepare("passwd", false, "rel/x", false, false);
	assert_int_equal(p.ret, 0);
	assert_string_equal(p.dir, "rel");
	assert_string_equal(p.to, "x");
	prep_free(&p);
	/* Errors, with docker's words. */
	p = prepare("/etc", true, "/tmp/file", true, false);
	assert_int_equal(p.ret, -1);
	assert_string_equal(p.err, "cannot copy directory");
	prep_free(&p);
	p = prepare("/etc/passwd", false, "/tmp/nodir/", false, false);
	assert_int_equal(p.ret, -1);
	assert_string_equal(p.err, "no such directory");
	prep_free(&p);
	p = prepare("/etc/passwd", false, "/tmp/file/", true, false);
	assert_int_equal(p.ret, -1);
	assert_string_equal(p.err, "not a directory");
	prep_free(&p);
	/* A dir to a missing path ending in '/' is created under that name. */
	p = prepare("/etc", true, "/tmp/newdir/", false, false);
	assert_int_equal(p.ret, 0);
	assert_string_equal(p.dir, "/tmp");
	assert_string_equal(p.to, "newdir");
	prep_free(&p);
}

static void test_base64(void **state)
{
	const char *cases[][2] = {{"", ""},
	                          {"f", "Zg=="},
	                          {"fo", "Zm8="},
	                          {"foo", "Zm9v"},
	                          {"foob", "Zm9vYg=="},
	                          {"fooba", "Zm9vYmE="},
	                          {"foobar", "Zm9vYmFy"}};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *e = base64_encode(cases[i][0], strlen(cases[i][0]));
		assert_string_equal(e, cases[i][1]);
		size_t n;
		char *d = base64_decode(e, &n);
		assert_non_null(d);
		assert_int_equal(n, strlen(cases[i][0]));
		assert_string_equal(d, cases[i][0]);
		free(e);
		free(d);
	}
	assert_null(base64_decode("abc", NULL));
	assert_null(base64_decode("a=bc", NULL));
	assert_null(base64_decode("ab!c", NULL));
}

static void test_path_stat_roundtrip(void **state)
{
	struct stat st = {.st_mode = S_IFDIR | 01755, .st_size = 42};
	char *v = path_stat_encode("etc", &st, NULL);
	struct path_stat ps;
	assert_int_equal(path_stat_decode(v, &ps), 0);
	assert_string_equal(ps.name, "etc");
	assert_int_equal(ps.size, 42);
	assert_true(path_stat_is_dir(&ps));
	assert_false(path_stat_is_symlink(&ps));
	/* Go's os.FileMode: ModeDir | ModeSticky | 0755. */
	assert_int_equal(ps.mode, (1u << 31) | (1u << 20) | 0755);
	path_stat_free(&ps);
	free(v);
	st.st_mode = S_IFLNK | 0777;
	v = path_stat_encode("evil", &st, "/etc");
	assert_int_equal(path_stat_decode(v, &ps), 0);
	assert_true(path_stat_is_symlink(&ps));
	assert_string_equal(ps.link_target, "/etc");
	path_stat_free(&ps);
	free(v);
	assert_int_equal(path_stat_decode("not base64!", &ps), -1);
	assert_int_equal(path_stat_decode("WzFd", &ps), -1); /* "[1]" */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_split_arg),       cmocka_unit_test(test_path_clean),
	    cmocka_unit_test(test_split_dir_entry), cmocka_unit_test(test_prepare_rules),
	    cmocka_unit_test(test_base64),          cmocka_unit_test(test_path_stat_roundtrip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
