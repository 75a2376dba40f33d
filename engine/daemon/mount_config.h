/* --mount's HostConfig field, Docker's Mounts [{Type, Source, Target, ReadOnly, BindOptions
 * {Propagation, NonRecursive}, TmpfsOptions{SizeBytes, Mode}}] of types bind and tmpfs
 * (engine/mount_spec.h). They are mounted after -v's binds, so a --mount wins over a -v onto
 * the same destination (the seed's rule). */
#ifndef ENGINE_MOUNT_CONFIG_H
#define ENGINE_MOUNT_CONFIG_H

#include <stddef.h>
#include <yajl/yajl_gen.h>
#include <yajl/yajl_tree.h>

#include "engine/mount_spec.h"

struct mount_config {
	struct mount_spec *v;
	size_t n;
};

/* "Mounts" as a key of the HostConfig map. */
void mount_config_gen(yajl_gen g, const struct mount_config *m);
/* Absent or null: none. Paths are cleaned (Go's path.Clean); each entry must pass
 * mount_spec_check, and no two share a target. -1 with err naming the entry. */
int mount_config_parse(yajl_val hostconfig, struct mount_config *m, char *err, size_t errlen);
void mount_config_free(struct mount_config *m);
/* At create: each bind's source exists on the host. */
int mount_config_validate(const struct mount_config *m, char *err, size_t errlen);
/* Docker's inspect Mounts entry of one (Type, Source, Destination, Mode, RW, Propagation). */
void mount_inspect_gen(yajl_gen g, const struct mount_spec *m);

#endif
