#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/path_clean.h"
#include "host/ns_exec.h"
#include "host/tree_mount.h"
#include "hotplug/path_spec.h"
#include "hotplug/record.h"

static void clean(const char *in, const char *want)
{
	char *got = path_clean(in);
	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

static void cleans_paths_as_go(void **state)
{
	clean("/", "/");
	clean("//a//b/", "/a/b");
	clean("/a/./b/.", "/a/b");
	clean("/a/b/..", "/a");
	clean("/a/..", "/");
	clean("/..", "/");
	clean("/../../a", "/a");
	clean("/a/b/../../c", "/c");
	clean("", ".");
	clean(".", ".");
	clean("a/..", ".");
	clean("a/../..", "..");
	clean("../a/../../b", "../../b");
	clean("a//b/./c/", "a/b/c");
}

static void parses_defaults_and_options(void **state)
{
	struct hp_bind b;
	struct error e = {0};
	assert_int_equal(hp_bind_parse("/h//x/:/c/./y", &b, &e), 0);
	assert_string_equal(b.host, "/h/x");
	assert_string_equal(b.ctr, "/c/y");
	assert_string_equal(b.opts, "rw,rslave");
	assert_false(b.ro);
	assert_int_equal(b.prop, TREE_RSLAVE);
	char *s = hp_bind_format(&b);
	assert_string_equal(s, "/h/x:/c/y:rw,rslave");
	free(s);
	hp_bind_free(&b);

	assert_int_equal(hp_bind_parse("/h:/c:ro", &b, &e), 0);
	assert_true(b.ro);
	assert_int_equal(b.prop, TREE_RSLAVE);
	assert_string_equal(b.opts, "ro");
	hp_bind_free(&b);
	assert_int_equal(hp_bind_parse("/h:/c:private,ro", &b, &e), 0);
	assert_true(b.ro);
	assert_int_equal(b.prop, TREE_PRIVATE);
	hp_bind_free(&b);
	assert_int_equal(hp_bind_parse("/h:/c:rprivate", &b, &e), 0);
	assert_int_equal(b.prop, TREE_RPRIVATE);
	hp_bind_free(&b);
}

static void refused(const char *spec, const char *msg)
{
	struct hp_bind b;
	struct error e = {0};
	assert_int_equal(hp_bind_parse(spec, &b, &e), -1);
	assert_int_equal(e.code, ERR_INVALID);
	if (!strstr(e.msg, msg))
		fail_msg("%s: got \"%s\", want \"%s\"", spec, e.msg, msg);
	assert_null(b.host);
}

static void refuses_bad_specs(void **state)
{
	refused("/h", "invalid path specification: /h");
	refused("/h:/c:rw:x", "invalid path specification: /h:/c:rw:x");
	refused("h:/c", "invalid path specification:h:/c, only absolute path is allowed");
	refused("/h:c", "only absolute path is allowed");
	refused("/h::rw", "only absolute path is allowed");
	refused("/h:/", "the container's / cannot be mounted over");
	refused("/h:/a/..", "the container's / cannot be mounted over");
	refused("/h:/c:", "invalid permissions: ");
	refused("/h:/c:shared", "invalid permissions: shared");
	refused("/h:/c:rw,", "invalid permissions: rw,");
	refused("/h:/c:ro,ro", "invalid permissions: ro,ro");
	refused("/h:/c:ro,rw", "invalid permissions: ro,rw");
	refused("/h:/c:private,rprivate", "invalid permissions: private,rprivate");
	refused("/h\n:/c", "invalid path specification");
	char *big = malloc(HP_BIND_SPEC_MAX + 10);
	memset(big, 'a', HP_BIND_SPEC_MAX + 9);
	big[0] = '/';
	big[10] = ':';
	big[11] = '/';
	big[HP_BIND_SPEC_MAX + 9] = '\0';
	refused(big, "invalid path specification");
	free(big);
}

static int check(char **rec, size_t n, const char *spec, size_t max, struct error *e)
{
	struct hp_bind b;
	assert_int_equal(hp_bind_parse(spec, &b, e), 0);
	int rc = hp_binds_check_add(rec, n, &b, max, e);
	hp_bind_free(&b);
	return rc;
}

static void applies_the_rules(void **state)
{
	char *rec[] = {"/h1:/c1:rw,rslave", "/h2:/c2:ro"};
	struct error e = {0};
	assert_int_equal(check(rec, 2, "/h3:/c3", 128, &e), 0);
	/* The same host path elsewhere with the same meaning, whatever the spelling. */
	assert_int_equal(check(rec, 2, "/h1:/c4:rslave,rw", 128, &e), 0);
	assert_int_equal(check(rec, 2, "/h2:/c4:ro,rslave", 128, &e), 0);
	assert_int_equal(check(rec, 2, "/h9:/c1", 128, &e), -1);
	assert_string_equal(e.msg, "Mount more than one host paths to a single path in container");
	assert_int_equal(check(rec, 2, "/h1:/c1", 128, &e), -1);
	assert_string_equal(e.msg, "Mount more than one host paths to a single path in container");
	assert_int_equal(check(rec, 2, "/h1:/c5:ro", 128, &e), -1);
	assert_string_equal(
	    e.msg, "Mount one host path with different permissions, old: rw,rslave, new: ro");
	/* The limit: max held already refuses one more (the original let max + 1 in). */
	assert_int_equal(check(rec, 2, "/h3:/c3", 3, &e), 0);
	assert_int_equal(check(rec, 2, "/h3:/c3", 2, &e), -1);
	assert_string_equal(e.msg, "Path already reach max limit");
	char *bad[] = {"garbage"};
	assert_int_equal(check(bad, 1, "/h3:/c3", 128, &e), -1);
	assert_non_null(strstr(e.msg, "garbage"));
}

static void finds_pairs_whatever_the_options(void **state)
{
	char *rec[] = {"/h1:/c1:rw,rslave", "/h2:/c2:ro"};
	struct hp_bind b;
	struct error e = {0};
	assert_int_equal(hp_bind_parse("/h2:/c2", &b, &e), 0);
	assert_int_equal(hp_binds_find(rec, 2, &b), 1);
	hp_bind_free(&b);
	assert_int_equal(hp_bind_parse("/h2/:/c2/.:ro", &b, &e), 0);
	assert_int_equal(hp_binds_find(rec, 2, &b), 1);
	hp_bind_free(&b);
	assert_int_equal(hp_bind_parse("/h1:/c2", &b, &e), 0);
	assert_int_equal(hp_binds_find(rec, 2, &b), -1);
	hp_bind_free(&b);
}

/* ------------------------------------------------------- tree_mount in a mount namespace */

struct tm_args {
	int fd;
	char target[256];
	char file[300];
	dev_t dev;
	ino_t ino;
};
struct tm_result {
	int attach, read_ok, write_errno, detach, detach_again, still_there;
	char err[256];
};

static int tm_child(void *arg, void *result)
{
	const struct tm_args *a = arg;
	struct tm_result *r = result;
	/* Nothing done here may reach the test's own namespace. */
	if (mount(NULL, "/", NULL, MS_REC | MS_SLAVE, NULL) < 0)
		return 1;
	r->attach = tree_attach(a->fd, a->target, true, 0, 0, TREE_RSLAVE, r->err, sizeof(r->err));
	int fd = open(a->file, O_RDONLY);
	char buf[16] = "";
	r->read_ok = fd >= 0 && read(fd, buf, sizeof(buf) - 1) > 0 && strcmp(buf, "hi\n") == 0;
	if (fd >= 0)
		close(fd);
	char wpath[300];
	snprintf(wpath, sizeof(wpath), "%s/new", a->target);
	fd = open(wpath, O_WRONLY | O_CREAT, 0644);
	r->write_errno = fd < 0 ? errno : 0;
	if (fd >= 0)
		close(fd);
	r->detach = tree_detach(a->target, a->dev, a->ino, r->err, sizeof(r->err));
	r->detach_again = tree_detach(a->target, a->dev, a->ino, r->err, sizeof(r->err));
	r->still_there = access(a->file, F_OK) == 0;
	return 0;
}

static void attaches_and_detaches_a_tree(void **state)
{
	if (geteuid() != 0)
		skip();
	char dir[] = "/tmp/hp-tree-XXXXXX";
	assert_non_null(mkdtemp(dir));
	struct tm_args a = {0};
	char src[300];
	snprintf(src, sizeof(src), "%s/src", dir);
	assert_int_equal(mkdir(src, 0755), 0);
	snprintf(a.file, sizeof(a.file), "%s/src/f", dir);
	FILE *f = fopen(a.file, "w");
	assert_non_null(f);
	fputs("hi\n", f);
	fclose(f);
	snprintf(a.target, sizeof(a.target), "%s/made/deep/target", dir);
	snprintf(a.file, sizeof(a.file), "%s/made/deep/target/f", dir);
	char err[256];
	a.fd = tree_clone(src, true, err, sizeof(err));
	assert_true(a.fd >= 0);
	struct stat st;
	assert_int_equal(fstat(a.fd, &st), 0);
	a.dev = st.st_dev;
	a.ino = st.st_ino;
	struct tm_result r = {0};
	assert_int_equal(ns_exec(0, CLONE_NEWNS, tm_child, &a, &r, sizeof(r), err, sizeof(err)), 0);
	close(a.fd);
	assert_int_equal(r.attach, 0);
	assert_true(r.read_ok);
	assert_int_equal(r.write_errno, EROFS);
	assert_int_equal(r.detach, 1);
	assert_int_equal(r.detach_again, 0); /* the directory under it is another file */
	assert_false(r.still_there);
	/* Our namespace never saw the mount; the created mount point stays. */
	char seen[300];
	snprintf(seen, sizeof(seen), "%s/made/deep/target/f", dir);
	assert_int_equal(access(seen, F_OK), -1);
	snprintf(seen, sizeof(seen), "%s/made/deep/target", dir);
	assert_int_equal(stat(seen, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	char cmd[64];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

static void refuses_a_directory_on_a_file(void **state)
{
	if (geteuid() != 0)
		skip();
	char dir[] = "/tmp/hp-tree-XXXXXX";
	assert_non_null(mkdtemp(dir));
	struct tm_args a = {0};
	snprintf(a.target, sizeof(a.target), "%s/file", dir);
	int fd = open(a.target, O_WRONLY | O_CREAT, 0644);
	assert_true(fd >= 0);
	close(fd);
	char err[256];
	a.fd = tree_clone(dir, false, err, sizeof(err));
	assert_true(a.fd >= 0);
	struct tm_result r = {0};
	assert_int_equal(ns_exec(0, CLONE_NEWNS, tm_child, &a, &r, sizeof(r), err, sizeof(err)), 0);
	close(a.fd);
	assert_int_equal(r.attach, -1);
	assert_non_null(strstr(r.err, "is not a directory"));
	char cmd[64];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(cleans_paths_as_go),
	    cmocka_unit_test(parses_defaults_and_options),
	    cmocka_unit_test(refuses_bad_specs),
	    cmocka_unit_test(applies_the_rules),
	    cmocka_unit_test(finds_pairs_whatever_the_options),
	    cmocka_unit_test(attaches_and_detaches_a_tree),
	    cmocka_unit_test(refuses_a_directory_on_a_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
