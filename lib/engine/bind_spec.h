/* -v/--volume HOST:CONTAINER[:OPTIONS] as Docker takes it: OPTIONS a comma-separated list of
 * ro|rw, a propagation ([r]shared, [r]slave, [r]private) and z|Z|nocopy (accepted: no SELinux
 * relabelling or volume copy here). Paths absolute, without blanks. */
#ifndef LIB_ENGINE_BIND_SPEC_H
#define LIB_ENGINE_BIND_SPEC_H

#include <stdbool.h>
#include <stddef.h>

struct bind_spec {
	char *src, *dst;         /* malloc'd */
	bool ro;                 /* :ro */
	const char *propagation; /* "rslave", ... (static), or NULL: rprivate (Docker's default) */
};

/* 0, or -1 with err naming the spec and what is allowed. */
int bind_spec_parse(const char *spec, struct bind_spec *out, char *err, size_t errlen);
void bind_spec_free(struct bind_spec *b);
/* The static name of a propagation ("shared", "rslave"...), or NULL for another word. */
const char *bind_propagation_of(const char *name);
/* Absolute, without blanks or control characters: a field of a liblxc mount entry. */
bool bind_path_ok(const char *path);

#endif
