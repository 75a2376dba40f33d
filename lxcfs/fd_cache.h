/* Files lxcfs reads again and again (host /proc files, cgroup files), kept open and read with
 * pread: one system call per read instead of open, read, read and close. */
#ifndef LXCFS_FD_CACHE_H
#define LXCFS_FD_CACHE_H

#include <stdbool.h>

#include "core/strbuf.h"

/* Replaces out's content with the file at path (relative to dirfd, or absolute with
 * AT_FDCWD). one_record: the kernel makes the whole file in one piece (single_open proc
 * files, sysfs attributes, cgroup control files), so a read that does not fill the buffer
 * got all of it; other files are read until EOF. A cached fd that fails (its cgroup was
 * removed) is dropped and the path opened again. 0, or -errno. */
int fd_cache_read(int dirfd, const char *path, bool one_record, struct strbuf *out);
/* Closes every cached fd. */
void fd_cache_clear(void);

#endif
