#define JSON_IMPLEMENTATION
#include "core/json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_parse.h>

#include "core/strv.h"
#include "core/utf8.h"

struct depth_scan {
	unsigned depth, max;
};

static int scan_open(void *ctx)
{
	struct depth_scan *d = ctx;
	return ++d->depth <= d->max; /* 0 cancels the parse */
}

static int scan_close(void *ctx)
{
	struct depth_scan *d = ctx;
	d->depth--;
	return 1;
}

/* Only the structure matters: every scalar callback is left NULL (yajl then skips it). */
static const yajl_callbacks g_scan_callbacks = {
    .yajl_start_map = scan_open,
    .yajl_end_map = scan_close,
    .yajl_start_array = scan_open,
    .yajl_end_array = scan_close,
};

int json_depth_ok(const char *text, unsigned max)
{
	struct depth_scan d = {.depth = 0, .max = max};
	yajl_handle h = yajl_alloc(&g_scan_callbacks, NULL, &d);
	if (!h)
		return -1;
	/* The same lexer settings as yajl_tree_parse, so both see the same structure. */
	yajl_config(h, yajl_allow_comments, 1);
	yajl_status st = yajl_parse(h, (const unsigned char *)text, strlen(text));
	if (st == yajl_status_ok)
		st = yajl_complete_parse(h);
	yajl_free(h);
	if (d.depth > max)
		return 0;
	return st == yajl_status_ok ? 1 : -1;
}

yajl_val json_parse(const char *text, char *err, size_t errlen)
{
	if (json_depth_ok(text, JSON_MAX_DEPTH) == 0) {
		if (err && errlen > 0)
			snprintf(err, errlen, "JSON nested deeper than %d levels (the limit)",
			         JSON_MAX_DEPTH);
		return NULL;
	}
	return yajl_tree_parse(text, err, errlen);
}

yajl_val json_get(yajl_val obj, const char *key)
{
	if (!obj || !YAJL_IS_OBJECT(obj))
		return NULL;
	for (size_t i = 0; i < obj->u.object.len; i++) {
		if (strcmp(obj->u.object.keys[i], key) == 0)
			return obj->u.object.values[i];
	}
	return NULL;
}

const char *json_get_str(yajl_val obj, const char *key)
{
	yajl_val v = json_get(obj, key);
	return v && YAJL_IS_STRING(v) ? YAJL_GET_STRING(v) : NULL;
}

int64_t json_get_int(yajl_val obj, const char *key, int64_t dflt)
{
	yajl_val v = json_get(obj, key);
	if (v && YAJL_IS_INTEGER(v))
		return YAJL_GET_INTEGER(v);
	/* A fraction is cut off; a double no int64 holds (1e30, inf) is of another type. */
	if (v && YAJL_IS_DOUBLE(v) && YAJL_GET_DOUBLE(v) >= -0x1p63 && YAJL_GET_DOUBLE(v) < 0x1p63)
		return (int64_t)YAJL_GET_DOUBLE(v);
	return dflt;
}

bool json_get_bool(yajl_val obj, const char *key, bool dflt)
{
	yajl_val v = json_get(obj, key);
	if (v && YAJL_IS_TRUE(v))
		return true;
	if (v && YAJL_IS_FALSE(v))
		return false;
	return dflt;
}

char **json_get_strv(yajl_val obj, const char *key)
{
	yajl_val v = json_get(obj, key);
	char **out = NULL;
	if (!v)
		return NULL;
	if (YAJL_IS_STRING(v)) {
		strv_push(&out, YAJL_GET_STRING(v));
		return out;
	}
	if (!YAJL_IS_ARRAY(v))
		return NULL;
	out = calloc(1, sizeof(char *));
	for (size_t i = 0; out && i < v->u.array.len; i++) {
		yajl_val e = v->u.array.values[i];
		if (YAJL_IS_STRING(e) && strv_push(&out, YAJL_GET_STRING(e)) < 0) {
			strv_free(out);
			return NULL;
		}
	}
	return out;
}

void jg_strn(yajl_gen g, const char *s, size_t len)
{
	if (!s)
		s = "";
	/* Every reader validates UTF-8: a container-controlled byte must not make a state file
	 * or a reply unreadable, so invalid bytes are written as U+FFFD. */
	if (utf8_valid(s, len)) {
		yajl_gen_string(g, (const unsigned char *)s, len);
		return;
	}
	size_t fixed_len;
	char *fixed = utf8_repair(s, len, &fixed_len);
	if (fixed)
		yajl_gen_string(g, (const unsigned char *)fixed, fixed_len);
	else
		yajl_gen_string(g, (const unsigned char *)"", 0);
	free(fixed);
}

void jg_str(yajl_gen g, const char *s)
{
	jg_strn(g, s, s ? strlen(s) : 0);
}

void jg_key(yajl_gen g, const char *key)
{
	jg_str(g, key);
}

void jg_kstr(yajl_gen g, const char *key, const char *val)
{
	jg_key(g, key);
	jg_str(g, val);
}

void jg_kint(yajl_gen g, const char *key, int64_t val)
{
	jg_key(g, key);
	yajl_gen_integer(g, val);
}

void jg_kbool(yajl_gen g, const char *key, bool val)
{
	jg_key(g, key);
	yajl_gen_bool(g, val);
}

void jg_kstrv(yajl_gen g, const char *key, char *const *v)
{
	jg_key(g, key);
	yajl_gen_array_open(g);
	for (size_t i = 0; v && v[i]; i++)
		jg_str(g, v[i]);
	yajl_gen_array_close(g);
}

void jg_kmap_from_kv(yajl_gen g, const char *key, char *const *kv)
{
	jg_key(g, key);
	yajl_gen_map_open(g);
	for (size_t i = 0; kv && kv[i]; i++) {
		const char *eq = strchr(kv[i], '=');
		size_t klen = eq ? (size_t)(eq - kv[i]) : strlen(kv[i]);
		jg_strn(g, kv[i], klen);
		jg_str(g, eq ? eq + 1 : "");
	}
	yajl_gen_map_close(g);
}

void jg_value(yajl_gen g, yajl_val v)
{
	if (!v) {
		yajl_gen_null(g);
	} else if (YAJL_IS_STRING(v)) {
		jg_str(g, YAJL_GET_STRING(v));
	} else if (YAJL_IS_INTEGER(v)) {
		yajl_gen_integer(g, YAJL_GET_INTEGER(v));
	} else if (YAJL_IS_NUMBER(v)) {
		yajl_gen_number(g, YAJL_GET_NUMBER(v), strlen(YAJL_GET_NUMBER(v)));
	} else if (YAJL_IS_TRUE(v) || YAJL_IS_FALSE(v)) {
		yajl_gen_bool(g, YAJL_IS_TRUE(v));
	} else if (YAJL_IS_OBJECT(v)) {
		yajl_gen_map_open(g);
		for (size_t i = 0; i < v->u.object.len; i++) {
			jg_str(g, v->u.object.keys[i]);
			jg_value(g, v->u.object.values[i]);
		}
		yajl_gen_map_close(g);
	} else if (YAJL_IS_ARRAY(v)) {
		yajl_gen_array_open(g);
		for (size_t i = 0; i < v->u.array.len; i++)
			jg_value(g, v->u.array.values[i]);
		yajl_gen_array_close(g);
	} else {
		yajl_gen_null(g);
	}
}

char *jg_finish(yajl_gen g, size_t *len)
{
	const unsigned char *buf;
	size_t blen;
	char *out = NULL;
	if (yajl_gen_get_buf(g, &buf, &blen) == yajl_gen_status_ok) {
		out = malloc(blen + 1);
		if (out) {
			memcpy(out, buf, blen);
			out[blen] = '\0';
			if (len)
				*len = blen;
		}
	}
	yajl_gen_free(g);
	return out;
}

char *jg_finish_line(yajl_gen g)
{
	size_t len;
	char *json = jg_finish(g, &len);
	char *line = json ? realloc(json, len + 2) : NULL;
	if (!line) {
		free(json);
		return NULL;
	}
	line[len] = '\n';
	line[len + 1] = '\0';
	return line;
}
