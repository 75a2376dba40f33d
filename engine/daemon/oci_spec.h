/* The OCI runtime spec of a container's bundle, <graph>/engines/lcr/<id>/config.json, which
 * the companion tools (syscontainer-hooks) and the hook runner read. It says in OCI terms what
 * the engine really tells liblxc (the rendered lxc config), plus the resources, the hooks and
 * the annotations. Written at create, at every start and after an update. */
#ifndef ENGINE_OCI_SPEC_H
#define ENGINE_OCI_SPEC_H

#include <stddef.h>

#include "container.h"

/* The spec text (malloc'd) for c, from lxc_text (lxc_config_render's output) and the argv
 * its init runs; NULL when out of memory. */
char *oci_spec_render(const struct container *c, const char *lxc_text, char *const *argv,
                      size_t *len);
/* Resolves the hooks of a container being created: the daemon's default spec (if any) first,
 * then the container's own --hook-spec, both read and checked now (iSulad's order). 0, or -1
 * with err naming the spec file and the rule it breaks. */
int oci_spec_resolve_hooks(struct container *c, const char *default_spec, char *err, size_t errlen);
/* Loads the hooks stored in the bundle's config.json (a daemon restart); none when absent. */
int oci_spec_load_hooks(const char *bundle, struct oci_hooks *out, char *err, size_t errlen);

#endif
