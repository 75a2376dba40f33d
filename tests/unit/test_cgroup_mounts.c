#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "host/cgroup_mounts.h"

/* Real /proc/self/mountinfo texts (trimmed of unrelated mounts). */

/* Fedora 38, systemd 253: the v2 tree alone, on /sys/fs/cgroup. */
static const char v2_only[] =
    "22 1 259:2 / / rw,relatime shared:1 - ext4 /dev/nvme0n1p2 rw,seclabel\n"
    "23 22 0:21 / /sys rw,nosuid,nodev,noexec,relatime shared:2 - sysfs sysfs rw,seclabel\n"
    "26 23 0:23 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 "
    "rw,seclabel,nsdelegate,memory_recursiveprot\n"
    "24 22 0:22 / /proc rw,nosuid,nodev,noexec,relatime shared:12 - proc proc rw\n";

/* Ubuntu 20.04, systemd 245: v1 controllers beside the v2 tree on /sys/fs/cgroup/unified. */
static const char hybrid[] =
    "25 22 0:22 / /sys/fs/cgroup ro,nosuid,nodev,noexec shared:8 - tmpfs tmpfs ro,mode=755\n"
    "26 25 0:23 / /sys/fs/cgroup/unified rw,nosuid,nodev,noexec,relatime shared:9 - cgroup2 "
    "cgroup2 rw,nsdelegate\n"
    "27 25 0:24 / /sys/fs/cgroup/systemd rw,nosuid,nodev,noexec,relatime shared:10 - cgroup "
    "cgroup rw,xattr,name=systemd\n"
    "30 25 0:27 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid,nodev,noexec,relatime shared:13 - "
    "cgroup cgroup rw,cpu,cpuacct\n"
    "31 25 0:28 / /sys/fs/cgroup/memory rw,nosuid,nodev,noexec,relatime shared:14 - cgroup "
    "cgroup rw,memory\n"
    "32 25 0:29 / /sys/fs/cgroup/net_cls,net_prio rw,nosuid,nodev,noexec,relatime shared:15 "
    "- cgroup cgroup rw,net_cls,net_prio\n"
    "33 25 0:30 / /sys/fs/cgroup/pids rw,nosuid,nodev,noexec,relatime shared:16 - cgroup "
    "cgroup rw,pids\n"
    "34 25 0:31 / /sys/fs/cgroup/blkio rw,nosuid,nodev,noexec,relatime shared:17 - cgroup "
    "cgroup rw,blkio\n"
    "35 25 0:32 / /sys/fs/cgroup/cpuset rw,nosuid,nodev,noexec,relatime shared:18 - cgroup "
    "cgroup rw,cpuset\n"
    "36 25 0:33 / /sys/fs/cgroup/devices rw,nosuid,nodev,noexec,relatime shared:19 - cgroup "
    "cgroup rw,devices\n"
    "37 25 0:34 / /sys/fs/cgroup/freezer rw,nosuid,nodev,noexec,relatime shared:20 - cgroup "
    "cgroup rw,freezer\n";

/* CentOS 7 (kernel 3.10): v1 only, SELinux labels, systemd's release agent. */
static const char v1_only[] =
    "24 18 0:20 / /sys/fs/cgroup ro,nosuid,nodev,noexec shared:8 - tmpfs tmpfs "
    "ro,seclabel,mode=755\n"
    "25 24 0:21 / /sys/fs/cgroup/systemd rw,nosuid,nodev,noexec,relatime shared:9 - cgroup "
    "cgroup rw,seclabel,xattr,release_agent=/usr/lib/systemd/systemd-cgroups-agent,"
    "name=systemd\n"
    "27 24 0:23 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid,nodev,noexec,relatime shared:10 - "
    "cgroup cgroup rw,seclabel,cpuacct,cpu\n"
    "28 24 0:24 / /sys/fs/cgroup/memory rw,nosuid,nodev,noexec,relatime shared:11 - cgroup "
    "cgroup rw,seclabel,memory\n"
    "29 24 0:25 / /sys/fs/cgroup/cpuset rw,nosuid,nodev,noexec,relatime shared:12 - cgroup "
    "cgroup rw,seclabel,cpuset\n"
    "30 24 0:26 / /sys/fs/cgroup/pids rw,nosuid,nodev,noexec,relatime shared:13 - cgroup "
    "cgroup rw,seclabel,pids\n";

static void v2_only_host(void **state)
{
	struct cgroup_mounts m;
	assert_int_equal(cgroup_mounts_parse(v2_only, &m), 0);
	assert_true(cgroup_mounts_unified(&m));
	assert_int_equal(m.nv1, 0);
	assert_string_equal(cgroup_mounts_v2(&m)->mount_point, "/sys/fs/cgroup");
	assert_null(cgroup_mounts_v1(&m, "memory"));
	/* Every controller is the one tree. */
	assert_string_equal(cgroup_mounts_of(&m, "memory")->mount_point, "/sys/fs/cgroup");
	assert_string_equal(cgroup_mounts_of(&m, NULL)->mount_point, "/sys/fs/cgroup");
	cgroup_mounts_free(&m);
}

static void hybrid_host(void **state)
{
	struct cgroup_mounts m;
	assert_int_equal(cgroup_mounts_parse(hybrid, &m), 0);
	assert_false(cgroup_mounts_unified(&m));
	assert_int_equal(m.nv1, 9);
	assert_string_equal(cgroup_mounts_v2(&m)->mount_point, "/sys/fs/cgroup/unified");
	assert_string_equal(cgroup_mounts_v1(&m, "cpu")->mount_point, "/sys/fs/cgroup/cpu,cpuacct");
	assert_string_equal(cgroup_mounts_v1(&m, "cpuacct")->mount_point,
	                    "/sys/fs/cgroup/cpu,cpuacct");
	assert_string_equal(cgroup_mounts_of(&m, "pids")->mount_point, "/sys/fs/cgroup/pids");
	assert_string_equal(cgroup_mounts_of(&m, "net_prio")->mount_point,
	                    "/sys/fs/cgroup/net_cls,net_prio");
	/* Named hierarchies and absent controllers are no controller's. */
	assert_null(cgroup_mounts_v1(&m, "systemd"));
	assert_null(cgroup_mounts_v1(&m, "name=systemd"));
	assert_null(cgroup_mounts_v1(&m, "files"));
	assert_null(cgroup_mounts_v1(&m, "rw"));
	assert_null(cgroup_mounts_of(&m, "io"));
	/* ctrl NULL: the v2 tree even here. */
	assert_string_equal(cgroup_mounts_of(&m, NULL)->mount_point, "/sys/fs/cgroup/unified");
	cgroup_mounts_free(&m);
}

static void v1_only_host(void **state)
{
	struct cgroup_mounts m;
	assert_int_equal(cgroup_mounts_parse(v1_only, &m), 0);
	assert_false(cgroup_mounts_unified(&m));
	assert_null(cgroup_mounts_v2(&m));
	assert_int_equal(m.nv1, 5);
	assert_string_equal(cgroup_mounts_v1(&m, "cpu")->mount_point, "/sys/fs/cgroup/cpu,cpuacct");
	assert_string_equal(cgroup_mounts_v1(&m, "memory")->root, "/");
	assert_null(cgroup_mounts_v1(&m, "seclabel"));
	assert_null(cgroup_mounts_v1(&m, "devices"));
	assert_null(cgroup_mounts_of(&m, NULL));
	cgroup_mounts_free(&m);
}

/* Only a named v1 hierarchy beside the v2 tree (for old containers' systemd): still v2-only. */
static void named_v1_beside_v2_is_unified(void **state)
{
	char text[] = "26 23 0:23 / /sys/fs/cgroup rw,relatime shared:4 - cgroup2 cgroup2 rw\n"
	              "40 26 0:40 / /sys/fs/cgroup/systemd rw,relatime shared:5 - cgroup cgroup "
	              "rw,seclabel,xattr,name=systemd\n";
	struct cgroup_mounts m;
	assert_int_equal(cgroup_mounts_parse(text, &m), 0);
	assert_true(cgroup_mounts_unified(&m));
	assert_int_equal(m.nv1, 1);
	cgroup_mounts_free(&m);
}

/* A subtree mount (inside a container) only when the whole hierarchy is not mounted. */
static void whole_hierarchy_wins_over_a_subtree(void **state)
{
	char text[] = "50 30 0:31 /lxc/c1 /mnt/sub rw - cgroup cgroup rw,memory\n"
	              "51 30 0:31 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n"
	              "52 30 0:23 /lxc/c1 /mnt/v2\\040sub rw - cgroup2 cgroup2 rw\n";
	struct cgroup_mounts m;
	assert_int_equal(cgroup_mounts_parse(text, &m), 0);
	const struct cgroup_hier *h = cgroup_mounts_v1(&m, "memory");
	assert_string_equal(h->mount_point, "/sys/fs/cgroup/memory");
	h = cgroup_mounts_v2(&m);
	assert_string_equal(h->mount_point, "/mnt/v2 sub");
	assert_string_equal(h->root, "/lxc/c1");
	assert_string_equal(cgroup_hier_rel(h, "/lxc/c1/a/b"), "a/b");
	assert_string_equal(cgroup_hier_rel(h, "/lxc/c1"), "");
	assert_string_equal(cgroup_hier_rel(h, "/lxc/c10"), "lxc/c10");
	assert_string_equal(cgroup_hier_rel(cgroup_mounts_v1(&m, "memory"), "/isulad/x"),
	                    "isulad/x");
	cgroup_mounts_free(&m);
}

static void words(void **state)
{
	assert_true(word_list_has("rw,cpu,cpuacct", "cpuacct"));
	assert_false(word_list_has("rw,cpu,cpuacct", "cpuset"));
	assert_true(word_list_has("cpuset cpu io memory\n", "io"));
	assert_false(word_list_has(NULL, "io"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(v2_only_host),
	    cmocka_unit_test(hybrid_host),
	    cmocka_unit_test(v1_only_host),
	    cmocka_unit_test(named_v1_beside_v2_is_unified),
	    cmocka_unit_test(whole_hierarchy_wins_over_a_subtree),
	    cmocka_unit_test(words),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
