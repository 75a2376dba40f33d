/* Hot-plugged host paths: a host file or directory bind-mounted at a path of the running
 * container. */
#ifndef LIB_HOTPLUG_PATH_H
#define LIB_HOTPLUG_PATH_H
#include "core/error.h"
#include "hotplug/record.h"
#include "hotplug/target.h"

/* At a (re)start: mounts every recorded path into the starting container. 0, or -1 with e
 * naming the path. */
int hotplug_paths_reapply(const struct hotplug_target *t, const struct hotplug_record *r,
                          struct error *e);
/* At stop: removes what the paths left on the host for this container (nothing when the
 * mounts lived only in the container's mount namespace). 0, or -1 with e. */
int hotplug_paths_release(const char *id, const struct hotplug_record *r, struct error *e);
#endif
