/* The FUSE low-level operations of the lxcfs tree:
 *   proc/{cpuinfo,meminfo,stat,diskstats,partitions,swaps,uptime,loadavg,slabinfo}
 *   proc/pressure/{cpu,memory,io}
 *   sys/devices/system/cpu/online, and the host's other entries there (cpuN: the reader's) */
#ifndef LXCFS_FUSE_OPS_H
#define LXCFS_FUSE_OPS_H

#define FUSE_USE_VERSION FUSE_MAKE_VERSION(3, 12)
#include <fuse_lowlevel.h>

extern const struct fuse_lowlevel_ops lxcfs_ops;
/* The session the operations send notifications through (set once it exists). */
void fuse_ops_set_session(struct fuse_session *se);
/* Lets a reader's splice (sendfile) of ino read past the size the kernel holds for it: each
 * open of a file whose text is made for its reader calls it (see fuse_ops.c). */
void fuse_ops_grow_for_splice(fuse_ino_t ino);
/* Starts the thread that lets the kernel forget the views of exited processes, every
 * seconds. 0, or -1. */
int fuse_ops_start_reaper(unsigned seconds);
/* Stops it (before the session goes). */
void fuse_ops_stop_reaper(void);

#endif
