/* sys/devices/system/cpu beyond lxcfs' own "online": the host's entries passed through,
 * read-only, the cpuN directories as the reader's view numbers them (cpu_dir.h). Inodes are
 * pt_inodes.h's. Every host path is opened with openat2 beneath the host's directory, no
 * symlink followed: nothing outside /sys/devices/system/cpu can be reached. Writes are
 * refused: a container must never take the host's cpus offline (lxc/lxcfs#629). */
#ifndef LXCFS_SYS_PASSTHROUGH_H
#define LXCFS_SYS_PASSTHROUGH_H

#include <stdbool.h>

#include "dir_list.h"
#include "fuse_ops.h"
#include "host/cpuset.h"
#include "pt_inodes.h"

/* Opens the host's directory (host_dir, or /sys/devices/system/cpu when NULL). 0, or -1
 * (then the cpu directory has only "online"). */
int sys_pt_init(const char *host_dir);
void sys_pt_close(void);

/* A name of a cpu directory dir (the static tree's or a pinned view's) that is not lxcfs'
 * own, for a reader whose cpus are set (NULL: the host's). per_reader: dir is shared by
 * readers of different views, so a cpuN name is never cached. */
void sys_pt_lookup_cpu_dir(fuse_req_t req, fuse_ino_t dir, const char *name,
                           const struct cpuset *set, bool per_reader);
/* Adds the host's entries of the cpu directory dir as that reader sees them. 0 or -errno. */
int sys_pt_list_cpu_dir(fuse_ino_t dir, const struct cpuset *set, struct dir_list *l);

/* The operations on a pass-through inode (pt_is_ino). */
void sys_pt_lookup(fuse_req_t req, fuse_ino_t parent, const char *name);
void sys_pt_getattr(fuse_req_t req, fuse_ino_t ino);
void sys_pt_readlink(fuse_req_t req, fuse_ino_t ino);
/* The listing of a pass-through directory into l. 0 or -errno. */
int sys_pt_opendir(fuse_req_t req, fuse_ino_t ino, struct dir_list *l);
void sys_pt_open(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi);
void sys_pt_read(fuse_req_t req, size_t size, off_t off, struct fuse_file_info *fi);
void sys_pt_release(fuse_req_t req, struct fuse_file_info *fi);

#endif
