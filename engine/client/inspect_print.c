/* How `isula inspect -f` prints decoded JSON values: as Go's encoding/json writes them for
 * {{json}}, and as Go's fmt (%v) prints them for a plain action. */
#include "inspect_print.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/json_text.h"

/* Integral numbers as integers (as Docker's typed fields print); others in the shortest form
 * that reads back to the same double. */
static void put_number(struct strbuf *b, yajl_val n)
{
	char tmp[64];
	double d = n->u.number.d;
	int prec;

	if (n->u.number.flags & YAJL_NUMBER_INT_VALID) {
		snprintf(tmp, sizeof(tmp), "%lld", n->u.number.i);
	} else if (!(n->u.number.flags & YAJL_NUMBER_DOUBLE_VALID)) {
		strbuf_puts(b, n->u.number.r);
		return;
	} else if (d > -9e18 && d < 9e18 && d == (double)(long long)d) {
		snprintf(tmp, sizeof(tmp), "%lld", (long long)d);
	} else {
		for (prec = 1; prec <= 17; prec++) {
			snprintf(tmp, sizeof(tmp), "%.*g", prec, d);
			if (strtod(tmp, NULL) == d)
				break;
		}
	}
	strbuf_puts(b, tmp);
}

void inspect_print_json_string(struct strbuf *b, const char *s)
{
	json_text_string(b, s, JSON_TEXT_ESCAPE_LINE_SEPARATORS);
}

void inspect_print_json(struct strbuf *b, yajl_val v)
{
	size_t i;

	if (v == NULL) {
		strbuf_puts(b, "null");
		return;
	}
	switch (v->type) {
	case yajl_t_string:
		inspect_print_json_string(b, v->u.string);
		break;
	case yajl_t_number:
		put_number(b, v);
		break;
	case yajl_t_object:
		strbuf_putc(b, '{');
		for (i = 0; i < v->u.object.len; i++) {
			if (i > 0)
				strbuf_putc(b, ',');
			inspect_print_json_string(b, v->u.object.keys[i]);
			strbuf_putc(b, ':');
			inspect_print_json(b, v->u.object.values[i]);
		}
		strbuf_putc(b, '}');
		break;
	case yajl_t_array:
		strbuf_putc(b, '[');
		for (i = 0; i < v->u.array.len; i++) {
			if (i > 0)
				strbuf_putc(b, ',');
			inspect_print_json(b, v->u.array.values[i]);
		}
		strbuf_putc(b, ']');
		break;
	case yajl_t_true:
		strbuf_puts(b, "true");
		break;
	case yajl_t_false:
		strbuf_puts(b, "false");
		break;
	default:
		strbuf_puts(b, "null");
	}
}

struct keyval {
	const char *key;
	yajl_val val;
};

static int keyval_cmp(const void *a, const void *b)
{
	return strcmp(((const struct keyval *)a)->key, ((const struct keyval *)b)->key);
}

/* Go's fmt prints maps with sorted keys: map[a:1 b:2]. */
static void put_plain_map(struct strbuf *b, yajl_val v)
{
	size_t n = v->u.object.len;
	struct keyval *kv = calloc(n ? n : 1, sizeof(*kv));
	size_t i;

	if (kv == NULL) {
		b->failed = true;
		return;
	}
	for (i = 0; i < n; i++)
		kv[i] = (struct keyval){v->u.object.keys[i], v->u.object.values[i]};
	qsort(kv, n, sizeof(*kv), keyval_cmp);
	strbuf_puts(b, "map[");
	for (i = 0; i < n; i++) {
		if (i > 0)
			strbuf_putc(b, ' ');
		strbuf_puts(b, kv[i].key);
		strbuf_putc(b, ':');
		inspect_print_plain(b, kv[i].val);
	}
	strbuf_putc(b, ']');
	free(kv);
}

/* Go's %v of a decoded JSON value. */
void inspect_print_plain(struct strbuf *b, yajl_val v)
{
	size_t i;

	if (v == NULL || v->type == yajl_t_null) {
		strbuf_puts(b, "<nil>");
		return;
	}
	switch (v->type) {
	case yajl_t_string:
		strbuf_puts(b, v->u.string);
		break;
	case yajl_t_number:
		put_number(b, v);
		break;
	case yajl_t_object:
		put_plain_map(b, v);
		break;
	case yajl_t_array:
		strbuf_putc(b, '[');
		for (i = 0; i < v->u.array.len; i++) {
			if (i > 0)
				strbuf_putc(b, ' ');
			inspect_print_plain(b, v->u.array.values[i]);
		}
		strbuf_putc(b, ']');
		break;
	default:
		strbuf_puts(b, v->type == yajl_t_true ? "true" : "false");
	}
}
