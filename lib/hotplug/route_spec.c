/* Route rules: parsing, checks, matching and listing (see route.h). */
#include "core/utf8.h"
#include "hotplug/route.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <yajl/yajl_gen.h>

#include "core/json.h"
#include "hotplug/list_json.h"
#include "host/inet_addr.h"
#include "hotplug/nic.h"

void hp_routes_free(struct hp_route *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		hp_route_free(&v[i]);
	free(v);
}

/* Fills r from the object o; what prefixes the errors ("malformed rule format"). */
static int route_from_object(yajl_val o, struct hp_route *r, const char *what, struct error *e)
{
	memset(r, 0, sizeof(*r));
	if (!YAJL_IS_OBJECT(o))
		return error_set(e, ERR_INVALID,
		                 "%s: expected an object {\"dest\",\"src\",\"gw\","
		                 "\"dev\"}",
		                 what);
	static const char *const keys[] = {"dest", "src", "gw", "dev"};
	char **fields[] = {&r->dest, &r->src, &r->gw, &r->dev};
	for (size_t i = 0; i < o->u.object.len; i++) {
		const char *k = o->u.object.keys[i];
		yajl_val v = o->u.object.values[i];
		size_t j = 0;
		while (j < 4 && strcasecmp(k, keys[j]) != 0)
			j++;
		int ret = 0;
		if (j == 4)
			ret = error_set(e, ERR_INVALID,
			                "%s: unknown key \"%.64s\" (expected dest, src, gw or dev)",
			                what, k);
		else if (!YAJL_IS_STRING(v) && !YAJL_IS_NULL(v))
			ret =
			    error_set(e, ERR_INVALID, "%s: \"%s\" is not a string", what, keys[j]);
		const char *s = ret == 0 && YAJL_IS_STRING(v) ? YAJL_GET_STRING(v) : "";
		size_t len = strlen(s);
		if (ret == 0 && len > HP_ROUTE_FIELD_MAX)
			ret = error_set(e, ERR_INVALID, "%s: \"%s\" is longer than %d bytes", what,
			                keys[j], HP_ROUTE_FIELD_MAX);
		if (ret == 0 && str_has_control(s))
			ret = error_set(e, ERR_INVALID, "%s: \"%s\" holds a control character",
			                what, keys[j]);
		if (ret == 0 && len) {
			free(*fields[j]);
			if (!(*fields[j] = strdup(s)))
				ret = error_set(e, ERR_INTERNAL, "out of memory");
		}
		if (ret < 0) {
			hp_route_free(r);
			return -1;
		}
	}
	return 0;
}

int hp_routes_parse(const char *text, size_t len, struct hp_route **out, size_t *n, struct error *e)
{
	*out = NULL;
	*n = 0;
	if (!text || len == 0)
		return error_set(e, ERR_INVALID, "rule can't be empty");
	if (len > HP_ROUTE_TEXT_MAX)
		return error_set(e, ERR_INVALID, "malformed rule format: longer than %d bytes",
		                 HP_ROUTE_TEXT_MAX);
	if (memchr(text, '\0', len))
		return error_set(e, ERR_INVALID, "malformed rule format: a NUL byte in the text");
	char *buf = strndup(text, len);
	if (!buf)
		return error_set(e, ERR_INTERNAL, "out of memory");
	char perr[256];
	yajl_val v = json_parse(buf, perr, sizeof(perr));
	free(buf);
	if (!v)
		return error_set(e, ERR_INVALID, "malformed rule format: %s", perr);
	int ret = 0;
	if (!YAJL_IS_ARRAY(v))
		ret = error_set(e, ERR_INVALID,
		                "malformed rule format: expected a JSON array of "
		                "{\"dest\",\"src\",\"gw\",\"dev\"} objects");
	else if (v->u.array.len == 0)
		ret = error_set(e, ERR_INVALID, "rule can't be empty");
	else if (v->u.array.len > HOTPLUG_MAX_ROUTES)
		ret = error_set(e, ERR_INVALID, "malformed rule format: more than %d rules",
		                HOTPLUG_MAX_ROUTES);
	else if (!(*out = calloc(v->u.array.len, sizeof(**out))))
		ret = error_set(e, ERR_INTERNAL, "out of memory");
	for (size_t i = 0; ret == 0 && i < v->u.array.len; i++) {
		ret =
		    route_from_object(v->u.array.values[i], &(*out)[i], "malformed rule format", e);
		if (ret == 0)
			(*n)++;
	}
	yajl_tree_free(v);
	if (ret < 0) {
		hp_routes_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	return ret;
}

int hp_route_filter_parse(const char *text, struct hp_route *f, struct error *e)
{
	memset(f, 0, sizeof(*f));
	char perr[256];
	if (strlen(text) > HP_ROUTE_TEXT_MAX)
		return error_set(e, ERR_INVALID, "malformed filter format: longer than %d bytes",
		                 HP_ROUTE_TEXT_MAX);
	yajl_val v = json_parse(text, perr, sizeof(perr));
	if (!v)
		return error_set(e, ERR_INVALID, "malformed filter format: %s", perr);
	int ret = route_from_object(v, f, "malformed filter format", e);
	yajl_tree_free(v);
	return ret;
}

static bool is_default(const char *dest)
{
	return !dest || !*dest || strcmp(dest, "default") == 0;
}

int hp_route_validate(const struct hp_route *r, struct error *e)
{
	struct inet_prefix p;
	int family = 0;
	if (!(r->src && *r->src) && !(r->gw && *r->gw) && !(r->dev && *r->dev))
		return error_set(e, ERR_INVALID, "src or gw or dev name is required");
	if (!is_default(r->dest)) {
		if (inet_prefix_parse(r->dest, &p) < 0)
			return error_set(e, ERR_INVALID,
			                 "failed to parse dest \"%s\" of route rule", r->dest);
		family = p.family;
	}
	const char *names[] = {"src", "gw"};
	const char *vals[] = {r->src, r->gw};
	for (int i = 0; i < 2; i++) {
		if (!vals[i] || !*vals[i])
			continue;
		if (inet_addr_parse(vals[i], &p) < 0)
			return error_set(e, ERR_INVALID, "failed to parse %s \"%s\" of route rule",
			                 names[i], vals[i]);
		if (family && p.family != family)
			return error_set(e, ERR_INVALID,
			                 "route rule mixes IPv4 and IPv6 addresses (%s \"%s\")",
			                 names[i], vals[i]);
		family = p.family;
	}
	if (r->dev && *r->dev && !hp_ifname_valid(r->dev))
		return error_set(e, ERR_INVALID, "invalid dev \"%s\" of route rule", r->dev);
	return 0;
}

static bool field_match(const char *q, const char *v)
{
	return !q || !*q || (v && strcmp(q, v) == 0);
}

bool hp_route_match(const struct hp_route *q, const struct hp_route *r)
{
	bool dest = !q->dest || !*q->dest ||
	            (is_default(q->dest) ? is_default(r->dest) : field_match(q->dest, r->dest));
	return dest && field_match(q->src, r->src) && field_match(q->gw, r->gw) &&
	       field_match(q->dev, r->dev);
}

static const char *s(const char *v)
{
	return v ? v : "";
}

const char *hp_route_str(const struct hp_route *r, char *buf, size_t len)
{
	snprintf(buf, len, "{dest:%s,src:%s,gw:%s,dev:%s}", s(r->dest), s(r->src), s(r->gw),
	         s(r->dev));
	return buf;
}

char *hp_route_list_render(const struct hotplug_record *r, const struct hp_route *f, bool pretty)
{
	yajl_gen g = hp_list_begin(pretty);
	if (!g)
		return NULL;
	size_t shown = 0;
	for (size_t i = 0; i < r->n_routes; i++) {
		const struct hp_route *t = &r->routes[i];
		if (f && !hp_route_match(f, t))
			continue;
		shown++;
		yajl_gen_map_open(g);
		jg_kstr(g, "dest", s(t->dest));
		jg_kstr(g, "src", s(t->src));
		jg_kstr(g, "gw", s(t->gw));
		jg_kstr(g, "dev", s(t->dev));
		yajl_gen_map_close(g);
	}
	return hp_list_end(g, shown);
}
