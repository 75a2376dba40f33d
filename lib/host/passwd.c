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

/* Copies field f (0-based, ':'-separated) of line [line, line+len) into out; false if the
 * line has no such field or it does not fit. */
static bool line_field(const char *line, size_t len, int f, char *out, size_t outlen)
{
	const char *p = line, *end = line + len;
	for (int i = 0; i < f; i++) {
		p = memchr(p, ':', (size_t)(end - p));
		if (!p)
			return false;
		p++;
	}
	const char *stop = memchr(p, ':', (size_t)(end - p));
	size_t flen = (size_t)((stop ? stop : end) - p);
	if (flen >= outlen)
		return false;
	memcpy(out, p, flen);
	out[flen] = '\0';
	return true;
}

/* The name of the passwd entry with uid u into name; false when there is none. */
static bool name_of_uid(const char *passwd, unsigned long u, char *name, size_t len)
{
	char id[32];
	for (const char *line = passwd; line && *line;) {
		const char *nl = strchr(line, '\n');
		size_t l = nl ? (size_t)(nl - line) : strlen(line);
		unsigned long v;
		if (line_field(line, l, 2, id, sizeof(id)) && parse_id(id, &v) && v == u &&
		    line_field(line, l, 0, name, len))
			return true;
		line += l + (nl ? 1 : 0);
	}
	return false;
}

static bool list_has(const char *list, const char *name)
{
	size_t nlen = strlen(name);
	for (const char *p = list; *p;) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		if (len == nlen && memcmp(p, name, len) == 0)
			return true;
		p += len + (comma ? 1 : 0);
	}
	return false;
}

static int add_gid(gid_t g, gid_t *out, size_t max, size_t *n, char *err, size_t errlen)
{
	for (size_t i = 0; i < *n; i++) {
		if (out[i] == g)
			return 0;
	}
	if (*n == max) {
		snprintf(err, errlen, "too many supplementary groups: at most %zu", max);
		return -1;
	}
	out[(*n)++] = g;
	return 0;
}

int user_groups_resolve(const char *spec, const char *passwd, const char *group, char *const *extra,
                        gid_t *out, size_t max, size_t *n, char *err, size_t errlen)
{
	*n = 0;
	if (!spec)
		spec = "0";
	/* The process's own gid first: left out, a group it leaves with newgrp(1) or setgid
	 * would stop restricting it (CVE-2022-36109 in Docker, CVE-2022-2989 in Podman; the
	 * OCI runtime spec now requires it). */
	uid_t uid;
	gid_t gid;
	if (user_spec_resolve(spec, passwd, group, &uid, &gid, err, errlen) < 0 ||
	    add_gid(gid, out, max, n, err, errlen) < 0)
		return -1;
	char user[256];
	const char *colon = strchr(spec, ':');
	size_t ulen = colon ? (size_t)(colon - spec) : strlen(spec);
	unsigned long u;
	if (!colon && ulen < sizeof(user)) {
		memcpy(user, spec, ulen);
		user[ulen] = '\0';
		/* A uid stands for the name passwd gives it (memberships are by name). */
		bool known = !parse_id(user, &u) || name_of_uid(passwd, u, user, sizeof(user));
		char members[4096], id[32];
		for (const char *line = known ? group : NULL; line && *line;) {
			const char *nl = strchr(line, '\n');
			size_t l = nl ? (size_t)(nl - line) : strlen(line);
			unsigned long g;
			if (line_field(line, l, 3, members, sizeof(members)) &&
			    line_field(line, l, 2, id, sizeof(id)) && parse_id(id, &g) &&
			    list_has(members, user) &&
			    add_gid((gid_t)g, out, max, n, err, errlen) < 0)
				return -1;
			line += l + (nl ? 1 : 0);
		}
	}
	for (size_t i = 0; extra && extra[i]; i++) {
		unsigned long g;
		bool numeric = parse_id(extra[i], &g);
		if (!find_entry(group, extra[i], numeric, &g, NULL) && !numeric) {
			snprintf(err, errlen,
			         "Unable to find group %s: no matching entries in group file",
			         extra[i]);
			return -1;
		}
		if (add_gid((gid_t)g, out, max, n, err, errlen) < 0)
			return -1;
	}
	return 0;
}

void user_groups_format(const gid_t *gids, size_t n, char *buf, size_t len)
{
	size_t pos = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < n && pos < len; i++) {
		int w = snprintf(buf + pos, len - pos, "%s%u", i ? "," : "", (unsigned)gids[i]);
		if (w < 0 || (size_t)w >= len - pos) {
			buf[pos] = '\0'; /* never a cut number */
			return;
		}
		pos += (size_t)w;
	}
}
