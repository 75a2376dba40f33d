#include "engine/bind_spec.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const g_propagations[] = {"shared", "rshared", "slave",
                                             "rslave", "private", "rprivate"};

const char *bind_propagation_of(const char *o)
{
	for (size_t i = 0; i < sizeof(g_propagations) / sizeof(g_propagations[0]); i++) {
		if (strcmp(o, g_propagations[i]) == 0)
			return g_propagations[i];
	}
	return NULL;
}

bool bind_path_ok(const char *p)
{
	if (!p || p[0] != '/')
		return false;
	for (; *p; p++) {
		if ((unsigned char)*p <= ' ' || *p == 0x7f)
			return false;
	}
	return true;
}

static int invalid(const char *spec, const char *why, char *err, size_t errlen)
{
	snprintf(err, errlen,
	         "Invalid volume specification '%s': %s (expected /host/path:/container/path"
	         "[:ro|rw][,shared|slave|private|rshared|rslave|rprivate][,z|Z])",
	         spec, why);
	return -1;
}

int bind_spec_parse(const char *spec, struct bind_spec *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof(*out));
	const char *c1 = strchr(spec, ':');
	const char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
	if (!c1 || (c2 && strchr(c2 + 1, ':')))
		return invalid(spec, "not two or three fields", err, errlen);
	out->src = strndup(spec, (size_t)(c1 - spec));
	out->dst = c2 ? strndup(c1 + 1, (size_t)(c2 - c1 - 1)) : strdup(c1 + 1);
	if (!out->src || !out->dst) {
		bind_spec_free(out);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (!bind_path_ok(out->src) || !bind_path_ok(out->dst)) {
		bind_spec_free(out);
		return invalid(spec, "paths must be absolute, without blanks", err, errlen);
	}
	bool mode_seen = false;
	char *opts = c2 ? strdup(c2 + 1) : NULL, *save = NULL;
	int ret = 0;
	for (char *o = opts ? strtok_r(opts, ",", &save) : NULL; o && ret == 0;
	     o = strtok_r(NULL, ",", &save)) {
		const char *p = bind_propagation_of(o);
		if (strcmp(o, "ro") == 0 || strcmp(o, "rw") == 0) {
			ret = mode_seen ? invalid(spec, "ro or rw twice", err, errlen) : 0;
			mode_seen = true;
			out->ro = strcmp(o, "ro") == 0;
		} else if (p) {
			ret = out->propagation ? invalid(spec, "two propagations", err, errlen) : 0;
			out->propagation = p;
		} else if (strcmp(o, "z") != 0 && strcmp(o, "Z") != 0 && strcmp(o, "nocopy") != 0) {
			char why[96];
			snprintf(why, sizeof(why), "unknown option \"%.40s\"", o);
			ret = invalid(spec, why, err, errlen);
		}
	}
	if (c2 && !c2[1])
		ret = invalid(spec, "empty options", err, errlen);
	free(opts);
	if (ret < 0)
		bind_spec_free(out);
	return ret;
}

void bind_spec_free(struct bind_spec *b)
{
	free(b->src);
	free(b->dst);
	b->src = b->dst = NULL;
}
