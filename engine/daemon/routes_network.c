/* /networks: list, inspect, create, remove (Docker Engine API v1.41 shapes). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "container_net.h"
#include "core/json.h"
#include "core/strv.h"
#include "engine/list_filter.h"
#include "network.h"
#include "routes.h"
#include "store.h"

static void gen_containers(yajl_gen g, const char *name)
{
	size_t n;
	struct container **all = store_list(&n);
	jg_key(g, "Containers");
	yajl_gen_map_open(g);
	store_lock();
	for (size_t i = 0; i < n; i++) {
		const struct container *c = all[i];
		if (c->removed || !c->net.network || strcmp(c->net.network, name) != 0)
			continue;
		char cidr[64];
		snprintf(cidr, sizeof(cidr), "%s/%d", c->net.ip, c->net.prefix);
		jg_key(g, c->id);
		yajl_gen_map_open(g);
		jg_kstr(g, "Name", c->name);
		jg_kstr(g, "EndpointID", c->id);
		jg_kstr(g, "MacAddress", c->net.mac);
		jg_kstr(g, "IPv4Address", cidr);
		jg_kstr(g, "IPv6Address", "");
		yajl_gen_map_close(g);
	}
	store_unlock();
	store_put_all(all, n);
	yajl_gen_map_close(g);
}

static void gen_network(yajl_gen g, const struct network_info *ni)
{
	yajl_gen_map_open(g);
	jg_kstr(g, "Name", ni->name);
	jg_kstr(g, "Id", ni->id);
	jg_kstr(g, "Created", ni->created ? ni->created : "0001-01-01T00:00:00Z");
	jg_kstr(g, "Scope", "local");
	jg_kstr(g, "Driver", "bridge");
	jg_kbool(g, "EnableIPv6", false);
	jg_key(g, "IPAM");
	yajl_gen_map_open(g);
	jg_kstr(g, "Driver", "default");
	jg_key(g, "Options");
	yajl_gen_null(g);
	jg_key(g, "Config");
	yajl_gen_array_open(g);
	if (ni->subnet) {
		yajl_gen_map_open(g);
		jg_kstr(g, "Subnet", ni->subnet);
		if (ni->gateway)
			jg_kstr(g, "Gateway", ni->gateway);
		yajl_gen_map_close(g);
	}
	yajl_gen_array_close(g);
	yajl_gen_map_close(g);
	jg_kbool(g, "Internal", ni->internal);
	jg_kbool(g, "Attachable", false);
	jg_kbool(g, "Ingress", false);
	jg_key(g, "ConfigFrom");
	yajl_gen_map_open(g);
	jg_kstr(g, "Network", "");
	yajl_gen_map_close(g);
	jg_kbool(g, "ConfigOnly", false);
	gen_containers(g, ni->name);
	jg_key(g, "Options");
	yajl_gen_map_open(g);
	if (ni->bridge)
		jg_kstr(g, "com.docker.network.bridge.name", ni->bridge);
	yajl_gen_map_close(g);
	jg_kmap_from_kv(g, "Labels", ni->labels);
	yajl_gen_map_close(g);
}

static bool match_name(const void *item, const char *want)
{
	const struct network_info *ni = item;
	return strstr(ni->name, want) != NULL;
}

static bool match_id(const void *item, const char *want)
{
	const struct network_info *ni = item;
	return strncmp(ni->id, want, strlen(want)) == 0;
}

static bool match_driver(const void *item, const char *want)
{
	return strcmp(want, "bridge") == 0;
}

static bool match_label(const void *item, const char *want)
{
	const struct network_info *ni = item;
	return route_label_match(ni->labels, want);
}

void route_network_list(const struct request *req, struct response *resp)
{
	static const char *const known[] = {"name", "id", "driver", "label", "type", NULL};
	bool ok;
	yajl_val f = route_filters(req, resp, known, &ok);
	if (!ok)
		return;
	char **names = network_names();
	yajl_gen g = yajl_gen_alloc(NULL);
	yajl_gen_array_open(g);
	for (size_t i = 0; names && names[i]; i++) {
		struct network_info ni;
		struct error e;
		if (network_get(names[i], NULL, &ni, &e) < 0)
			continue;
		if (list_filter_any(f, "name", match_name, &ni) &&
		    list_filter_any(f, "id", match_id, &ni) &&
		    list_filter_any(f, "driver", match_driver, &ni) &&
		    list_filter_any(f, "label", match_label, &ni))
			gen_network(g, &ni);
		network_info_free(&ni);
	}
	yajl_gen_array_close(g);
	strv_free(names);
	if (f)
		yajl_tree_free(f);
	resp_json(resp, 200, jg_finish(g, NULL));
}

void route_network_inspect(const struct request *req, struct response *resp)
{
	struct network_info ni;
	struct error e;
	if (network_get(req->param, NULL, &ni, &e) < 0) {
		resp_error_from(resp, &e);
		return;
	}
	yajl_gen g = yajl_gen_alloc(NULL);
	gen_network(g, &ni);
	network_info_free(&ni);
	resp_json(resp, 200, jg_finish(g, NULL));
}

void route_network_create(const struct request *req, struct response *resp)
{
	yajl_val body = route_json_object(req, resp);
	if (!body)
		return;
	yajl_val ipam = json_get(body, "IPAM");
	yajl_val cfgs = json_get(ipam, "Config");
	yajl_val first =
	    cfgs && YAJL_IS_ARRAY(cfgs) && cfgs->u.array.len > 0 ? cfgs->u.array.values[0] : NULL;
	char **labels = NULL;
	yajl_val lab = json_get(body, "Labels");
	for (size_t i = 0; lab && YAJL_IS_OBJECT(lab) && i < lab->u.object.len; i++) {
		yajl_val v = lab->u.object.values[i];
		strv_pushf(&labels, "%s=%s", lab->u.object.keys[i],
		           YAJL_IS_STRING(v) ? YAJL_GET_STRING(v) : "");
	}
	struct error e = {0};
	const char *subnet = json_get_str(first, "Subnet");
	const char *gateway = json_get_str(first, "Gateway");
	struct network_request rq = {
	    .name = json_get_str(body, "Name"),
	    .driver = json_get_str(body, "Driver"),
	    .subnet = subnet && *subnet ? subnet : NULL,
	    .gateway = gateway && *gateway ? gateway : NULL,
	    .internal = json_get_bool(body, "Internal", false),
	    .labels = labels,
	};
	struct network_info ni;
	if (cfgs && YAJL_IS_ARRAY(cfgs) && cfgs->u.array.len > 1)
		error_set(&e, ERR_INVALID, "only one IPAM config (one subnet) is supported");
	else if (ipam && json_get_str(ipam, "Driver") && *json_get_str(ipam, "Driver") &&
	         strcmp(json_get_str(ipam, "Driver"), "default") != 0)
		error_set(&e, ERR_INVALID, "invalid IPAM driver %s: only default is supported",
		          json_get_str(ipam, "Driver"));
	else if (json_get_bool(body, "EnableIPv6", false))
		error_set(&e, ERR_INVALID, "IPv6 networks are not supported");
	if (e.code == 0 && network_create(&rq, &ni, &e) == 0) {
		yajl_gen g = yajl_gen_alloc(NULL);
		yajl_gen_map_open(g);
		jg_kstr(g, "Id", ni.id);
		jg_kstr(g, "Warning", "");
		yajl_gen_map_close(g);
		network_info_free(&ni);
		resp_json(resp, 201, jg_finish(g, NULL));
	} else {
		resp_error_from(resp, &e);
	}
	strv_free(labels);
	yajl_tree_free(body);
}

void route_network_delete(const struct request *req, struct response *resp)
{
	struct network_info ni;
	struct error e;
	if (network_get(req->param, NULL, &ni, &e) < 0) {
		resp_error_from(resp, &e);
		return;
	}
	char who[256];
	if (strcmp(ni.name, DEFAULT_NETWORK) == 0)
		error_set(&e, ERR_FORBIDDEN,
		          "%s is a pre-defined network and cannot be removed (daemon.json "
		          "\"bridge\": \"none\" turns it off)",
		          ni.name);
	else if (container_net_in_use(ni.name, who, sizeof(who)))
		error_set(&e, ERR_CONFLICT,
		          "error while removing network: network %s id %s has active endpoints "
		          "(container %s)",
		          ni.name, ni.id, who);
	else if (network_remove(ni.name, &e) == 0)
		e.code = ERR_NONE;
	if (e.code == ERR_NONE)
		resp_empty(resp, 204);
	else
		resp_error_from(resp, &e);
	network_info_free(&ni);
}
