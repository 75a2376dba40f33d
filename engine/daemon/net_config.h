/* A container's network settings in its HostConfig: NetworkMode (none, host, container:X or
 * a network name), the address and MAC asked for (the API's NetworkingConfig.EndpointsConfig
 * .NAME.IPAMConfig.IPv4Address and Config.MacAddress; kept in hostconfig.json as IPv4Address
 * and MacAddress) and the published ports (PortBindings). */
#ifndef ENGINE_NET_CONFIG_H
#define ENGINE_NET_CONFIG_H

#include <stddef.h>
#include <yajl/yajl_gen.h>
#include <yajl/yajl_tree.h>

#include "engine/cni_conf.h"

#define NET_MAX_PORTS 256

struct net_config {
	char *mode; /* NULL until create resolves the default */
	char *ip, *mac;
	struct cni_port *ports;
	size_t n_ports;
};

void net_config_gen(yajl_gen g, const struct net_config *n);
/* "KEY": {"80/tcp": [{"HostIp", "HostPort"}], ...} of n's ports; an empty HostIp is any_ip
 * when it is given (inspect's Ports says "0.0.0.0"). */
void net_ports_gen(yajl_gen g, const char *key, const struct net_config *n, const char *any_ip);
/* From a HostConfig (and, for an API request, the whole body: NetworkingConfig and
 * Config.MacAddress win). 0, or -1 with err naming the bad value. */
int net_config_parse(yajl_val hostconfig, yajl_val body, struct net_config *n, char *err,
                     size_t errlen);
void net_config_free(struct net_config *n);
/* The mode's kind. */
enum net_kind { NET_NONE, NET_HOST, NET_CONTAINER, NET_CNI };
enum net_kind net_kind(const char *mode);

#endif
