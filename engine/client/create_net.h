/* create/run's network flags (--net/--network, --ip, --mac-address, -p) as Docker's request
 * fields: HostConfig.NetworkMode and PortBindings, Config.MacAddress and NetworkingConfig. */
#ifndef ENGINE_CLIENT_CREATE_NET_H
#define ENGINE_CLIENT_CREATE_NET_H

#include <stddef.h>
#include <yajl/yajl_gen.h>

#include "core/cli_args.h"

struct create_net_flags {
	size_t net, network, ip, mac, publish; /* option indexes */
};

/* Inside the HostConfig map: NetworkMode and PortBindings. 0, or -1 after printing why. */
int create_gen_net_host(yajl_gen g, struct cli_values *v, const struct create_net_flags *f);
/* At the top level: MacAddress and NetworkingConfig. */
void create_gen_net_endpoint(yajl_gen g, struct cli_values *v, const struct create_net_flags *f);

#endif
