/* The body of POST /containers/ID/update (Docker's UpdateConfig) applied to a container's
 * host config. */
#ifndef ENGINE_UPDATE_CONFIG_H
#define ENGINE_UPDATE_CONFIG_H

#include <stddef.h>
#include <yajl/yajl_tree.h>

#include "container.h"

/* n = cur with body's changes: a zero or missing field keeps the current value; PidsLimit when
 * present (<= 0: unlimited). The result shares every pointer with cur except the two cpuset
 * strings, which are its own (free them, also after a failure). 0, or -1 with err naming the
 * bad field. The checks of the values (validate_resources) and applying them are the
 * caller's. */
int host_config_update_parse(yajl_val body, const struct host_config *cur, struct host_config *n,
                             char *err, size_t errlen);

#endif
