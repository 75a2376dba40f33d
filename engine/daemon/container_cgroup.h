/* What the daemon does to a running container's cgroup (<parent>/<id> in each v1
 * hierarchy, or in the v2 tree): freeze and thaw it (pause/unpause), and write changed
 * resource limits (update) with a rollback of everything written when one write fails. */
#ifndef ENGINE_CONTAINER_CGROUP_H
#define ENGINE_CONTAINER_CGROUP_H

#include <stdbool.h>
#include <stddef.h>

#include "container.h"

/* The cgroup path (relative to each hierarchy's root) the container will get: below its
 * --cgroup-parent, else default_parent, else /isulad (malloc'd). */
char *container_cgroup_path(const struct container *c, const char *default_parent);
/* The same with the daemon's --cgroup-parent as the default. */
char *container_cgroup_rel(const struct container *c);

/* Freezes/thaws the whole cgroup and waits until the kernel reports it done. Callers hold
 * op_lock and update state.paused themselves. 0, or -1 with err set. */
int container_freeze(const struct container *c, char *err, size_t errlen);
int container_thaw(const struct container *c, char *err, size_t errlen);
/* stop/kill/rm of a paused container: thaws it first (a frozen init cannot act on a
 * signal), clearing state.paused. Takes the store lock itself. */
void container_thaw_if_paused(struct container *c);

/* The cgroup file that takes a blkio weight on this host ("blkio.weight",
 * "blkio.bfq.weight", "io.weight", "io.bfq.weight"), or NULL. */
const char *cgroup_blkio_weight_file(void);
/* The file that takes per-device weights "MAJ:MIN W" ("blkio.weight_device" of CFQ,
 * "blkio.bfq.weight_device", "io.bfq.weight", "io.weight"), or NULL. */
const char *cgroup_blkio_weight_device_file(void);
/* True when memory.kmem.limit_in_bytes exists and really takes a limit (newer kernels keep
 * the file but ignore writes). Probed once in a scratch cgroup. */
bool cgroup_kmem_supported(void);
/* isula cp's freeze (the seed: the container is frozen while it copies): a running container
 * not paused by its user is frozen by the first of the copies under way; the last one thaws
 * it unless it was paused meanwhile. Returns whether container_cp_thaw is owed. */
bool container_cp_freeze(struct container *c);
void container_cp_thaw(struct container *c, bool frozen);
/* At reattach: a container frozen though not paused (a daemon killed mid-copy) is thawed. */
void container_thaw_stray(struct container *c);

/* Writes the limits that differ between old and new to the running container's cgroups.
 * On a failed write every value already written is put back; 0, or -1 with err naming the
 * file and value. */
int container_cgroup_apply(const struct container *c, const struct host_config *old,
                           const struct host_config *new, char *err, size_t errlen);

#endif
