/* List filters; see list_filter.h. */
#include "engine/list_filter.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "core/strbuf.h"

char *list_filters_from_flags(char *const *flags, size_t n, char *err, size_t errlen)
{
	for (size_t i = 0; i < n; i++) {
		const char *eq = strchr(flags[i], '=');
		if (!eq || eq == flags[i]) {
			snprintf(err, errlen, "Bad format of filter \"%s\" (expected name=value)",
			         flags[i]);
			return NULL;
		}
	}
	bool *used = calloc(n + 1, sizeof(bool));
	yajl_gen g = used ? yajl_gen_alloc(NULL) : NULL;
	if (!g) {
		free(used);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	yajl_gen_map_open(g);
	for (size_t i = 0; i < n; i++) {
		if (used[i])
			continue;
		size_t klen = (size_t)(strchr(flags[i], '=') - flags[i]);
		jg_strn(g, flags[i], klen);
		yajl_gen_array_open(g);
		for (size_t j = i; j < n; j++) {
			if (strncmp(flags[j], flags[i], klen + 1) == 0) {
				jg_str(g, flags[j] + klen + 1);
				used[j] = true;
			}
		}
		yajl_gen_array_close(g);
	}
	free(used);
	yajl_gen_map_close(g);
	char *out = jg_finish(g, NULL);
	if (!out)
		snprintf(err, errlen, "out of memory");
	return out;
}

yajl_val list_filters_parse(const char *text, const char *const *known, char *err, size_t errlen)
{
	yajl_val f = json_parse(text, err, errlen);
	if (!f)
		return NULL;
	if (!YAJL_IS_OBJECT(f)) {
		snprintf(err, errlen, "filters must be a JSON object");
		yajl_tree_free(f);
		return NULL;
	}
	for (size_t i = 0; i < f->u.object.len; i++) {
		size_t k = 0;
		while (known[k] && strcmp(known[k], f->u.object.keys[i]) != 0)
			k++;
		if (known[k])
			continue;
		struct strbuf allowed = {0};
		for (k = 0; known[k]; k++)
			strbuf_printf(&allowed, "%s%s", k ? ", " : "", known[k]);
		char *a = strbuf_take(&allowed);
		snprintf(err, errlen, "Invalid filter '%s': allowed are %s", f->u.object.keys[i],
		         a ? a : "");
		free(a);
		yajl_tree_free(f);
		return NULL;
	}
	return f;
}

bool list_filter_any(yajl_val f, const char *key, bool (*pred)(const void *item, const char *want),
                     const void *item)
{
	yajl_val v = json_get(f, key);
	if (!v || YAJL_IS_NULL(v))
		return true;
	if (YAJL_IS_STRING(v))
		return pred(item, YAJL_GET_STRING(v));
	if (YAJL_IS_OBJECT(v)) {
		for (size_t i = 0; i < v->u.object.len; i++) {
			if (pred(item, v->u.object.keys[i]))
				return true;
		}
		return v->u.object.len == 0;
	}
	if (YAJL_IS_ARRAY(v)) {
		for (size_t i = 0; i < v->u.array.len; i++) {
			yajl_val s = v->u.array.values[i];
			if (YAJL_IS_STRING(s) && pred(item, YAJL_GET_STRING(s)))
				return true;
		}
		return v->u.array.len == 0;
	}
	return false;
}
