/* How a reference names a container (isula and Docker): full ID, then name, then unique ID
 * prefix. Shared by the daemon's table and the tools that read the engine's state. */
#ifndef LIB_ENGINE_CONTAINER_REF_H
#define LIB_ENGINE_CONTAINER_REF_H

#include <stddef.h>

#include "core/error.h"

struct container_ref_list {
	size_t n;
	const void *ctx;
	const char *(*id_at)(const void *ctx, size_t i);
	const char *(*name_at)(const void *ctx, size_t i);
};

/* The index of the container ref names, or -1 with e set: ERR_NOT_FOUND "No such container:
 * REF", or ERR_INVALID for a prefix that names several (with its candidates). */
long container_ref_find(const struct container_ref_list *l, const char *ref, struct error *e);

#endif
