#include "engine/mount_spec.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/units.h"
#include "engine/bind_spec.h"

#define FIELD_MAX (PATH_MAX + 64)

static const char g_usage[] =
    "expected type=bind|tmpfs,source=PATH,target=PATH[,readonly][,bind-propagation=MODE]"
    "[,bind-nonrecursive][,tmpfs-size=SIZE][,tmpfs-mode=OCTAL]";

const char *mount_type_name(enum mount_type t)
{
	return t == MOUNT_TMPFS ? "tmpfs" : "bind";
}

int mount_type_parse(const char *type, enum mount_type *out, char *err, size_t errlen)
{
	if (type && strcmp(type, "bind") == 0) {
		*out = MOUNT_BIND;
		return 0;
	}
	if (type && strcmp(type, "tmpfs") == 0) {
		*out = MOUNT_TMPFS;
		return 0;
	}
	const char *why = "unknown";
	if (!type || !*type || strcmp(type, "volume") == 0)
		why = "not supported (no volumes here; Docker's default type is volume)";
	else if (strcmp(type, "squashfs") == 0)
		why = "not supported (no images here)";
	else if (strcmp(type, "npipe") == 0 || strcmp(type, "cluster") == 0)
		why = "not supported on Linux";
	snprintf(err, errlen, "Invalid mount type '%.64s': %s; the types are bind and tmpfs",
	         type ? type : "", why);
	return -1;
}

void mount_spec_free(struct mount_spec *m)
{
	free(m->source);
	free(m->target);
	m->source = m->target = NULL;
}

static int bad(const char *why, char *err, size_t errlen)
{
	snprintf(err, errlen, "Invalid mount: %s", why);
	return -1;
}

int mount_spec_check(const struct mount_spec *m, char *err, size_t errlen)
{
	char why[PATH_MAX + 128];
	if (!m->target || !*m->target)
		return bad("target (dst) is required", err, errlen);
	if (!bind_path_ok(m->target)) {
		snprintf(why, sizeof(why),
		         "target '%.256s' must be an absolute path without blanks or control "
		         "characters",
		         m->target);
		return bad(why, err, errlen);
	}
	if (strcmp(m->target, "/") == 0)
		return bad("target can't be '/'", err, errlen);
	if (m->type == MOUNT_BIND) {
		if (!m->source || !*m->source)
			return bad("type bind needs a source (src)", err, errlen);
		if (!bind_path_ok(m->source)) {
			snprintf(
			    why, sizeof(why),
			    "source '%.256s' must be an absolute path without blanks or control "
			    "characters",
			    m->source);
			return bad(why, err, errlen);
		}
		if (m->tmpfs_size != 0 || m->tmpfs_mode != 0)
			return bad("tmpfs-size and tmpfs-mode need type=tmpfs", err, errlen);
		return 0;
	}
	if (m->source && *m->source)
		return bad("type tmpfs takes no source", err, errlen);
	if (m->propagation || m->nonrecursive)
		return bad("bind-propagation and bind-nonrecursive need type=bind", err, errlen);
	if (m->tmpfs_size < 0) {
		snprintf(why, sizeof(why), "tmpfs-size %lld: a size of at least 0 is needed",
		         (long long)m->tmpfs_size);
		return bad(why, err, errlen);
	}
	if (m->tmpfs_mode < 0 || m->tmpfs_mode > 07777) {
		snprintf(why, sizeof(why), "tmpfs-mode %lld: 0 to 07777 (4095) is allowed",
		         (long long)m->tmpfs_mode);
		return bad(why, err, errlen);
	}
	return 0;
}

/* The next CSV field of *p into buf (Go's encoding/csv: a field may be quoted, "" inside is
 * one quote; a quote elsewhere is an error); *p moves past its comma. 1 a field, 0 the end,
 * -1 malformed or longer than len. */
static int next_field(const char **p, char *buf, size_t len)
{
	const char *s = *p;
	if (!s)
		return 0;
	size_t n = 0;
	if (*s == '"') {
		for (s++;; s++) {
			if (!*s)
				return -1;
			if (*s == '"' && s[1] != '"')
				break;
			if (*s == '"')
				s++;
			if (n + 1 >= len)
				return -1;
			buf[n++] = *s;
		}
		s++;
		if (*s && *s != ',')
			return -1;
	} else {
		for (; *s && *s != ','; s++) {
			if (*s == '"' || n + 1 >= len)
				return -1;
			buf[n++] = *s;
		}
	}
	buf[n] = '\0';
	*p = *s == ',' ? s + 1 : NULL;
	return 1;
}

/* Go's strconv.ParseBool. */
static int parse_bool(const char *v, bool *out)
{
	static const char *const yes[] = {"1", "t", "T", "TRUE", "true", "True"};
	static const char *const no[] = {"0", "f", "F", "FALSE", "false", "False"};
	for (size_t i = 0; i < 6; i++) {
		if (strcmp(v, yes[i]) == 0 || strcmp(v, no[i]) == 0) {
			*out = strcmp(v, yes[i]) == 0;
			return 0;
		}
	}
	return -1;
}

static int set_path(char **dst, const char *v)
{
	free(*dst);
	*dst = strdup(v);
	return *dst ? 0 : -1;
}

/* One key[=value] field into out. NULL, or why it is refused (in why). */
static const char *apply_field(char *field, struct mount_spec *out, bool *typed, char *why,
                               size_t whylen)
{
	char *eq = strchr(field, '=');
	const char *val = eq ? eq + 1 : NULL;
	if (eq)
		*eq = '\0';
	for (char *k = field; *k; k++)
		*k = (char)tolower((unsigned char)*k);
	const char *key = field;
	bool flag_ok = strcmp(key, "readonly") == 0 || strcmp(key, "ro") == 0 ||
	               strcmp(key, "bind-nonrecursive") == 0;
	if (!val && !flag_ok) {
		snprintf(why, whylen, "field '%.64s' must be a key=value pair", key);
		return why;
	}
	if (strcmp(key, "type") == 0) {
		char msg[256];
		if (mount_type_parse(val, &out->type, msg, sizeof(msg)) < 0) {
			snprintf(why, whylen, "%s", msg);
			return why;
		}
		*typed = true;
	} else if (strcmp(key, "source") == 0 || strcmp(key, "src") == 0) {
		if (set_path(&out->source, val) < 0)
			return "out of memory";
	} else if (strcmp(key, "target") == 0 || strcmp(key, "destination") == 0 ||
	           strcmp(key, "dst") == 0) {
		if (set_path(&out->target, val) < 0)
			return "out of memory";
	} else if (strcmp(key, "readonly") == 0 || strcmp(key, "ro") == 0 ||
	           strcmp(key, "bind-nonrecursive") == 0) {
		bool b = true;
		if (val && parse_bool(val, &b) < 0) {
			snprintf(why, whylen, "%s=%.32s: expected true or false", key, val);
			return why;
		}
		if (key[0] == 'b')
			out->nonrecursive = b;
		else
			out->readonly = b;
	} else if (strcmp(key, "bind-propagation") == 0) {
		out->propagation = bind_propagation_of(val);
		if (!out->propagation) {
			snprintf(
			    why, whylen,
			    "bind-propagation '%.32s': expected shared, slave, private, rshared, "
			    "rslave or rprivate",
			    val);
			return why;
		}
	} else if (strcmp(key, "tmpfs-size") == 0) {
		if (parse_byte_size(val, &out->tmpfs_size) < 0) {
			snprintf(why, whylen, "tmpfs-size '%.32s': expected a size such as 64m",
			         val);
			return why;
		}
	} else if (strcmp(key, "tmpfs-mode") == 0) {
		char *end;
		errno = 0;
		unsigned long m = *val >= '0' && *val <= '7' ? strtoul(val, &end, 8) : 0;
		if (*val < '0' || *val > '7' || *end || errno || m > 07777) {
			snprintf(why, whylen,
			         "tmpfs-mode '%.32s': expected an octal mode up to 7777", val);
			return why;
		}
		out->tmpfs_mode = (int64_t)m;
	} else if (strcmp(key, "consistency") == 0) {
		/* Docker's macOS setting: nothing on Linux. */
	} else if (strncmp(key, "volume-", 7) == 0) {
		snprintf(why, whylen,
		         "%.64s needs type=volume, which is not supported (no volumes)", key);
		return why;
	} else {
		snprintf(why, whylen, "unexpected key '%.64s'", key);
		return why;
	}
	return NULL;
}

int mount_spec_parse(const char *text, struct mount_spec *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof(*out));
	char *field = malloc(FIELD_MAX);
	char why[512];
	const char *problem = field ? NULL : "out of memory";
	bool typed = false;
	const char *p = text;
	int r = 0;
	while (!problem && (r = next_field(&p, field, FIELD_MAX)) > 0)
		problem = apply_field(field, out, &typed, why, sizeof(why));
	if (!problem && r < 0)
		problem = "a malformed field (a stray quote, or longer than a path)";
	if (!problem && !typed)
		problem = "type is required: bind or tmpfs (Docker's default, volume, is not "
		          "supported: no volumes here)";
	free(field);
	char check[PATH_MAX + 256];
	if (!problem && mount_spec_check(out, check, sizeof(check)) < 0)
		problem = check + strlen("Invalid mount: ");
	if (problem) {
		snprintf(err, errlen, "Invalid --mount '%.256s': %s (%s)", text, problem, g_usage);
		mount_spec_free(out);
		return -1;
	}
	return 0;
}
