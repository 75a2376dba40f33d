#include "engine/user_remap.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "core/units.h"

/* Digits only (no sign, no blanks), at most 2^32-1. */
static bool parse_id(const char *s, size_t len, uint64_t *out)
{
	char buf[24];
	if (len == 0 || len >= sizeof(buf))
		return false;
	for (size_t i = 0; i < len; i++) {
		if (!isdigit((unsigned char)s[i]))
			return false;
	}
	memcpy(buf, s, len);
	buf[len] = '\0';
	return parse_uint64(buf, out) == 0 && *out <= USER_REMAP_MAX_ID;
}

int user_remap_parse(const char *spec, struct user_remap *out, char *err, size_t errlen)
{
	const char *c1 = spec ? strchr(spec, ':') : NULL;
	const char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
	if (!c2 || strchr(c2 + 1, ':')) {
		snprintf(err, errlen,
		         "Invalid user remap specification '%s': unsupported format, expected "
		         "uid:gid:offset",
		         spec ? spec : "");
		return -1;
	}
	uint64_t uid, gid, offset;
	if (!parse_id(spec, (size_t)(c1 - spec), &uid)) {
		snprintf(err, errlen,
		         "Invalid host uid for '%s': uid must be an integer from 0 to %llu", spec,
		         USER_REMAP_MAX_ID);
		return -1;
	}
	if (!parse_id(c1 + 1, (size_t)(c2 - c1 - 1), &gid)) {
		snprintf(err, errlen,
		         "Invalid host gid for '%s': gid must be an integer from 0 to %llu", spec,
		         USER_REMAP_MAX_ID);
		return -1;
	}
	if (!parse_id(c2 + 1, strlen(c2 + 1), &offset) || offset == 0 ||
	    offset > USER_REMAP_MAX_OFFSET) {
		snprintf(err, errlen,
		         "Invalid id offset for '%s': offset must be an integer greater than 0 and "
		         "less than 65536",
		         spec);
		return -1;
	}
	if (uid + offset > USER_REMAP_MAX_ID || gid + offset > USER_REMAP_MAX_ID) {
		bool u = uid + offset > USER_REMAP_MAX_ID;
		snprintf(err, errlen,
		         "Invalid user remap specification '%s': %s + offset (%llu) must not be "
		         "larger than 2^32-1 (%llu)",
		         spec, u ? "uid" : "gid", (unsigned long long)((u ? uid : gid) + offset),
		         USER_REMAP_MAX_ID);
		return -1;
	}
	out->uid = (uint32_t)uid;
	out->gid = (uint32_t)gid;
	out->offset = (uint32_t)offset;
	return 0;
}

bool user_remap_effective(const struct user_remap *r)
{
	return r->uid != 0 && r->gid != 0;
}

bool user_remap_maps(uint32_t base, uint32_t offset, uint64_t id)
{
	return id >= base && id < (uint64_t)base + offset;
}
