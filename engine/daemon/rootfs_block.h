/* --external-rootfs on a block device (seed 000: "a folder or block device"): the engine
 * mounts its filesystem on <state>/<id>/rootfs before each start (read-only with
 * --read-only), that directory is the container's rootfs from then on, and it is unmounted
 * when the container stops, whoever sees the stop (the supervisor, a daemon started again
 * after a crash, rm). A device mounted read-write elsewhere is refused, naming the mount. */
#ifndef ENGINE_ROOTFS_BLOCK_H
#define ENGINE_ROOTFS_BLOCK_H

#include <stdbool.h>
#include <stddef.h>

#include "container.h"

/* Whether the external rootfs is a block device (stat now). */
bool rootfs_is_block(const struct host_config *h);
/* The directory that is the container's rootfs (malloc'd): the external rootfs, or for a
 * block device its mount point. NULL when out of memory. */
char *rootfs_dir(const struct container *c);
/* An O_PATH fd of that directory; for a block device only while it is mounted there (never
 * the empty mount point). -1 with err. */
int rootfs_open_dir(const struct container *c, char *err, size_t errlen);
/* At create and start: the device is not mounted elsewhere read-write (nor read-only for a
 * container that would write). -1 with err naming the mount point. */
int rootfs_block_check(const struct container *c, char *err, size_t errlen);
/* At start: mounts a block rootfs (*mounted set); a directory rootfs is left alone. */
int rootfs_block_mount(const struct container *c, bool *mounted, char *err, size_t errlen);
/* At stop and rm: whatever is mounted on the mount point goes, with the directory (nothing
 * when there is none). */
void rootfs_block_unmount(const struct container *c);

#endif
