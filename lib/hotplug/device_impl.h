/* The pieces of lib/hotplug/device.c's flows, one file each: the host node and its
 * partitions (device_host.c), the node in the container (device_node.c), the device
 * confinement (device_confine.c) and the blkio QoS files (device_qos.c). */
#ifndef LIB_HOTPLUG_DEVICE_IMPL_H
#define LIB_HOTPLUG_DEVICE_IMPL_H
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "core/error.h"
#include "hotplug/record.h"
#include "hotplug/target.h"

/* The longest container path of a device node. */
#define HP_CTR_PATH_MAX 1024

/* ---- device_host.c */

/* What a host device node is. */
struct hp_host_node {
	char type; /* 'b' or 'c' */
	int64_t major, minor;
	mode_t perm; /* the permission bits */
	uid_t uid;
	gid_t gid;
};
/* The node path leads to, through symlinks (/dev/disk/by-id/...). 0, or -1 with err in the
 * original's words ("lstat /dev/x: no such file or directory", "not a device"). */
int hp_host_node_read(const char *path, struct hp_host_node *n, char *err, size_t errlen);

enum hp_block_kind { HP_BLOCK_OTHER, HP_BLOCK_DISK, HP_BLOCK_PARTITION };
/* What udev says the block device is (devtype disk or partition). */
enum hp_block_kind hp_block_kind(int64_t major, int64_t minor);

struct hp_partition {
	char *devnode; /* /dev/sdb1 */
	unsigned number;
};
/* The partitions of a whole disk (udev: its children of subsystem block, devtype partition),
 * by number. 0, or -1 with e. */
int hp_disk_partitions(int64_t major, int64_t minor, struct hp_partition **out, size_t *n,
                       struct error *e);
void hp_partitions_free(struct hp_partition *p, size_t n);

/* ---- device_node.c: nodes inside the running container (in its mount namespace, so its
 * paths, symlinks included, never lead out of it) */

struct hp_node {
	const char *path; /* in the container, absolute, at most HP_CTR_PATH_MAX */
	mode_t mode;      /* S_IFBLK or S_IFCHR and the permission bits */
	dev_t dev;
	uid_t uid;
	gid_t gid;
};
/* What hp_nodes_make did for one node, for its undo. */
struct hp_node_done {
	bool created;       /* the node was made (remove: it was there and is gone) */
	bool replaced;      /* a different file was removed first (--force) */
	size_t new_dir_len; /* the length of the first parent directory made, 0 for none */
};
/* Makes each node (parents 0755, owned by the container's root), keeping one that is already
 * that device, replacing a different file only with force. All or nothing: a failure undoes
 * the ones made. 0, or -1 with e. */
int hp_nodes_make(const struct hotplug_target *t, const struct hp_node *nodes, size_t n, bool force,
                  struct hp_node_done *done, struct error *e);
/* Undoes hp_nodes_make (best effort). */
void hp_nodes_undo(const struct hotplug_target *t, const struct hp_node *nodes,
                   const struct hp_node_done *done, size_t n);
/* Removes each node (a missing one is fine; a file that is not a device is refused before
 * anything is removed). done[i].created tells which were there. 0, or -1 with e. */
int hp_nodes_remove(const struct hotplug_target *t, const struct hp_node *nodes, size_t n,
                    struct hp_node_done *done, struct error *e);

/* ---- device_confine.c */

struct cgroup_hier;
/* The container's directory of a hierarchy (NULL: none, ENOENT): its fd, or -1 (errno). */
int hp_cgroup_open(const struct cgroup_hier *h, const char *cgroup);
/* Writes line to the file below dirfd (never through a link). 0, or -1 (errno; ENOENT when
 * the cgroup has no such file). */
int hp_cgroup_write(int dirfd, const char *file, const char *line);

/* The v1 devices rule of a device, "b 7:0 rwm". */
void hp_device_rule(const struct hp_device *d, char *buf, size_t len);
/* Allows the device in the container's v1 devices cgroup and its subtree (parents first, since
 * v1 copies the rules into a child only when it is made). Nothing to do on a host without the
 * v1 devices controller. 0, or -1 with e. */
int hp_confine_v1_allow(const struct hotplug_target *t, const struct hp_device *d, struct error *e);
/* Takes back in the v1 devices cgroup the access of d that nothing else grants: neither the
 * engine's rules (the lxc config's lxc.cgroup.devices.allow lines, <dir>/devices) nor a
 * device of keep (the record as it stays, without d) with its numbers. So a device the
 * container had anyway (/dev/null, a --device, the same disk at another path) stays. Rules
 * count when they name exactly d's numbers (a v1 deny takes bits from that one exception
 * only; a wildcard rule stays as it is) or everything ("a"). When the
 * engine's rules cannot be read, all of d's access is taken back and -1 returned. */
int hp_confine_v1_deny(const struct hotplug_target *t, const struct hp_device *d,
                       const struct hotplug_record *keep, struct error *e);
/* Replaces the container's BPF device program (when the engine attached one) with one of the
 * engine's base rules (<dir>/devices) and every device of r. 0 (also when it has none), or -1
 * with e. */
int hp_confine_v2(const struct hotplug_target *t, const struct hotplug_record *r, struct error *e);

/* ---- device_qos.c */

/* True when the device's queue offers a scheduler with weights (bfq, cfq). */
bool hp_qos_weight_supported(int64_t major, int64_t minor);
/* Writes the rule (value 0 clears it) to the container's v1 blkio cgroup and, when the v2
 * tree carries io for it, to its io files. 0, or -1 with e. */
int hp_qos_write(const struct hotplug_target *t, enum hp_qos_kind k, int64_t major, int64_t minor,
                 uint64_t value, struct error *e);
#endif
