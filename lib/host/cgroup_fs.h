/* Reading and writing one cgroup's files, on the v1 hierarchy of a controller or the v2 tree
 * when the host is unified (where each is mounted: host/cgroup_mounts.h). `rel` is a cgroup
 * path below the hierarchy root ("isulad/<id>"). */
#ifndef LIB_HOST_CGROUP_FS_H
#define LIB_HOST_CGROUP_FS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* malloc'd <mount of ctrl's hierarchy>/<rel>/<file> (/sys/fs/cgroup/memory/isulad/x/FILE on
 * v1, /sys/fs/cgroup/isulad/x/FILE on v2; ctrl NULL: the v2 tree), or NULL with errno ENOENT
 * when the host has no such hierarchy, ENAMETOOLONG. */
char *cgroup_path(const char *ctrl, const char *rel, const char *file);
/* The file's content without its trailing newline (malloc'd), or NULL (errno set). */
char *cgroup_read(const char *ctrl, const char *rel, const char *file);
/* The file's first number; dflt when missing or not a number ("max"). */
int64_t cgroup_read_int(const char *ctrl, const char *rel, const char *file, int64_t dflt);
/* Writes value in one write(2). 0, or -errno. */
int cgroup_write(const char *ctrl, const char *rel, const char *file, const char *value);
/* The v2 tree: writes value to rel's file once the file's controller ("hugetlb" of
 * "hugetlb.2MB.max") is on in the cgroup.subtree_control of each of rel's ancestors, root
 * down. On a hybrid host liblxc turns none of the tree's controllers on (and ignores its
 * lxc.cgroup2 lines), so one that only the tree has (hugetlb beside v1 hierarchies) is
 * turned on here. 0, or -errno (with *where the file that failed, static or in the caller's
 * arguments). */
int cgroup2_write_delegated(const char *rel, const char *file, const char *value,
                            const char **where);
/* Every pid in cgroup.procs of rel and the cgroups below it (malloc'd, *n entries). */
int cgroup_collect_pids(const char *ctrl, const char *rel, pid_t **pids, size_t *n);
/* Bounds of a walk over a tree a container can shape. */
#define CGROUP_WALK_MAX_DEPTH 1024
#define CGROUP_WALK_MAX_NODES 65536

/* Calls fn for rel and every cgroup below it (relative paths), parents before children;
 * stops at the first non-zero return and gives it back; -1 with errno ELOOP when the tree is
 * deeper than CGROUP_WALK_MAX_DEPTH or larger than CGROUP_WALK_MAX_NODES, ENAMETOOLONG when a
 * path is too long to open, ENOMEM. */
int cgroup_walk(const char *ctrl, const char *rel, int (*fn)(const char *rel, void *arg),
                void *arg);
/* A walk's errno for a message (ELOOP: the bounds). */
const char *cgroup_walk_strerror(int err);

#endif
