#include "engine/oci_hooks.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/fileutil.h"
#include "core/json.h"
#include "core/strv.h"

static const char *const g_stage_names[OCI_HOOK_STAGES] = {"prestart", "poststart", "poststop"};

const char *oci_hook_stage_name(enum oci_hook_stage s)
{
	return s < OCI_HOOK_STAGES ? g_stage_names[s] : "?";
}

int oci_hook_stage_parse(const char *name, enum oci_hook_stage *out)
{
	for (int s = 0; s < OCI_HOOK_STAGES; s++) {
		if (strcmp(name, g_stage_names[s]) == 0) {
			*out = (enum oci_hook_stage)s;
			return 0;
		}
	}
	return -1;
}

static void hook_free(struct oci_hook *h)
{
	free(h->path);
	strv_free(h->args);
	strv_free(h->env);
	memset(h, 0, sizeof(*h));
}

void oci_hooks_free(struct oci_hooks *h)
{
	for (int s = 0; s < OCI_HOOK_STAGES; s++) {
		for (size_t i = 0; i < h->stage[s].n; i++)
			hook_free(&h->stage[s].v[i]);
		free(h->stage[s].v);
	}
	memset(h, 0, sizeof(*h));
}

bool oci_hooks_empty(const struct oci_hooks *h)
{
	for (int s = 0; s < OCI_HOOK_STAGES; s++) {
		if (h->stage[s].n > 0)
			return false;
	}
	return true;
}

/* An array of strings; env entries must be KEY=VALUE with a non-empty KEY. */
static int parse_strv(yajl_val v, const char *where, const char *field, bool env, char ***out,
                      char *err, size_t errlen)
{
	if (!YAJL_IS_ARRAY(v)) {
		snprintf(err, errlen, "%s: \"%s\" must be an array of strings", where, field);
		return -1;
	}
	char **list = calloc(1, sizeof(char *));
	if (!list)
		return -1;
	for (size_t i = 0; i < v->u.array.len; i++) {
		yajl_val e = v->u.array.values[i];
		const char *s = YAJL_IS_STRING(e) ? YAJL_GET_STRING(e) : NULL;
		if (!s) {
			snprintf(err, errlen, "%s: \"%s\"[%zu] must be a string", where, field, i);
		} else if (env && (s[0] == '=' || !strchr(s, '='))) {
			snprintf(err, errlen,
			         "%s: \"%s\"[%zu] \"%s\" must be a KEY=VALUE pair, for example "
			         "PATH=/usr/bin",
			         where, field, i, s);
			s = NULL;
		} else if (strv_push(&list, s) < 0) {
			snprintf(err, errlen, "out of memory");
			s = NULL;
		}
		if (!s) {
			strv_free(list);
			return -1;
		}
	}
	*out = list;
	return 0;
}

static int parse_timeout(yajl_val v, const char *where, int *out, char *err, size_t errlen)
{
	if (YAJL_IS_INTEGER(v) && YAJL_GET_INTEGER(v) > 0 && YAJL_GET_INTEGER(v) <= INT_MAX) {
		*out = (int)YAJL_GET_INTEGER(v);
		return 0;
	}
	const char *shown = YAJL_IS_NUMBER(v)   ? YAJL_GET_NUMBER(v)
	                    : YAJL_IS_STRING(v) ? "a string"
	                                        : "not a number";
	snprintf(err, errlen,
	         "%s: invalid timeout %s: it must be an integer number of seconds greater than 0",
	         where, shown);
	return -1;
}

static int parse_hook(yajl_val node, const char *where, struct oci_hook *h, char *err,
                      size_t errlen)
{
	if (!YAJL_IS_OBJECT(node)) {
		snprintf(err, errlen,
		         "%s: must be an object {\"path\", \"args\", \"env\", \"timeout\"}", where);
		return -1;
	}
	for (size_t i = 0; i < node->u.object.len; i++) {
		const char *key = node->u.object.keys[i];
		yajl_val v = node->u.object.values[i];
		int ret = 0;
		if (strcmp(key, "path") == 0) {
			const char *s = YAJL_IS_STRING(v) ? YAJL_GET_STRING(v) : NULL;
			free(h->path);
			h->path = s && *s ? strdup(s) : NULL;
			if (!s || !*s)
				snprintf(err, errlen, "%s: \"path\" must be a non-empty string",
				         where);
			else if (!h->path)
				snprintf(err, errlen, "out of memory");
			if (!h->path)
				ret = -1;
		} else if (strcmp(key, "args") == 0) {
			strv_free(h->args);
			h->args = NULL;
			ret = parse_strv(v, where, key, false, &h->args, err, errlen);
		} else if (strcmp(key, "env") == 0) {
			strv_free(h->env);
			h->env = NULL;
			ret = parse_strv(v, where, key, true, &h->env, err, errlen);
		} else if (strcmp(key, "timeout") == 0) {
			ret = parse_timeout(v, where, &h->timeout, err, errlen);
		} else {
			snprintf(err, errlen,
			         "%s: unknown field \"%s\" (allowed: path, args, env, timeout)",
			         where, key);
			ret = -1;
		}
		if (ret < 0)
			return -1;
	}
	if (!h->path) {
		snprintf(err, errlen, "%s: \"path\" is mandatory", where);
		return -1;
	}
	return 0;
}

static int parse_stage(yajl_val arr, enum oci_hook_stage s, struct oci_hook_list *l, char *err,
                       size_t errlen)
{
	if (!YAJL_IS_ARRAY(arr)) {
		snprintf(err, errlen, "\"%s\" must be an array of hooks", g_stage_names[s]);
		return -1;
	}
	size_t n = arr->u.array.len;
	l->v = n ? calloc(n, sizeof(*l->v)) : NULL;
	if (n && !l->v) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		char where[64];
		snprintf(where, sizeof(where), "%s[%zu]", g_stage_names[s], i);
		l->n = i + 1;
		if (parse_hook(arr->u.array.values[i], where, &l->v[i], err, errlen) < 0)
			return -1;
	}
	return 0;
}

int oci_hooks_parse(yajl_val node, struct oci_hooks *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof(*out));
	if (!node || !YAJL_IS_OBJECT(node)) {
		snprintf(err, errlen,
		         "must be a JSON object {\"prestart\": [...], \"poststart\": [...], "
		         "\"poststop\": [...]}");
		return -1;
	}
	bool seen[OCI_HOOK_STAGES] = {false};
	for (size_t i = 0; i < node->u.object.len; i++) {
		const char *key = node->u.object.keys[i];
		enum oci_hook_stage s;
		if (oci_hook_stage_parse(key, &s) < 0) {
			snprintf(err, errlen,
			         "unsupported hook type \"%s\" (allowed: prestart, poststart, "
			         "poststop)",
			         key);
			oci_hooks_free(out);
			return -1;
		}
		if (seen[s]) {
			snprintf(err, errlen, "hook type \"%s\" given twice", key);
			oci_hooks_free(out);
			return -1;
		}
		seen[s] = true;
		if (parse_stage(node->u.object.values[i], s, &out->stage[s], err, errlen) < 0) {
			oci_hooks_free(out);
			return -1;
		}
	}
	return 0;
}

static int check_program(const char *where, const char *path, char *err, size_t errlen)
{
	struct stat st;
	if (path[0] != '/') {
		snprintf(err, errlen, "%s: hook path \"%s\" must be an absolute path", where, path);
		return -1;
	}
	if (stat(path, &st) < 0) {
		snprintf(err, errlen, "%s: hook path \"%s\" cannot be used: %s", where, path,
		         strerror(errno));
		return -1;
	}
	if (!S_ISREG(st.st_mode) || !(st.st_mode & 0111)) {
		snprintf(err, errlen, "%s: hook path \"%s\" must be an executable file (mode %04o)",
		         where, path, (unsigned)(st.st_mode & 07777));
		return -1;
	}
	if (st.st_uid != 0) {
		snprintf(err, errlen, "%s: hook path \"%s\" must be owned by root (owner uid %u)",
		         where, path, (unsigned)st.st_uid);
		return -1;
	}
	if (st.st_mode & (S_IWGRP | S_IWOTH)) {
		snprintf(err, errlen,
		         "%s: hook path \"%s\" must be writable only by root (mode %04o is "
		         "writable by its group or others)",
		         where, path, (unsigned)(st.st_mode & 07777));
		return -1;
	}
	return 0;
}

int oci_hooks_check_programs(const struct oci_hooks *h, char *err, size_t errlen)
{
	for (int s = 0; s < OCI_HOOK_STAGES; s++) {
		for (size_t i = 0; i < h->stage[s].n; i++) {
			char where[64];
			snprintf(where, sizeof(where), "%s[%zu]", g_stage_names[s], i);
			if (check_program(where, h->stage[s].v[i].path, err, errlen) < 0)
				return -1;
		}
	}
	return 0;
}

int oci_hooks_load_file(const char *path, struct oci_hooks *out, char *err, size_t errlen)
{
	char why[1024] = "";
	struct stat st;
	char *text = NULL;
	yajl_val root = NULL;
	int ret = -1;
	memset(out, 0, sizeof(*out));
	if (path[0] != '/') {
		snprintf(why, sizeof(why), "the path must be absolute");
	} else if (stat(path, &st) < 0) {
		snprintf(why, sizeof(why), "%s", strerror(errno));
	} else if (!S_ISREG(st.st_mode)) {
		snprintf(why, sizeof(why), "not a regular file");
	} else if (st.st_size > HOOK_SPEC_MAX_SIZE) {
		snprintf(why, sizeof(why), "size %lld bytes exceeds the limit of 10 MB",
		         (long long)st.st_size);
	} else if (!(text = read_file(path, HOOK_SPEC_MAX_SIZE, NULL))) {
		snprintf(why, sizeof(why), "%s", strerror(errno));
	} else if (!(root = json_parse(text, why, sizeof(why)))) {
		char detail[900];
		snprintf(detail, sizeof(detail), "%.899s", why);
		for (char *nl = strchr(detail, '\n'); nl; nl = strchr(nl, '\n'))
			*nl = ' ';
		snprintf(why, sizeof(why), "not a JSON text file: %s", detail);
	} else if (oci_hooks_parse(root, out, why, sizeof(why)) == 0 &&
	           oci_hooks_check_programs(out, why, sizeof(why)) == 0) {
		ret = 0;
	}
	if (ret < 0) {
		oci_hooks_free(out);
		snprintf(err, errlen, "Invalid hook spec \"%s\": %s", path, why);
	}
	if (root)
		yajl_tree_free(root);
	free(text);
	return ret;
}

static int hook_copy(struct oci_hook *dst, const struct oci_hook *src)
{
	memset(dst, 0, sizeof(*dst));
	dst->path = strdup(src->path);
	dst->args = src->args ? strv_dup(src->args) : NULL;
	dst->env = src->env ? strv_dup(src->env) : NULL;
	dst->timeout = src->timeout;
	if (!dst->path || (src->args && !dst->args) || (src->env && !dst->env)) {
		hook_free(dst);
		return -1;
	}
	return 0;
}

int oci_hooks_append(struct oci_hooks *dst, const struct oci_hooks *src)
{
	struct oci_hook_list grown[OCI_HOOK_STAGES] = {0};
	for (int s = 0; s < OCI_HOOK_STAGES; s++) {
		const struct oci_hook_list *a = &dst->stage[s], *b = &src->stage[s];
		size_t n = a->n + b->n;
		grown[s].v = n ? calloc(n, sizeof(struct oci_hook)) : NULL;
		if (n && !grown[s].v)
			goto fail;
		for (size_t i = 0; i < n; i++) {
			const struct oci_hook *from = i < a->n ? &a->v[i] : &b->v[i - a->n];
			if (hook_copy(&grown[s].v[i], from) < 0)
				goto fail;
			grown[s].n = i + 1;
		}
	}
	oci_hooks_free(dst);
	memcpy(dst->stage, grown, sizeof(grown));
	return 0;
fail:;
	struct oci_hooks partial;
	memcpy(partial.stage, grown, sizeof(grown));
	oci_hooks_free(&partial);
	return -1;
}

void oci_hooks_gen(yajl_gen g, const struct oci_hooks *h)
{
	yajl_gen_map_open(g);
	for (int s = 0; s < OCI_HOOK_STAGES; s++) {
		if (h->stage[s].n == 0)
			continue;
		jg_key(g, g_stage_names[s]);
		yajl_gen_array_open(g);
		for (size_t i = 0; i < h->stage[s].n; i++) {
			const struct oci_hook *k = &h->stage[s].v[i];
			yajl_gen_map_open(g);
			jg_kstr(g, "path", k->path);
			if (k->args)
				jg_kstrv(g, "args", k->args);
			if (k->env)
				jg_kstrv(g, "env", k->env);
			if (k->timeout > 0)
				jg_kint(g, "timeout", k->timeout);
			yajl_gen_map_close(g);
		}
		yajl_gen_array_close(g);
	}
	yajl_gen_map_close(g);
}
