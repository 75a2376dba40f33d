/* Host path bindings as isulad-tools takes them ("hostpath:containerpath[:options]") and
 * records them ("host:ctr:opts" in bindToAdd), and the rules a container's set of bindings
 * follows (research/tools.md §1.8). Pure: no file is looked at. */
#ifndef LIB_HOTPLUG_PATH_SPEC_H
#define LIB_HOTPLUG_PATH_SPEC_H
#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"
#include "host/tree_mount.h"

#define HP_BIND_DEFAULT_OPTS "rw,rslave"
/* The longest specification taken (the record's strings are at most 4096 bytes). */
#define HP_BIND_SPEC_MAX 4000

struct hp_bind {
	char *host; /* cleaned, absolute */
	char *ctr;  /* cleaned, absolute, never "/" */
	char *opts; /* as given (HP_BIND_DEFAULT_OPTS when none), recorded as is */
	bool ro;
	enum tree_propagation prop; /* rslave when the options name none */
};

/* Parses a binding. Errors (ERR_INVALID), as the original words them:
 *   "invalid path specification: SPEC"              not 2 or 3 fields, a control character,
 *                                                    longer than HP_BIND_SPEC_MAX
 *   "invalid permissions: OPTS"                      an option other than ro, rw, private,
 *                                                    rprivate, rslave, one given twice, ro
 *                                                    with rw, two propagations
 *   "invalid path specification:SPEC, only absolute path is allowed"
 *   "invalid path specification:SPEC, the container's / cannot be mounted over"
 * 0, or -1 with e. */
int hp_bind_parse(const char *spec, struct hp_bind *b, struct error *e);
/* "host:ctr:opts" (malloc'd), or NULL (out of memory). */
char *hp_bind_format(const struct hp_bind *b);
void hp_bind_free(struct hp_bind *b);
/* Whether two option strings mean the same mount (same ro and propagation). */
bool hp_bind_same_opts(const struct hp_bind *a, const struct hp_bind *b);

/* Checks that b can join the recorded bindings (n strings "host:ctr:opts"):
 *   "Mount more than one host paths to a single path in container"   its ctr path is taken
 *   "Mount one host path with different permissions, old: O, new: N"  its host path is bound
 *                                                                      with other options
 *   "Path already reach max limit"                                    HOTPLUG_MAX_PATHS held
 * A recorded string that does not parse is an error naming it. 0, or -1 with e. */
int hp_binds_check_add(char *const *recorded, size_t n, const struct hp_bind *b, size_t max,
                       struct error *e);
/* The index of the recorded binding of b's host and container paths (the options are not
 * compared), or -1. */
long hp_binds_find(char *const *recorded, size_t n, const struct hp_bind *b);

#endif
