/* File helpers: atomic writes, bounded reads, directory trees. */
#ifndef LIB_CORE_FILEUTIL_H
#define LIB_CORE_FILEUTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Writes data to path via a temp file, fsync and rename, so readers see the old or the new
 * content, never a mix. Returns 0 or -1 with errno set. */
int atomic_write_file(const char *path, const void *data, size_t len, mode_t mode);
/* The same without the fsync: readers still see the old or the new content, and so does a
 * daemon started after a crash, but a power loss may leave either or an empty file. For the
 * files of one run that mean nothing after a reboot (exit records, start gates, a start's
 * error). 0, or -1 with errno set. */
int atomic_replace_file(const char *path, const void *data, size_t len, mode_t mode);
/* The suffix of the file atomic_write_file_swap writes through (and which keeps the
 * version before). */
#define ATOMIC_PREV_SUFFIX ".prev"
/* atomic_write_file of a file rewritten again and again (a container's state), with its
 * directory entry synced too, and no file made or deleted: the bytes go into PATH.prev
 * (truncated), are synced, then renameat2(RENAME_EXCHANGE) swaps it with path, and
 * PATH.prev keeps the version before. A new inode per write is what costs (on ext4
 * without a journal a scan past the recently deleted ones, the freeing of the old file's
 * blocks). The writers of one path must be serialised by the caller; in a durable batch
 * this is atomic_write_file. 0, or -1 with errno set. */
int atomic_write_file_swap(const char *path, const void *data, size_t len, mode_t mode);
/* atomic_write_file unless path already holds exactly those bytes (a restart usually
 * regenerates the same file: no second write and fsync then). 0, or -1 with errno. */
int write_file_if_changed(const char *path, const void *data, size_t len, mode_t mode);
/* The same for a file rendered again at every use (a generated config): replaced atomically
 * but not synced, as a lost or torn copy is rewritten the next time its content differs. */
int replace_file_if_changed(const char *path, const void *data, size_t len, mode_t mode);
/* fsyncs the directory path, so that the entries renamed or created in it survive a power
 * loss (a commit point). 0, or -1 with errno set. */
int fsync_dir(const char *path);
/* True for the temp file names atomic_write_file leaves behind when it is killed
 * ("NAME.tmpDIGITS"). */
bool is_atomic_temp_name(const char *name);
/* Writes all len bytes (retrying short writes and EINTR). 0, or -1 with errno set. */
int fd_write_all(int fd, const void *data, size_t len);
/* The same on a socket, with MSG_NOSIGNAL: a peer that has gone gives EPIPE, not SIGPIPE. */
int sock_send_all(int sock, const void *data, size_t len);
/* Reads a whole file (at most max_len bytes, else EFBIG); result is NUL-terminated. */
char *read_file(const char *path, size_t max_len, size_t *len_out);
/* The same for a path relative to dirfd (AT_FDCWD: the working directory). */
char *read_file_at(int dirfd, const char *path, size_t max_len, size_t *len_out);
/* The same from an open fd, read to its end (the fd stays open). */
char *read_fd(int fd, size_t max_len, size_t *len_out);
int mkdir_p(const char *path, mode_t mode);
/* Removes a tree without crossing into other filesystems (mount points are left, -1/EBUSY). */
int remove_tree(const char *path);
bool path_exists(const char *path);
bool is_directory(const char *path);
/* Whether path is the root of a mount: on another device than its parent, or "/" itself
 * (a bind of the same file system is not told apart). */
bool is_mount_point(const char *path);
/* The directory part of path, malloc'd: "." for a bare name, "/" for one under the root. */
char *path_dir(const char *path);
/* malloc'd "a/b" with exactly one slash between the parts. */
char *path_join(const char *a, const char *b);

#endif
