#include "create_net.h"

#include <stdio.h>
#include <string.h>

#include "core/json.h"
#include "engine/port_spec.h"

static const char *net_mode(struct cli_values *v, const struct create_net_flags *f)
{
	const char *m = cli_string(v, f->network);
	return m ? m : cli_string(v, f->net);
}

int create_gen_net_host(yajl_gen g, struct cli_values *v, const struct create_net_flags *f)
{
	const char *mode = net_mode(v, f);
	if (mode && !*mode) {
		fprintf(stderr, "Invalid --net \"\": expected none, host, container:NAME or a "
		                "network name\n");
		return -1;
	}
	if (mode)
		jg_kstr(g, "NetworkMode", mode);
	size_t n = cli_list_len(v, f->publish);
	if (n == 0)
		return 0;
	jg_key(g, "PortBindings");
	yajl_gen_map_open(g);
	for (size_t i = 0; i < n; i++) {
		struct cni_port p;
		char err[256], key[32], hp[16];
		if (port_spec_parse(cli_list_at(v, f->publish, i), &p, err, sizeof(err)) < 0) {
			fprintf(stderr, "%s\n", err);
			return -1;
		}
		snprintf(key, sizeof(key), "%d/%s", p.container_port, p.proto);
		snprintf(hp, sizeof(hp), "%d", p.host_port);
		jg_key(g, key);
		yajl_gen_array_open(g);
		yajl_gen_map_open(g);
		jg_kstr(g, "HostIp", p.host_ip);
		jg_kstr(g, "HostPort", hp);
		yajl_gen_map_close(g);
		yajl_gen_array_close(g);
	}
	yajl_gen_map_close(g);
	return 0;
}

void create_gen_net_endpoint(yajl_gen g, struct cli_values *v, const struct create_net_flags *f)
{
	const char *mac = cli_string(v, f->mac), *ip = cli_string(v, f->ip);
	if (mac)
		jg_kstr(g, "MacAddress", mac);
	if (!ip)
		return;
	const char *mode = net_mode(v, f);
	jg_key(g, "NetworkingConfig");
	yajl_gen_map_open(g);
	jg_key(g, "EndpointsConfig");
	yajl_gen_map_open(g);
	jg_key(g, mode ? mode : "bridge");
	yajl_gen_map_open(g);
	jg_key(g, "IPAMConfig");
	yajl_gen_map_open(g);
	jg_kstr(g, "IPv4Address", ip);
	yajl_gen_map_close(g);
	yajl_gen_map_close(g);
	yajl_gen_map_close(g);
	yajl_gen_map_close(g);
}
