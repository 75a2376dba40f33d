/* Bind mounts made with the new mount API (open_tree, move_mount, mount_setattr): a tree is
 * cloned detached on the host, then attached inside another mount namespace (a container's,
 * entered with ns_root_run), with nothing staged on the host in between. */
#ifndef LIB_HOST_TREE_MOUNT_H
#define LIB_HOST_TREE_MOUNT_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* How the attached tree propagates: always a slave of the host's mounts at most (nothing made
 * in it reaches the host); TREE_PRIVATE cuts the top mount off, TREE_RPRIVATE every mount. */
enum tree_propagation { TREE_RSLAVE, TREE_PRIVATE, TREE_RPRIVATE };

/* A detached recursive clone of path (its submounts included), read-only throughout when
 * rdonly. The fd (O_CLOEXEC), or -1 with err. Closing it unmounts the clone unless it has been
 * attached. */
int tree_clone(const char *path, bool rdonly, char *err, size_t errlen);

/* Attaches the detached tree fd at path (absolute, resolved in the caller's root): missing
 * parents are created as directories 0755, the target itself as a directory 0755 (dir) or an
 * empty file 0644, each created one owned by uid:gid. The target must be of the tree's kind.
 * Then the propagation is set. Async-signal-safe (for a forked child). 0, or -1 with err; on
 * failure nothing stays attached and a target this call created is removed. */
int tree_attach(int fd, const char *path, bool dir, uid_t uid, gid_t gid,
                enum tree_propagation prop, char *err, size_t errlen);

/* Detaches (MNT_DETACH) the mount at path if it shows the file dev:ino (the root of the tree
 * attached there); the mount point itself is left. 1 when detached, 0 when path shows another
 * file or is missing (nothing of ours is there), -1 with err. dev and ino 0: whatever is mounted
 * at path (its source is gone). Async-signal-safe. */
int tree_detach(const char *path, dev_t dev, ino_t ino, char *err, size_t errlen);

#endif
