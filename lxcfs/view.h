/* Whose numbers a reader sees: the host's, or those of the container its pid namespace
 * belongs to (that namespace's init and the init's cgroups). A reader of lxcfs' own pid
 * namespace (a host service confined by a cgroup, a --pid host container) gets the view of
 * its own cgroups, as upstream lxcfs gives it: the files it limits, the host's for the rest. */
#ifndef LXCFS_VIEW_H
#define LXCFS_VIEW_H

#include <stdbool.h>
#include <sys/types.h>

#include "cgroup_parse.h"
#include "initpid.h"

struct view {
	bool host;   /* the host's files: a reader we could not place, or views turned off */
	bool shared; /* a reader of lxcfs' own pid namespace: its own cgroups, where they limit */
	struct pidns_init init; /* for shared: the reader itself */
	struct pid_cgroups cg;  /* points into text */
	char text[4096];
};

/* Never fails: an unknown reader gets the host view. */
void view_of_reader(pid_t reader, struct view *v);
/* The container's cgroup for controller c, NULL when it has none of its own (host values). */
const char *view_cgroup(const struct view *v, enum cg_ctrl c);

/* SIGUSR2: every reader gets the host's files until the next toggle (async-signal-safe). */
void view_toggle(void);
bool view_enabled(void);

#endif
