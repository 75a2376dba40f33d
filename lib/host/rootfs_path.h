/* Access to files inside a container rootfs that can never resolve outside it: every lookup
 * goes through openat2(RESOLVE_IN_ROOT), so symlinks and ".." stay inside the rootfs. */
#ifndef LIB_HOST_ROOTFS_PATH_H
#define LIB_HOST_ROOTFS_PATH_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

int rootfs_open(int rootfs_fd, const char *path, int flags, mode_t mode);
/* The whole file at path inside the rootfs (NUL-terminated, malloc'd), at most max bytes;
 * NULL with errno: EINVAL when it is not a regular file (a FIFO is never waited for), EFBIG
 * when it is larger than max. */
char *rootfs_read_file(int rootfs_fd, const char *path, size_t max);
/* The rootfs's /etc/passwd and /etc/group (NULL each when missing), for -u lookups; -1 with
 * err when one exists but cannot be read (not a regular file, too large...). */
int rootfs_read_user_db(int rootfs_fd, char **passwd, char **group, char *err, size_t errlen);
/* Atomically replaces path (its parent must exist) with data. Returns 0 or -1/errno. */
int rootfs_write_file(int rootfs_fd, const char *path, const char *data, size_t len, mode_t mode);
/* Resolves a command name against the PATH list inside the rootfs, like execvp would in the
 * container: names with a '/' are checked as they are. True if an executable regular file
 * is found. */
bool rootfs_find_executable(int rootfs_fd, const char *cmd, const char *path_list);

#endif
