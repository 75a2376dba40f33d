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

/* A detached recursive clone of the tree fd names (an O_PATH fd of the host path, opened by
 * the caller as it sees fit: e.g. without following symlinks), read-only throughout when
 * rdonly; what names it in messages. The fd (O_CLOEXEC), or -1 with err. Closing it unmounts
 * the clone unless it has been attached. */
int tree_clone(int fd, const char *what, bool rdonly, char *err, size_t errlen);

/* Attaches the detached tree fd at path (absolute, resolved in the caller's root): missing
 * parents are created as directories 0755, the target itself as a directory 0755 (dir) or an
 * empty file 0644, each created one owned by uid:gid. The target must be of the tree's kind.
 * Then the propagation is set. procfd: the host's /proc (O_PATH), for tree_detach_fd. For a
 * forked child (syscalls only). 0, or -1 with err; on failure nothing stays attached and a
 * target this call created is removed. */
int tree_attach(int procfd, int fd, const char *path, bool dir, uid_t uid, gid_t gid,
                enum tree_propagation prop, char *err, size_t errlen);

/* Detaches (MNT_DETACH) the mount whose root fd is (e.g. an attached clone), through fd's own
 * /proc/self/fd link in procfd (the host's /proc, valid in a chroot): no path is looked up
 * again. The working directory ends at "/". 0, or -1 with errno (EINVAL: fd is not a mount's
 * root). */
int tree_detach_fd(int procfd, int fd);

/* Detaches (MNT_DETACH) the mount at path if it is ours: path (absolute) is opened once in the
 * caller's root (never out of the root nor through magic links; through symlinks only when
 * follow), and only a mount root showing the file dev:ino (the host path's, opened safely by
 * the caller) is unmounted, through that fd (tree_detach_fd). The mount point itself is left.
 * 1 when detached, 0 when path is missing or shows something else (nothing of ours is there),
 * 2 when path goes through a symlink and follow is false (nothing done), -1 with err. For a
 * forked child. */
int tree_detach(int procfd, const char *path, dev_t dev, ino_t ino, bool follow, char *err,
                size_t errlen);

#endif
