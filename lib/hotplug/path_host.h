/* The host side of a hot-plugged path: opening and creating the host path without following
 * a symlink anywhere in it. A host path may lie in a tree the container writes (a volume,
 * another path bound rw): there the container can swap a directory for a symlink to the
 * host's / at any time, so the path is resolved component by component, never through a
 * symlink, every time it is used (add, remove, every start). */
#ifndef LIB_HOTPLUG_PATH_HOST_H
#define LIB_HOTPLUG_PATH_HOST_H
#include <sys/types.h>

#include "core/error.h"

/* Opens the host path (absolute, cleaned) O_PATH | O_CLOEXEC, refusing a symlink in any
 * component. The fd, or -1 with errno and e: "the host path P goes through a symlink (a
 * symlink anywhere in it is refused: give the path without symlinks)" (ELOOP), or "cannot open
 * P: ..." (ENOENT when it is missing). */
int hp_host_open(const char *host, struct error *e);

/* The directories hp_host_make created: rel (below the directory base) names the first of
 * them and the ones below it. base -1 and rel NULL when none. */
struct hp_host_made {
	int base;
	char *rel;
};

/* Makes sure the host path exists: a missing one becomes directories 0755 owned by uid:gid
 * (the container's root), each made with mkdirat in its parent opened without following a
 * symlink. An existing path of any kind is left as is. 0, or -1 with e (nothing made stays). */
int hp_host_make(const char *host, uid_t uid, gid_t gid, struct hp_host_made *m, struct error *e);
/* Removes what hp_host_make created (the deepest first, each only when empty). */
void hp_host_made_undo(struct hp_host_made *m);
/* Forgets it (the directories stay). */
void hp_host_made_keep(struct hp_host_made *m);

#endif
