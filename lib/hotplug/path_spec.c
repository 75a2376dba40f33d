#include "hotplug/path_spec.h"

#include "core/utf8.h"
#include "core/path_clean.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The options: each of ro rw private rprivate rslave at most once. */
static int parse_opts(const char *opts, struct hp_bind *b, struct error *e)
{
	static const char *const names[] = {"ro", "rw", "private", "rprivate", "rslave"};
	bool seen[5] = {false};
	int props = 0;
	b->ro = false;
	b->prop = TREE_RSLAVE;
	const char *p = opts;
	for (;;) {
		size_t l = strcspn(p, ",");
		int k = -1;
		for (int i = 0; i < 5; i++) {
			if (strlen(names[i]) == l && strncmp(p, names[i], l) == 0)
				k = i;
		}
		if (k < 0 || seen[k])
			return error_set(e, ERR_INVALID, "invalid permissions: %s", opts);
		seen[k] = true;
		if (k == 0)
			b->ro = true;
		if (k >= 2) {
			props++;
			b->prop = k == 2 ? TREE_PRIVATE : k == 3 ? TREE_RPRIVATE : TREE_RSLAVE;
		}
		if (!p[l])
			break;
		p += l + 1;
	}
	if ((seen[0] && seen[1]) || props > 1)
		return error_set(e, ERR_INVALID, "invalid permissions: %s", opts);
	return 0;
}

int hp_bind_parse(const char *spec, struct hp_bind *b, struct error *e)
{
	memset(b, 0, sizeof(*b));
	/* The record refuses control characters and over-long strings: never write one. */
	if (strnlen(spec, HP_BIND_SPEC_MAX + 1) > HP_BIND_SPEC_MAX || str_has_control(spec))
		return error_set(e, ERR_INVALID, "invalid path specification: %.*s", 256, spec);
	const char *c1 = strchr(spec, ':');
	const char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
	if (!c1 || (c2 && strchr(c2 + 1, ':')))
		return error_set(e, ERR_INVALID, "invalid path specification: %s", spec);
	const char *opts = c2 ? c2 + 1 : HP_BIND_DEFAULT_OPTS;
	if (parse_opts(opts, b, e) < 0)
		return -1;
	char *host = strndup(spec, (size_t)(c1 - spec));
	char *ctr = c2 ? strndup(c1 + 1, (size_t)(c2 - c1 - 1)) : strdup(c1 + 1);
	if (!host || !ctr) {
		free(host);
		free(ctr);
		return error_set(e, ERR_INTERNAL, "out of memory");
	}
	b->host = path_clean(host);
	b->ctr = path_clean(ctr);
	b->opts = strdup(opts);
	free(host);
	free(ctr);
	if (!b->host || !b->ctr || !b->opts) {
		hp_bind_free(b);
		return error_set(e, ERR_INTERNAL, "out of memory");
	}
	int rc = 0;
	if (b->host[0] != '/' || b->ctr[0] != '/')
		rc =
		    error_set(e, ERR_INVALID,
		              "invalid path specification:%s, only absolute path is allowed", spec);
	else if (strcmp(b->ctr, "/") == 0)
		rc = error_set(e, ERR_INVALID,
		               "invalid path specification:%s, the container's / cannot be mounted "
		               "over",
		               spec);
	if (rc < 0)
		hp_bind_free(b);
	return rc;
}

char *hp_bind_format(const struct hp_bind *b)
{
	size_t n = strlen(b->host) + strlen(b->ctr) + strlen(b->opts) + 3;
	char *s = malloc(n);
	if (s)
		snprintf(s, n, "%s:%s:%s", b->host, b->ctr, b->opts);
	return s;
}

void hp_bind_free(struct hp_bind *b)
{
	free(b->host);
	free(b->ctr);
	free(b->opts);
	b->host = b->ctr = b->opts = NULL;
}

bool hp_bind_same_opts(const struct hp_bind *a, const struct hp_bind *b)
{
	return a->ro == b->ro && a->prop == b->prop;
}

int hp_binds_check_add(char *const *recorded, size_t n, const struct hp_bind *b, size_t max,
                       struct error *e)
{
	for (size_t i = 0; i < n; i++) {
		struct hp_bind old;
		struct error pe = {0};
		if (hp_bind_parse(recorded[i], &old, &pe) < 0)
			return error_set(e, ERR_INVALID, "the recorded path \"%s\": %s",
			                 recorded[i], pe.msg);
		int rc = 0;
		if (strcmp(old.ctr, b->ctr) == 0)
			rc = error_set(
			    e, ERR_CONFLICT,
			    "Mount more than one host paths to a single path in container");
		else if (strcmp(old.host, b->host) == 0 && !hp_bind_same_opts(&old, b))
			rc = error_set(
			    e, ERR_CONFLICT,
			    "Mount one host path with different permissions, old: %s, new: %s",
			    old.opts, b->opts);
		hp_bind_free(&old);
		if (rc < 0)
			return -1;
	}
	if (n >= max)
		return error_set(e, ERR_CONFLICT, "Path already reach max limit");
	return 0;
}

long hp_binds_find(char *const *recorded, size_t n, const struct hp_bind *b)
{
	for (size_t i = 0; i < n; i++) {
		struct hp_bind old;
		struct error pe = {0};
		if (hp_bind_parse(recorded[i], &old, &pe) < 0)
			continue;
		bool same = strcmp(old.host, b->host) == 0 && strcmp(old.ctr, b->ctr) == 0;
		hp_bind_free(&old);
		if (same)
			return (long)i;
	}
	return -1;
}
