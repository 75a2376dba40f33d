#include "event_line.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/json.h"
#include "core/timeutil.h"

struct kv {
	const char *k, *v;
};

static int cmp_kv(const void *a, const void *b)
{
	return strcmp(((const struct kv *)a)->k, ((const struct kv *)b)->k);
}

static void append(char **buf, size_t *len, size_t *cap, const char *s)
{
	size_t n = strlen(s);
	if (!*buf || *len + n + 1 > *cap) {
		size_t ncap = (*cap + n + 1) * 2;
		char *nb = realloc(*buf, ncap);
		if (!nb)
			return;
		*buf = nb;
		*cap = ncap;
	}
	memcpy(*buf + *len, s, n + 1);
	*len += n;
}

char *event_format_line(yajl_val ev)
{
	if (!ev || !YAJL_IS_OBJECT(ev))
		return NULL;
	struct timespec ts = {0};
	int64_t nano = json_get_int(ev, "timeNano", 0);
	if (nano > 0) {
		ts.tv_sec = (time_t)(nano / 1000000000);
		ts.tv_nsec = (long)(nano % 1000000000);
	} else {
		ts.tv_sec = (time_t)json_get_int(ev, "time", 0);
	}
	char when[64];
	time_format_rfc3339(&ts, when, sizeof(when));
	const char *type = json_get_str(ev, "Type");
	const char *action = json_get_str(ev, "Action");
	yajl_val actor = json_get(ev, "Actor");
	const char *id = json_get_str(actor, "ID");
	if (!type)
		type = "container";
	if (!action)
		action = json_get_str(ev, "status");
	if (!id)
		id = json_get_str(ev, "id");
	char *buf = NULL;
	size_t len = 0, cap = 0;
	append(&buf, &len, &cap, when);
	const char *parts[] = {type, action ? action : "", id ? id : ""};
	for (size_t i = 0; i < 3; i++) {
		append(&buf, &len, &cap, " ");
		append(&buf, &len, &cap, parts[i]);
	}
	yajl_val attrs = json_get(actor, "Attributes");
	size_t n = attrs && YAJL_IS_OBJECT(attrs) ? attrs->u.object.len : 0;
	struct kv *v = n ? calloc(n, sizeof(*v)) : NULL;
	size_t used = 0;
	for (size_t i = 0; v && i < n; i++) {
		yajl_val val = attrs->u.object.values[i];
		if (!YAJL_IS_STRING(val))
			continue;
		v[used].k = attrs->u.object.keys[i];
		v[used].v = YAJL_GET_STRING(val);
		used++;
	}
	if (used) {
		qsort(v, used, sizeof(*v), cmp_kv);
		append(&buf, &len, &cap, " (");
		for (size_t i = 0; i < used; i++) {
			if (i)
				append(&buf, &len, &cap, ", ");
			append(&buf, &len, &cap, v[i].k);
			append(&buf, &len, &cap, "=");
			append(&buf, &len, &cap, v[i].v);
		}
		append(&buf, &len, &cap, ")");
	}
	free(v);
	return buf;
}
