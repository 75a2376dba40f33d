#include "host/passwd.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool parse_id(const char *s, unsigned long *out)
{
	if (!*s)
		return false;
	char *end;
	unsigned long v = strtoul(s, &end, 10);
	if (*end || v > 0xfffffffeUL || s[0] == '-')
		return false;
	*out = v;
	return true;
}

/* Finds the line whose field 0 (name) or field 2 (id) matches; returns fields 2 and 3. */
static bool find_entry(const char *text, const char *key, bool by_id, unsigned long *id,
                       unsigned long *gid)
{
	if (!text)
		return false;
	const char *line = text;
	while (*line) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);
		char buf[1024];
		if (len < sizeof(buf)) {
			memcpy(buf, line, len);
			buf[len] = '\0';
			char *fields[4] = {0};
			char *p = buf;
			for (int f = 0; f < 4 && p; f++) {
				fields[f] = p;
				p = strchr(p, ':');
				if (p)
					*p++ = '\0';
			}
			unsigned long fid, fgid = 0;
			if (fields[2] && parse_id(fields[2], &fid) &&
			    strcmp(by_id ? fields[2] : fields[0], key) == 0) {
				if (fields[3])
					parse_id(fields[3], &fgid);
				*id = fid;
				if (gid)
					*gid = fgid;
				return true;
			}
		}
		line += len + (end ? 1 : 0);
	}
	return false;
}

int user_spec_resolve(const char *spec, const char *passwd, const char *group, uid_t *uid,
                      gid_t *gid, char *err, size_t errlen)
{
	char user[256], grp[256] = "";
	const char *colon = strchr(spec, ':');
	size_t ulen = colon ? (size_t)(colon - spec) : strlen(spec);
	if (ulen == 0 || ulen >= sizeof(user) || (colon && strlen(colon + 1) >= sizeof(grp))) {
		snprintf(err, errlen,
		         "invalid user specification '%s': expected "
		         "<name|uid>[:<group|gid>]",
		         spec);
		return -1;
	}
	memcpy(user, spec, ulen);
	user[ulen] = '\0';
	if (colon)
		snprintf(grp, sizeof(grp), "%s", colon + 1);
	unsigned long u, g = 0;
	bool numeric = parse_id(user, &u);
	if (!find_entry(passwd, user, numeric, &u, &g) && !numeric) {
		snprintf(err, errlen, "unable to find user %s: no matching entries in passwd file",
		         user);
		return -1;
	}
	if (grp[0]) {
		bool gnum = parse_id(grp, &g);
		if (!find_entry(group, grp, gnum, &g, NULL) && !gnum) {
			snprintf(err, errlen,
			         "unable to find group %s: no matching entries in group "
			         "file",
			         grp);
			return -1;
		}
	}
	*uid = (uid_t)u;
	*gid = (gid_t)g;
	return 0;
}
