/* The container a hot-plug command works on: found through the engine's API (isulad-tools,
 * like isula) or from the OCI state on a hook's stdin (syscontainer-hooks), then read from the
 * engine's files: its directory, its cgroup and its user remap come from the lxc config the
 * engine generated for it (<dir>/config), so the tools and the hook agree with liblxc. */
#ifndef LIB_HOTPLUG_TARGET_H
#define LIB_HOTPLUG_TARGET_H
#include <stdbool.h>
#include <sys/types.h>

#include "core/error.h"
#include "engine/hook_state.h"
#include "host/pid_pin.h"

struct hotplug_target {
	char *id;     /* the full ID */
	char *name;   /* as the user named it, for messages (the ID for the hook) */
	char *dir;    /* <graph>/engines/lcr/<id>: the record, the lock, the lxc config */
	char *cgroup; /* the container's cgroup below each hierarchy's root, e.g. "isulad/<id>"
	                 (lxc.cgroup.dir.container); NULL when the config has none */
	pid_t pid;    /* its init on the host, pinned in pin; 0 when it is not running */
	struct pid_pin pin;
	uid_t root_uid; /* the host ids of the container's root: 0 unless it is user-remapped */
	gid_t root_gid;
};

/* Finds ref (ID, name or unique prefix) through the daemon at host ("unix:///path", NULL: the
 * default socket; isula's -H/ISULAD_HOST). e: ERR_NOT_FOUND "No such container: REF", or why
 * the daemon could not be asked. 0 or -1. */
int hotplug_target_from_engine(const char *host, const char *ref, struct hotplug_target *t,
                               struct error *e);
/* The container of a hook's state (its bundle is the container's directory, its pid the init
 * about to run). 0 or -1 with e. */
int hotplug_target_from_hook(const struct hook_state *s, struct hotplug_target *t, struct error *e);
/* Reads the directory's lxc config into t's cgroup and root ids (used by both of the above).
 * 0, 1 when the container has none (never started: t unchanged), or -1 with e. */
int hotplug_target_read_config(struct hotplug_target *t, struct error *e);
/* True while the pinned init is alive. */
bool hotplug_target_running(const struct hotplug_target *t);
void hotplug_target_free(struct hotplug_target *t);
#endif
