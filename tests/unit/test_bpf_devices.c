/* The device rules of cgroup v2 confinement: the rule parser, the BPF program it compiles to
 * (run here by a small interpreter of the instructions the compiler emits), and where the v2
 * tree and a process's place in it are found, over real file contents of v2 and hybrid
 * hosts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "host/bpf_devices.h"
#include "host/cgroup_mounts.h"
#include "host/cgroup_v2.h"
#include "tests/common/bpf_devices_run.h"

/* The interpreter, with an instruction the compiler should not emit failing the test. */
static int run(const struct bpf_insn *p, size_t n, int type, int access, uint32_t major,
               uint32_t minor)
{
	int r = bpf_devices_run(p, n, type, access, major, minor);
	if (r < 0)
		fail_msg("the program has an instruction the compiler should not emit");
	return r;
}

enum { B = DEVICE_TYPE_BLOCK, C = DEVICE_TYPE_CHAR };
enum { M = DEVICE_ACC_MKNOD, R = DEVICE_ACC_READ, W = DEVICE_ACC_WRITE };

static struct bpf_insn *compile(const char *const *texts, size_t *n)
{
	struct device_rule rules[32];
	size_t k = 0;
	char err[256];
	for (; texts[k]; k++)
		assert_int_equal(device_rule_parse(texts[k], &rules[k], err, sizeof(err)), 0);
	struct bpf_insn *p = bpf_devices_compile(rules, k, n);
	assert_non_null(p);
	return p;
}

static void parses_rules(void **state)
{
	struct device_rule r;
	char err[256];
	assert_int_equal(device_rule_parse("c 1:3 rwm", &r, err, sizeof(err)), 0);
	assert_int_equal(r.type, C);
	assert_int_equal(r.major, 1);
	assert_int_equal(r.minor, 3);
	assert_int_equal(r.access, R | W | M);
	assert_int_equal(device_rule_parse("b *:* m", &r, err, sizeof(err)), 0);
	assert_int_equal(r.type, B);
	assert_int_equal(r.major, DEVICE_ANY);
	assert_int_equal(r.minor, DEVICE_ANY);
	assert_int_equal(r.access, M);
	assert_int_equal(device_rule_parse("c 136:* wr", &r, err, sizeof(err)), 0);
	assert_int_equal(r.minor, DEVICE_ANY);
	assert_int_equal(r.access, R | W);
	assert_int_equal(device_rule_parse("a", &r, err, sizeof(err)), 0);
	assert_int_equal(r.type, DEVICE_TYPE_ALL);
	assert_int_equal(r.access, R | W | M);
	assert_int_equal(device_rule_parse("c 4294967295:0 r", &r, err, sizeof(err)), 0);
	assert_int_equal(r.major, 4294967295LL);
}

static void refuses_malformed_rules(void **state)
{
	const char *bad[] = {"",
	                     "x 1:3 rwm",
	                     "c 1:3",
	                     "c 1:3 ",
	                     "c 1 rwm",
	                     "c a:3 rwm",
	                     "c 1:3 rwx",
	                     "c 1:3 rr",
	                     "c1:3 rwm",
	                     "c 1:-3 r",
	                     "c :3 r",
	                     "c 1: r",
	                     "c 4294967296:0 r",
	                     "c 1:3 rwm\n",
	                     NULL};
	for (size_t i = 0; bad[i]; i++) {
		struct device_rule r;
		char err[256] = "";
		assert_int_equal(device_rule_parse(bad[i], &r, err, sizeof(err)), -1);
		assert_non_null(strstr(err, "invalid device rule"));
	}
}

static void default_list_allows_only_its_devices(void **state)
{
	const char *rules[] = {"c *:* m",   "b *:* m",   "c 1:3 rwm",   "c 1:5 rwm",
	                       "c 1:9 rwm", "c 5:2 rwm", "c 136:* rwm", NULL};
	size_t n;
	struct bpf_insn *p = compile(rules, &n);
	/* mknod of anything, as the v1 list says. */
	assert_int_equal(run(p, n, B, M, 8, 0), 1);
	assert_int_equal(run(p, n, C, M, 10, 200), 1);
	/* A disk node made that way cannot be opened. */
	assert_int_equal(run(p, n, B, R, 8, 0), 0);
	assert_int_equal(run(p, n, B, W, 7, 0), 0);
	assert_int_equal(run(p, n, B, R | W, 8, 1), 0);
	/* /dev/null, /dev/zero, /dev/urandom, ptmx, any pts. */
	assert_int_equal(run(p, n, C, R | W, 1, 3), 1);
	assert_int_equal(run(p, n, C, R, 1, 5), 1);
	assert_int_equal(run(p, n, C, R | W | M, 1, 9), 1);
	assert_int_equal(run(p, n, C, R | W, 5, 2), 1);
	assert_int_equal(run(p, n, C, R | W, 136, 42), 1);
	/* Near misses: same numbers as a block device, a neighbour minor, /dev/mem (1:1). */
	assert_int_equal(run(p, n, B, R, 1, 3), 0);
	assert_int_equal(run(p, n, C, R, 1, 4), 0);
	assert_int_equal(run(p, n, C, R, 1, 1), 0);
	assert_int_equal(run(p, n, C, R, 137, 0), 0);
	free(p);
}

static void partial_access_is_enforced(void **state)
{
	const char *rules[] = {"b 7:0 r", "c 10:* rw", NULL};
	size_t n;
	struct bpf_insn *p = compile(rules, &n);
	assert_int_equal(run(p, n, B, R, 7, 0), 1);
	assert_int_equal(run(p, n, B, W, 7, 0), 0);
	assert_int_equal(run(p, n, B, R | W, 7, 0), 0);
	assert_int_equal(run(p, n, B, M, 7, 0), 0);
	assert_int_equal(run(p, n, B, R, 7, 1), 0);
	assert_int_equal(run(p, n, C, R | W, 10, 229), 1);
	assert_int_equal(run(p, n, C, M, 10, 229), 0);
	free(p);
}

static void large_numbers_compare_as_unsigned(void **state)
{
	const char *rules[] = {"c 4294967295:2147483648 r", NULL};
	size_t n;
	struct bpf_insn *p = compile(rules, &n);
	assert_int_equal(run(p, n, C, R, 4294967295U, 2147483648U), 1);
	assert_int_equal(run(p, n, C, R, 4294967295U, 0), 0);
	free(p);
}

static void allow_all_ends_the_program(void **state)
{
	const char *rules[] = {"a", "c 1:3 rwm", NULL};
	size_t n;
	struct bpf_insn *p = compile(rules, &n);
	/* Nothing after an unconditional allow: the verifier refuses dead code. */
	assert_int_equal(p[n - 1].code, BPF_JMP | BPF_EXIT);
	assert_int_equal(p[n - 2].imm, 1);
	assert_int_equal(run(p, n, B, R | W | M, 8, 0), 1);
	free(p);
	const char *none[] = {NULL};
	p = compile(none, &n);
	assert_int_equal(run(p, n, C, R, 1, 3), 0);
	free(p);
}

static void finds_the_cgroup2_mount(void **state)
{
	/* A unified host (Debian 12's default). */
	const char *v2 =
	    "22 28 0:21 / /sys rw,nosuid,nodev,noexec,relatime shared:7 - sysfs sysfs rw\n"
	    "26 22 0:23 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:9 - "
	    "cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot\n";
	char *mp = cgroup2_mount_in(v2);
	assert_string_equal(mp, "/sys/fs/cgroup");
	free(mp);
	/* A hybrid host: v1 controllers and the v2 tree at .../unified. */
	const char *hybrid =
	    "25 22 0:22 / /sys/fs/cgroup ro,nosuid,nodev,noexec shared:8 - tmpfs tmpfs "
	    "ro,mode=755\n"
	    "26 25 0:23 / /sys/fs/cgroup/unified rw,nosuid,nodev,noexec,relatime shared:9 - "
	    "cgroup2 cgroup2 rw,nsdelegate\n"
	    "28 25 0:25 / /sys/fs/cgroup/devices rw,nosuid,nodev,noexec,relatime shared:11 - "
	    "cgroup cgroup rw,devices\n";
	mp = cgroup2_mount_in(hybrid);
	assert_string_equal(mp, "/sys/fs/cgroup/unified");
	free(mp);
	/* A v1-only host. */
	assert_null(cgroup2_mount_in("28 25 0:25 / /sys/fs/cgroup/devices rw shared:11 - cgroup "
	                             "cgroup rw,devices\n"));
}

static void finds_a_process_in_the_v2_tree(void **state)
{
	char *p = cgroup2_path_in("0::/isulad/4f2a/ns\n");
	assert_string_equal(p, "/isulad/4f2a/ns");
	free(p);
	p = cgroup2_path_in("9:name=systemd:/x\n5:devices:/isulad/4f2a/ns\n0::/isulad/4f2a/ns\n");
	assert_string_equal(p, "/isulad/4f2a/ns");
	free(p);
	/* Outside the v2 tree of a hybrid host. */
	p = cgroup2_path_in("5:devices:/isulad/4f2a\n0::/\n");
	assert_string_equal(p, "/");
	free(p);
	/* A v1 cgroup named with a newline cannot forge the v2 line: the kernel's is last. */
	p = cgroup2_path_in("5:devices:/a\n0::/forged\n0::/isulad/real\n");
	assert_string_equal(p, "/isulad/real");
	free(p);
	assert_null(cgroup2_path_in("5:devices:/a\n"));
	assert_null(cgroup2_path_in(""));
}

/* bpf_devices_replace on a real cgroup of the v2 tree (root only): whatever was attached, one
 * program remains, a new one. */
static void replace_leaves_one_new_program(void **state)
{
	const struct cgroup_hier *v2 = cgroup_mounts_v2(cgroup_mounts_host());
	if (geteuid() != 0 || !v2)
		skip();
	char dir[512];
	snprintf(dir, sizeof(dir), "%s/unit-bpf-replace-%d", v2->mount_point, (int)getpid());
	if (mkdir(dir, 0755) < 0)
		skip();
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(fd >= 0);
	struct device_rule r[2];
	char err[512];
	assert_int_equal(device_rule_parse("c 1:3 rwm", &r[0], err, sizeof(err)), 0);
	assert_int_equal(device_rule_parse("b 7:0 r", &r[1], err, sizeof(err)), 0);
	int ret = bpf_devices_attach(fd, r, 1, BPF_F_ALLOW_MULTI, err, sizeof(err));
	if (ret < 0) { /* no BPF here (a container without CAP_SYS_ADMIN) */
		close(fd);
		rmdir(dir);
		skip();
	}
	assert_int_equal(bpf_devices_attach(fd, r, 1, BPF_F_ALLOW_MULTI, err, sizeof(err)), 0);
	uint32_t before[8], after[8];
	assert_int_equal(bpf_devices_ids(fd, before, 8), 2);
	assert_int_equal(bpf_devices_replace(fd, r, 2, err, sizeof(err)), 0);
	assert_int_equal(bpf_devices_ids(fd, after, 8), 1);
	assert_true(after[0] != before[0] && after[0] != before[1]);
	/* Again from one: still one. */
	assert_int_equal(bpf_devices_replace(fd, r, 1, err, sizeof(err)), 0);
	assert_int_equal(bpf_devices_count(fd), 1);
	close(fd);
	assert_int_equal(rmdir(dir), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(parses_rules),
	    cmocka_unit_test(refuses_malformed_rules),
	    cmocka_unit_test(default_list_allows_only_its_devices),
	    cmocka_unit_test(partial_access_is_enforced),
	    cmocka_unit_test(large_numbers_compare_as_unsigned),
	    cmocka_unit_test(allow_all_ends_the_program),
	    cmocka_unit_test(finds_the_cgroup2_mount),
	    cmocka_unit_test(finds_a_process_in_the_v2_tree),
	    cmocka_unit_test(replace_leaves_one_new_program),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
