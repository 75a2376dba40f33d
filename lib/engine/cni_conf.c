#include "engine/cni_conf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"

bool cni_name_ok(const char *name)
{
	size_t len = name ? strlen(name) : 0;
	if (len == 0 || len > CNI_NAME_MAX)
		return false;
	for (size_t i = 0; i < len; i++) {
		char c = name[i];
		bool alnum =
		    (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
		if (!alnum && (i == 0 || (c != '_' && c != '.' && c != '-')))
			return false;
	}
	return true;
}

/* A plugin type names a file in a bin dir: no '/', no leading '.'. */
static bool plugin_type_ok(const char *t)
{
	size_t len = t ? strlen(t) : 0;
	if (len == 0 || len > 64 || t[0] == '.')
		return false;
	return strspn(t, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") ==
	       len;
}

int cni_conflist_parse(const char *text, struct cni_conflist *l, char *err, size_t errlen)
{
	memset(l, 0, sizeof(*l));
	char perr[256] = "";
	l->root = json_parse(text, perr, sizeof(perr));
	if (!l->root || !YAJL_IS_OBJECT(l->root)) {
		snprintf(err, errlen, "not a JSON object%s%s", perr[0] ? ": " : "", perr);
		goto fail;
	}
	l->name = json_get_str(l->root, "name");
	l->version = json_get_str(l->root, "cniVersion");
	yajl_val plugins = json_get(l->root, "plugins");
	if (!cni_name_ok(l->name)) {
		snprintf(err, errlen, "invalid network name: expected [a-zA-Z0-9][a-zA-Z0-9_.-]*");
		goto fail;
	}
	if (!l->version || !*l->version || strlen(l->version) > 16) {
		snprintf(err, errlen, "missing cniVersion");
		goto fail;
	}
	if (!plugins || !YAJL_IS_ARRAY(plugins) || plugins->u.array.len == 0 ||
	    plugins->u.array.len > 16) {
		snprintf(err, errlen, "\"plugins\" must be a list of 1 to 16 plugins");
		goto fail;
	}
	l->plugins = plugins->u.array.values;
	l->n = plugins->u.array.len;
	for (size_t i = 0; i < l->n; i++) {
		const char *type = json_get_str(l->plugins[i], "type");
		if (!YAJL_IS_OBJECT(l->plugins[i]) || !plugin_type_ok(type)) {
			snprintf(err, errlen, "plugin %zu: missing or invalid \"type\"", i);
			goto fail;
		}
	}
	return 0;
fail:
	cni_conflist_free(l);
	return -1;
}

void cni_conflist_free(struct cni_conflist *l)
{
	if (l->root)
		yajl_tree_free(l->root);
	memset(l, 0, sizeof(*l));
}

static bool has_capability(yajl_val plugin, const char *cap)
{
	return json_get_bool(json_get(plugin, "capabilities"), cap, false);
}

static void gen_ports(yajl_gen g, const struct cni_runtime *rt)
{
	jg_key(g, "runtimeConfig");
	yajl_gen_map_open(g);
	jg_key(g, "portMappings");
	yajl_gen_array_open(g);
	for (size_t i = 0; i < rt->n_ports; i++) {
		const struct cni_port *p = &rt->ports[i];
		yajl_gen_map_open(g);
		jg_kint(g, "hostPort", p->host_port);
		jg_kint(g, "containerPort", p->container_port);
		jg_kstr(g, "protocol", p->proto);
		if (p->host_ip[0])
			jg_kstr(g, "hostIP", p->host_ip);
		yajl_gen_map_close(g);
	}
	yajl_gen_array_close(g);
	yajl_gen_map_close(g);
}

char *cni_plugin_stdin(const struct cni_conflist *l, size_t i, const char *prev_result,
                       const struct cni_runtime *rt)
{
	yajl_val prev = NULL;
	if (prev_result && *prev_result) {
		prev = json_parse(prev_result, NULL, 0);
		if (!prev)
			return NULL;
	}
	yajl_val p = l->plugins[i];
	yajl_gen g = yajl_gen_alloc(NULL);
	if (!g) {
		if (prev)
			yajl_tree_free(prev);
		return NULL;
	}
	yajl_gen_map_open(g);
	jg_kstr(g, "cniVersion", l->version);
	jg_kstr(g, "name", l->name);
	static const char *const ours[] = {"cniVersion", "name", "prevResult", "runtimeConfig",
	                                   "args"};
	for (size_t k = 0; k < p->u.object.len; k++) {
		bool skip = false;
		for (size_t j = 0; j < sizeof(ours) / sizeof(ours[0]); j++)
			skip = skip || strcmp(p->u.object.keys[k], ours[j]) == 0;
		if (skip)
			continue;
		jg_key(g, p->u.object.keys[k]);
		jg_value(g, p->u.object.values[k]);
	}
	if (prev) {
		jg_key(g, "prevResult");
		jg_value(g, prev);
	}
	if (rt && rt->n_ports > 0 && has_capability(p, "portMappings"))
		gen_ports(g, rt);
	if (rt && (rt->ip || rt->mac)) {
		jg_key(g, "args");
		yajl_gen_map_open(g);
		jg_key(g, "cni");
		yajl_gen_map_open(g);
		if (rt->ip) {
			jg_key(g, "ips");
			yajl_gen_array_open(g);
			jg_str(g, rt->ip);
			yajl_gen_array_close(g);
		}
		if (rt->mac)
			jg_kstr(g, "mac", rt->mac);
		yajl_gen_map_close(g);
		yajl_gen_map_close(g);
	}
	yajl_gen_map_close(g);
	if (prev)
		yajl_tree_free(prev);
	return jg_finish(g, NULL);
}
