/* Routes applied in a running container's network namespace (see route.h). */
#include "hotplug/route.h"

#include <string.h>
#include <sys/socket.h>

#include "host/inet_addr.h"
#include "host/netlink_link.h"
#include "host/netlink_route.h"

/* The netlink form of r (checked by hp_route_validate); the addresses live in src and gw. */
static int to_netlink(struct hp_net *net, const struct hp_route *r, struct netlink_route *nr,
                      struct inet_prefix *src, struct inet_prefix *gw, struct error *e)
{
	memset(nr, 0, sizeof(*nr));
	if (hp_route_validate(r, e) < 0)
		return -1;
	int family = 0;
	if (r->src && *r->src && inet_addr_parse(r->src, src) == 0) {
		nr->src = src;
		family = src->family;
	}
	if (r->gw && *r->gw && inet_addr_parse(r->gw, gw) == 0) {
		nr->gw = gw;
		family = gw->family;
	}
	if (r->dest && *r->dest && strcmp(r->dest, "default") != 0) {
		inet_prefix_parse(r->dest, &nr->dst);
		inet_prefix_mask(
		    &nr->dst); /* 172.17.28.5/24 is 172.17.28.0/24, as Go's ParseCIDR */
	} else {
		nr->dst.family = family ? family : AF_INET;
		nr->dst.len = 0;
	}
	if (r->dev && *r->dev) {
		char err[256];
		int idx = netlink_link_index(net->ctr, r->dev, err, sizeof(err));
		if (idx <= 0)
			return error_set(e, ERR_NOT_FOUND, "failed to get link by name %s: %s",
			                 r->dev, idx < 0 ? err : "Link not found");
		nr->ifindex = idx;
	}
	return 0;
}

int hp_route_apply(struct hp_net *net, const struct hp_route *r, struct error *e)
{
	struct netlink_route nr;
	struct inet_prefix src, gw;
	char err[256], buf[256];
	if (to_netlink(net, r, &nr, &src, &gw, e) < 0)
		return -1;
	if (netlink_route_add(net->ctr, &nr, err, sizeof(err)) < 0)
		return error_set(e, ERR_INTERNAL, "failed to add route %s: %s",
		                 hp_route_str(r, buf, sizeof(buf)), err);
	return 0;
}

int hp_route_unapply(struct hp_net *net, const struct hp_route *r, struct error *e)
{
	struct netlink_route nr;
	struct inet_prefix src, gw;
	char err[256], buf[256];
	struct error local;
	if (to_netlink(net, r, &nr, &src, &gw, &local) < 0)
		/* Its link gone: so is the route. */
		return local.code == ERR_NOT_FOUND ? 0 : error_set(e, local.code, "%s", local.msg);
	if (netlink_route_del(net->ctr, &nr, err, sizeof(err)) < 0)
		return error_set(e, ERR_INTERNAL, "failed to remove route %s: %s",
		                 hp_route_str(r, buf, sizeof(buf)), err);
	return 0;
}
