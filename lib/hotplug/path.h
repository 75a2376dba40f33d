/* Hot-plugged host paths: a host file or directory bind-mounted at a path of the running
 * container, recorded in bindToAdd so that every start mounts it again.
 *
 * Mechanism: the host tree is cloned detached (open_tree) on the host and attached
 * (move_mount) by a child that joined only the container's mount namespace and chrooted to
 * its root, so nothing is staged on the host (no /.sharedpath) and the container path, with
 * its symlinks, resolves inside the container. ro is set on the detached clone, the
 * propagation (rslave, private, rprivate) once it is attached; it is never shared with the
 * host. A user-remapped container gets the same: the host's root may join and mount into a
 * mount namespace its user namespace's descendants own. */
#ifndef LIB_HOTPLUG_PATH_H
#define LIB_HOTPLUG_PATH_H
#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"
#include "hotplug/path_spec.h"
#include "hotplug/record.h"
#include "hotplug/target.h"

/* A dangling symlink given as the host path: "Parsebind get symlibk source file error: ..."
 * (the original's words). 0, or -1 with e. */
int hotplug_path_check_source(const struct hp_bind *b, struct error *e);

/* isulad-tools add-path: checks each binding against the record and the ones before it
 * (path_spec.h's rules, at most HOTPLUG_MAX_PATHS), creates missing host paths (directories
 * 0755 owned by the container's root ids), records the bindings (saved in t->dir), then, when
 * live, mounts them in the running container. A host path with a symlink in any component is
 * refused (path_host.h: the record only ever holds paths without symlinks, so that one there
 * later was planted). All or nothing: on failure what this call mounted is unmounted, the host
 * directories it created are removed and the previous record is saved back. When live, the
 * pinned init must still be alive after the container's namespace is opened (else
 * ERR_NOT_RUNNING: its pid may name another process). 0, or -1 with e. */
int hotplug_paths_add(const struct hotplug_target *t, struct hotplug_record *r,
                      const struct hp_bind *b, size_t n, bool live, struct error *e);
/* isulad-tools remove-path: each binding (host and container path) must be recorded, else
 * "Path pair(HOST:CTR) is not added by isulad-tools, can not remove it, please check input
 * parameter."; the record is saved without them, then, when live, they are unmounted in the
 * container (the mount points stay). Only a mount that is ours is unmounted: the root of a
 * mount at the container path showing the host path's file; a host path gone or holding a
 * symlink now cannot tell ours apart, so its mount is left in place. Each binding left as it
 * was gets a line in *notes (strv, for the caller to show; the record entry is dropped all the
 * same). On failure the ones unmounted are mounted again and the previous record saved back.
 * 0, or -1 with e. */
int hotplug_paths_remove(const struct hotplug_target *t, struct hotplug_record *r,
                         const struct hp_bind *b, size_t n, bool live, char ***notes,
                         struct error *e);

/* At a (re)start: mounts every recorded path into the starting container (a fresh mount
 * namespace: nothing of ours is mounted there yet), creating missing host paths. A recorded
 * host path that holds a symlink now fails the start (0 is never returned with a binding
 * skipped). 0, or -1 with e naming the path. */
int hotplug_paths_reapply(const struct hotplug_target *t, const struct hotplug_record *r,
                          struct error *e);
/* At stop: removes what the paths left on the host for this container: nothing, the mounts
 * lived only in the container's mount namespace. 0. */
int hotplug_paths_release(const char *id, const struct hotplug_record *r, struct error *e);
#endif
