/* --user-remap uid:gid:offset (seed 000 §2.3.11.1): the container's root is host uid/gid,
 * and offset ids from there are mapped. */
#ifndef LIB_ENGINE_USER_REMAP_H
#define LIB_ENGINE_USER_REMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define USER_REMAP_MAX_ID 4294967295ULL /* 2^32-1 */
#define USER_REMAP_MAX_OFFSET 65535U    /* offset < 65536 */

struct user_remap {
	uint32_t uid, gid, offset;
};

/* The seed's rules: three integers, uid and gid >= 0, 0 < offset < 65536, uid + offset and
 * gid + offset <= 2^32-1. Returns 0, or -1 with err naming the value and what is allowed. */
int user_remap_parse(const char *spec, struct user_remap *out, char *err, size_t errlen);
/* "If uid or gid is set to 0, --user-remap does not take effect." */
bool user_remap_effective(const struct user_remap *r);
/* Host id `id` falls inside the mapped range that starts at `base`. */
bool user_remap_maps(uint32_t base, uint32_t offset, uint64_t id);

#endif
