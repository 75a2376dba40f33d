#include "engine/container_ref.h"

#include <stdio.h>
#include <string.h>

long container_ref_find(const struct container_ref_list *l, const char *ref, struct error *e)
{
	for (size_t i = 0; i < l->n; i++) {
		if (strcmp(l->id_at(l->ctx, i), ref) == 0)
			return (long)i;
	}
	for (size_t i = 0; i < l->n; i++) {
		if (strcmp(l->name_at(l->ctx, i), ref) == 0)
			return (long)i;
	}
	size_t len = strlen(ref), matches = 0;
	long found = -1;
	char cands[512] = "";
	for (size_t i = 0; len > 0 && i < l->n; i++) {
		const char *id = l->id_at(l->ctx, i);
		if (strncmp(id, ref, len) != 0)
			continue;
		found = (long)i;
		size_t used = strlen(cands);
		if (used < sizeof(cands) - 16)
			snprintf(cands + used, sizeof(cands) - used, "%s%.12s", matches ? ", " : "",
			         id);
		matches++;
	}
	if (matches == 1)
		return found;
	if (matches > 1)
		return error_set(e, ERR_INVALID,
		                 "Multiple IDs found with provided prefix: %s (candidates: %s)",
		                 ref, cands);
	return error_set(e, ERR_NOT_FOUND, "No such container: %s", ref);
}
