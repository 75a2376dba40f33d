#include "blkio_config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"

void blkio_config_gen(yajl_gen g, const struct blkio_config *b)
{
	for (int k = 0; k < BLKIO_KINDS; k++) {
		jg_key(g, blkio_api_field(k));
		yajl_gen_array_open(g);
		for (size_t i = 0; i < b->n[k]; i++) {
			yajl_gen_map_open(g);
			jg_kstr(g, "Path", b->dev[k][i].path);
			jg_kint(g, blkio_api_value(k), b->dev[k][i].value);
			yajl_gen_map_close(g);
		}
		yajl_gen_array_close(g);
	}
}

static int parse_list(yajl_val arr, enum blkio_kind k, struct blkio_config *b, char *err,
                      size_t errlen)
{
	if (!arr || YAJL_IS_NULL(arr))
		return 0;
	if (!YAJL_IS_ARRAY(arr)) {
		snprintf(err, errlen, "%s must be an array of {\"Path\", \"%s\"}",
		         blkio_api_field(k), blkio_api_value(k));
		return -1;
	}
	b->dev[k] = calloc(arr->u.array.len + 1, sizeof(*b->dev[k]));
	if (!b->dev[k]) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (size_t i = 0; i < arr->u.array.len; i++) {
		yajl_val e = arr->u.array.values[i];
		const char *path = json_get_str(e, "Path");
		int64_t value = json_get_int(e, blkio_api_value(k), -1);
		if (blkio_value_check(k, path, value, err, errlen) < 0)
			return -1;
		struct blkio_device *d = &b->dev[k][b->n[k]];
		d->path = strdup(path);
		d->value = value;
		if (!d->path) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		b->n[k]++;
	}
	return 0;
}

int blkio_config_parse(yajl_val node, struct blkio_config *b, char *err, size_t errlen)
{
	memset(b, 0, sizeof(*b));
	for (int k = 0; k < BLKIO_KINDS; k++) {
		if (parse_list(json_get(node, blkio_api_field(k)), k, b, err, errlen) < 0)
			return -1;
	}
	return 0;
}

void blkio_config_free(struct blkio_config *b)
{
	for (int k = 0; k < BLKIO_KINDS; k++) {
		for (size_t i = 0; i < b->n[k]; i++)
			free(b->dev[k][i].path);
		free(b->dev[k]);
	}
	memset(b, 0, sizeof(*b));
}
