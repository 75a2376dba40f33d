/* Whose numbers a reader sees: the host's, or those of the container its pid namespace
 * belongs to (that namespace's init and the init's cgroups). */
#ifndef LXCFS_VIEW_H
#define LXCFS_VIEW_H

#include <stdbool.h>
#include <sys/types.h>

#include "cgroup_parse.h"
#include "initpid.h"

struct view {
	bool host; /* a reader of lxcfs' own pid namespace, or one we could not place */
	struct pidns_init init;
	struct pid_cgroups cg; /* points into text */
	char text[4096];
};

/* Never fails: an unknown reader gets the host view. */
void view_of_reader(pid_t reader, struct view *v);
/* The container's cgroup for controller c, NULL when it has none of its own (host values). */
const char *view_cgroup(const struct view *v, enum cg_ctrl c);

#endif
