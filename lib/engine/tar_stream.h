/* Tar archives of paths inside a root directory, both ways, with libarchive doing the tar
 * format and this code doing every file system access relative to a root fd: lookups go
 * through openat2(RESOLVE_IN_ROOT), so neither a symlink in the tree nor an entry of the
 * archive can reach a file outside the root. */
#ifndef LIB_ENGINE_TAR_STREAM_H
#define LIB_ENGINE_TAR_STREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "core/error.h"

/* Data sinks and sources: 0 / bytes read (0 at the end), -1 with errno on failure. */
typedef int (*tar_write_fn)(void *cls, const void *buf, size_t len);
typedef ssize_t (*tar_read_fn)(void *cls, void *buf, size_t len);

/* Opens path inside root_fd (RESOLVE_IN_ROOT); root_fd AT_FDCWD means an ordinary host
 * lookup. The last component is not followed when flags has O_NOFOLLOW. */
int tar_open_in(int root_fd, const char *path, int flags);
/* lstat of path inside root_fd (intermediate symlinks resolved in the root, the last one
 * not followed); *link_target (optional) gets a symlink's target, malloc'd. 0 or -1/errno. */
int tar_lstat_in(int root_fd, const char *path, struct stat *st, char **link_target);

/* Writes a tar of path (recursively; its last component not followed) with the top entry
 * named top_name ("." gives "./x" entries). Owners, modes, times, symlinks, hard links
 * (within the archive) and device nodes are kept; sockets are skipped. 0, or -1 with err. */
int tar_write_path(tar_write_fn out, void *cls, int root_fd, const char *path, const char *top_name,
                   char *err, size_t errlen);

struct tar_extract_opts {
	bool chown;                   /* give entries the archive's uid/gid (root only) */
	bool no_overwrite_dir_nondir; /* refuse to replace a directory by a file or back */
	bool check_only;              /* validate every entry's name and type, write nothing */
	const char *rebase_from;      /* the top entry named rebase_from becomes rebase_to */
	const char *rebase_to;
	/* Files lose their setuid and setgid bits and device nodes are skipped (counted in
	 * *skipped_devices when set): what a container hands the host cannot carry a way to
	 * root. */
	bool strip_special;
	size_t *skipped_devices;
};

/* Extracts the tar read from in into dest (an existing directory inside root_fd). Entry
 * names are relative to dest, any ".." component is refused, existing files are replaced
 * through a temp file and rename (never written through a symlink), hard links must point
 * at entries inside dest. 0, or -1 with err naming the entry: ERR_INVALID for what the archive
 * asks (a ".." name, an unsupported type, an overwrite no_overwrite_dir_nondir refuses),
 * ERR_INTERNAL for what the host could not do (I/O, memory, reading the archive). */
int tar_extract(tar_read_fn in, void *cls, int root_fd, const char *dest,
                const struct tar_extract_opts *opts, struct error *err);

/* Ready-made fd source and sink. cls is a pointer to the int fd. */
int tar_fd_write(void *cls, const void *buf, size_t len);
ssize_t tar_fd_read(void *cls, void *buf, size_t len);

#endif
