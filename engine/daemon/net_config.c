#include "net_config.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "engine/port_spec.h"

enum net_kind net_kind(const char *mode)
{
	if (!mode || !*mode || strcmp(mode, "none") == 0)
		return NET_NONE;
	if (strcmp(mode, "host") == 0)
		return NET_HOST;
	if (strncmp(mode, "container:", 10) == 0)
		return NET_CONTAINER;
	return NET_CNI;
}

void net_config_gen(yajl_gen g, const struct net_config *n)
{
	jg_kstr(g, "NetworkMode", n->mode ? n->mode : "none");
	jg_kstr(g, "IPv4Address", n->ip);
	jg_kstr(g, "MacAddress", n->mac);
	net_ports_gen(g, "PortBindings", n, NULL);
}

void net_ports_gen(yajl_gen g, const char *key, const struct net_config *n, const char *any_ip)
{
	jg_key(g, key);
	yajl_gen_map_open(g);
	for (size_t i = 0; i < n->n_ports; i++) {
		const struct cni_port *p = &n->ports[i];
		char port[32], hp[16];
		snprintf(port, sizeof(port), "%d/%s", p->container_port, p->proto);
		snprintf(hp, sizeof(hp), "%d", p->host_port);
		jg_key(g, port);
		yajl_gen_array_open(g);
		yajl_gen_map_open(g);
		jg_kstr(g, "HostIp", p->host_ip[0] || !any_ip ? p->host_ip : any_ip);
		jg_kstr(g, "HostPort", hp);
		yajl_gen_map_close(g);
		yajl_gen_array_close(g);
	}
	yajl_gen_map_close(g);
}

static char *dup_nonempty(const char *s)
{
	return s && *s ? strdup(s) : NULL;
}

/* PortBindings: {"80/tcp": [{"HostIp": "", "HostPort": "8080"}], ...}. */
static int parse_bindings(yajl_val pb, struct net_config *n, char *err, size_t errlen)
{
	if (!pb || YAJL_IS_NULL(pb))
		return 0;
	if (!YAJL_IS_OBJECT(pb)) {
		snprintf(err, errlen, "PortBindings must be an object");
		return -1;
	}
	for (size_t i = 0; i < pb->u.object.len; i++) {
		yajl_val arr = pb->u.object.values[i];
		for (size_t j = 0; arr && YAJL_IS_ARRAY(arr) && j < arr->u.array.len; j++) {
			const char *hip = json_get_str(arr->u.array.values[j], "HostIp");
			const char *hport = json_get_str(arr->u.array.values[j], "HostPort");
			char spec[160];
			snprintf(spec, sizeof(spec), "%s%s%s:%s", hip && *hip ? hip : "",
			         hip && *hip ? ":" : "", hport ? hport : "", pb->u.object.keys[i]);
			if (!strchr(pb->u.object.keys[i], '/'))
				strncat(spec, "/tcp", sizeof(spec) - strlen(spec) - 1);
			if (n->n_ports >= NET_MAX_PORTS) {
				snprintf(err, errlen, "too many published ports (at most %d)",
				         NET_MAX_PORTS);
				return -1;
			}
			struct cni_port *np = realloc(n->ports, (n->n_ports + 1) * sizeof(*np));
			if (!np)
				return -1;
			n->ports = np;
			if (port_spec_parse(spec, &n->ports[n->n_ports], err, errlen) < 0)
				return -1;
			n->n_ports++;
		}
	}
	return 0;
}

int net_config_parse(yajl_val hostconfig, yajl_val body, struct net_config *n, char *err,
                     size_t errlen)
{
	memset(n, 0, sizeof(*n));
	n->mode = dup_nonempty(json_get_str(hostconfig, "NetworkMode"));
	if (n->mode && strcmp(n->mode, "default") == 0) {
		free(n->mode);
		n->mode = NULL;
	}
	n->ip = dup_nonempty(json_get_str(hostconfig, "IPv4Address"));
	n->mac = dup_nonempty(json_get_str(hostconfig, "MacAddress"));
	const char *mac = json_get_str(body, "MacAddress");
	if (mac && *mac) {
		free(n->mac);
		n->mac = strdup(mac);
	}
	yajl_val eps = json_get(json_get(body, "NetworkingConfig"), "EndpointsConfig");
	for (size_t i = 0; eps && YAJL_IS_OBJECT(eps) && i < eps->u.object.len; i++) {
		yajl_val ep = eps->u.object.values[i];
		const char *ip = json_get_str(json_get(ep, "IPAMConfig"), "IPv4Address");
		if (ip && *ip) {
			free(n->ip);
			n->ip = strdup(ip);
		}
		const char *emac = json_get_str(ep, "MacAddress");
		if (emac && *emac) {
			free(n->mac);
			n->mac = strdup(emac);
		}
	}
	return parse_bindings(json_get(hostconfig, "PortBindings"), n, err, errlen);
}

void net_config_free(struct net_config *n)
{
	free(n->mode);
	free(n->ip);
	free(n->mac);
	free(n->ports);
	memset(n, 0, sizeof(*n));
}
