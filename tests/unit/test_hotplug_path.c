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
#include <sys/wait.h>
#include <unistd.h>

#include "core/path_clean.h"
#include "host/ns_exec.h"
#include "host/tree_mount.h"
#include "hotplug/path.h"
#include "hotplug/path_host.h"
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
	int fd, procfd;
	char target[256];
	char file[300];
	dev_t dev, fdev;
	ino_t ino, fino;
};
struct tm_result {
	int attach, read_ok, write_errno, detach_other, detach_inside, detach, detach_again,
	    still_there;
	char err[256];
};

static int tm_child(void *arg, void *result)
{
	const struct tm_args *a = arg;
	struct tm_result *r = result;
	/* Nothing done here may reach the test's own namespace. */
	if (mount(NULL, "/", NULL, MS_REC | MS_SLAVE, NULL) < 0)
		return 1;
	r->attach = tree_attach(a->procfd, a->fd, a->target, true, 0, 0, TREE_RSLAVE, r->err,
	                        sizeof(r->err));
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
	/* Another file's identity: not ours, left. */
	r->detach_other =
	    tree_detach(a->procfd, a->target, a->dev, a->ino + 1, true, r->err, sizeof(r->err));
	/* A file inside the mount shows the host tree's device but is no mount root. */
	r->detach_inside =
	    tree_detach(a->procfd, a->file, a->fdev, a->fino, true, r->err, sizeof(r->err));
	r->detach = tree_detach(a->procfd, a->target, a->dev, a->ino, true, r->err, sizeof(r->err));
	r->detach_again =
	    tree_detach(a->procfd, a->target, a->dev, a->ino, true, r->err, sizeof(r->err));
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
	struct stat st;
	char srcfile[310];
	snprintf(srcfile, sizeof(srcfile), "%s/f", src);
	assert_int_equal(stat(srcfile, &st), 0);
	a.fdev = st.st_dev;
	a.fino = st.st_ino;
	int sfd = open(src, O_PATH | O_CLOEXEC);
	assert_true(sfd >= 0);
	a.fd = tree_clone(sfd, src, true, err, sizeof(err));
	close(sfd);
	assert_true(a.fd >= 0);
	a.procfd = open("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC);
	assert_true(a.procfd >= 0);
	assert_int_equal(fstat(a.fd, &st), 0);
	a.dev = st.st_dev;
	a.ino = st.st_ino;
	struct tm_result r = {0};
	assert_int_equal(ns_exec(0, CLONE_NEWNS, tm_child, &a, &r, sizeof(r), err, sizeof(err)), 0);
	close(a.fd);
	close(a.procfd);
	assert_int_equal(r.attach, 0);
	assert_true(r.read_ok);
	assert_int_equal(r.write_errno, EROFS);
	assert_int_equal(r.detach_other, 0);
	assert_int_equal(r.detach_inside, 0);
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
	int sfd = open(dir, O_PATH | O_CLOEXEC);
	assert_true(sfd >= 0);
	a.fd = tree_clone(sfd, dir, false, err, sizeof(err));
	close(sfd);
	assert_true(a.fd >= 0);
	a.procfd = open("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC);
	struct tm_result r = {0};
	assert_int_equal(ns_exec(0, CLONE_NEWNS, tm_child, &a, &r, sizeof(r), err, sizeof(err)), 0);
	close(a.fd);
	close(a.procfd);
	assert_int_equal(r.attach, -1);
	assert_non_null(strstr(r.err, "is not a directory"));
	char cmd[64];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

/* ------------------------------------------------------------ a pinned init that has died */

/* A process in its own mount namespace, chrooted to root: what the container's pid number
 * names once its init has died and the number has been reused. Ends when *hold is closed. */
static pid_t other_process(const char *root, int *hold)
{
	int ready[2], wait_end[2];
	if (pipe(ready) < 0 || pipe(wait_end) < 0)
		return -1;
	pid_t pid = fork();
	if (pid == 0) {
		char c;
		close(ready[0]);
		close(wait_end[1]);
		if (unshare(CLONE_NEWNS) < 0 ||
		    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 || chroot(root) < 0 ||
		    chdir("/") < 0)
			_exit(1);
		if (write(ready[1], "x", 1) != 1)
			_exit(1);
		while (read(wait_end[0], &c, 1) > 0)
			;
		_exit(0);
	}
	close(ready[1]);
	close(wait_end[0]);
	char c;
	if (pid < 0 || read(ready[0], &c, 1) != 1) {
		close(ready[0]);
		close(wait_end[1]);
		return -1;
	}
	close(ready[0]);
	*hold = wait_end[1];
	return pid;
}

static void a_dead_pin_mounts_nothing(void **state)
{
	if (geteuid() != 0)
		skip();
	char dir[] = "/tmp/hp-pin-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char root[300], src[300], spec[700], seen[320];
	snprintf(root, sizeof(root), "%s/root", dir);
	snprintf(src, sizeof(src), "%s/src", dir);
	assert_int_equal(mkdir(root, 0755), 0);
	assert_int_equal(mkdir(src, 0755), 0);
	/* The init the tool pinned: it has ended since. */
	int gate[2];
	assert_int_equal(pipe(gate), 0);
	pid_t init = fork();
	if (init == 0) {
		char c;
		close(gate[1]);
		while (read(gate[0], &c, 1) > 0)
			;
		_exit(0);
	}
	close(gate[0]);
	struct hotplug_target t = {0};
	t.dir = dir;
	assert_int_equal(pid_pin_open(init, 0, &t.pin), 0);
	close(gate[1]);
	assert_int_equal(waitpid(init, NULL, 0), init);
	/* Its pid number now names another process (a reused pid). */
	int hold = -1;
	t.pid = other_process(root, &hold);
	assert_true(t.pid > 0);

	struct hotplug_record r = {0};
	struct hp_bind b;
	struct error e = {0};
	snprintf(spec, sizeof(spec), "%s:/mnt/x", src);
	assert_int_equal(hp_bind_parse(spec, &b, &e), 0);
	int rc = hotplug_paths_add(&t, &r, &b, 1, true, &e);
	hp_bind_free(&b);
	close(hold);
	assert_int_equal(waitpid(t.pid, NULL, 0), t.pid);
	pid_pin_close(&t.pin);
	assert_int_equal(rc, -1);
	assert_int_equal(e.code, ERR_NOT_RUNNING);
	assert_int_equal(r.n_binds, 0); /* the record is rolled back */
	snprintf(seen, sizeof(seen), "%s/mnt/x", root);
	assert_int_equal(access(seen, F_OK), -1); /* nothing reached the other process */
	hotplug_record_free(&r);
	char cmd[64];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

/* ------------------------------------------------------------- host paths without symlinks */

static void host_paths_never_follow_symlinks(void **state)
{
	(void)state;
	char dir[] = "/tmp/hp-host-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char p[400], q[400];
	snprintf(p, sizeof(p), "%s/real", dir);
	assert_int_equal(mkdir(p, 0755), 0);
	snprintf(q, sizeof(q), "%s/link", dir);
	assert_int_equal(symlink(p, q), 0);
	struct error e = {0};

	int fd = hp_host_open(p, &e);
	assert_true(fd >= 0);
	close(fd);
	/* A symlink as the last component, or in the middle. */
	assert_int_equal(hp_host_open(q, &e), -1);
	assert_int_equal(errno, ELOOP);
	assert_non_null(strstr(e.msg, "goes through a symlink"));
	snprintf(q, sizeof(q), "%s/link/x", dir);
	assert_int_equal(hp_host_open(q, &e), -1);
	assert_int_equal(errno, ELOOP);

	/* Made below a symlink: refused, nothing made through it. */
	struct hp_host_made m;
	snprintf(q, sizeof(q), "%s/link/made/deep", dir);
	assert_int_equal(hp_host_make(q, geteuid(), getegid(), &m, &e), -1);
	assert_non_null(strstr(e.msg, q));
	assert_non_null(strstr(e.msg, "goes through a symlink"));
	snprintf(q, sizeof(q), "%s/real/made", dir);
	assert_int_equal(access(q, F_OK), -1);

	/* Made, then undone: only what was made goes. */
	snprintf(q, sizeof(q), "%s/real/a/b/c", dir);
	assert_int_equal(hp_host_make(q, geteuid(), getegid(), &m, &e), 0);
	struct stat st;
	assert_int_equal(stat(q, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	hp_host_made_undo(&m);
	snprintf(q, sizeof(q), "%s/real/a", dir);
	assert_int_equal(access(q, F_OK), -1);
	assert_int_equal(access(p, F_OK), 0);
	/* An existing path: nothing made, nothing undone. */
	assert_int_equal(hp_host_make(p, geteuid(), getegid(), &m, &e), 0);
	assert_null(m.rel);
	hp_host_made_undo(&m);
	assert_int_equal(access(p, F_OK), 0);

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
	    cmocka_unit_test(a_dead_pin_mounts_nothing),
	    cmocka_unit_test(host_paths_never_follow_symlinks),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
