/* Routes of the main table through rtnetlink (see netlink_route.h). */
#include "host/netlink_route.h"

#include <netlink/netlink.h>
#include <netlink/route/route.h>
#include <stdio.h>

static struct nl_addr *to_nl(const struct inet_prefix *p)
{
	struct nl_addr *a = nl_addr_build(p->family, p->addr, inet_addr_size(p));
	if (a)
		nl_addr_set_prefixlen(a, (int)p->len);
	return a;
}

/* The request's route object, or NULL (out of memory). */
static struct rtnl_route *build(const struct netlink_route *r, int adding)
{
	struct rtnl_route *rt = rtnl_route_alloc();
	struct nl_addr *dst = to_nl(&r->dst);
	struct nl_addr *src = r->src ? to_nl(r->src) : NULL;
	struct nl_addr *gw = r->gw ? to_nl(r->gw) : NULL;
	struct rtnl_nexthop *nh = (r->gw || r->ifindex) ? rtnl_route_nh_alloc() : NULL;
	if (!rt || !dst || (r->src && !src) || (r->gw && !gw) || ((r->gw || r->ifindex) && !nh)) {
		if (rt)
			rtnl_route_put(rt);
		rt = NULL;
		if (nh)
			rtnl_route_nh_free(nh);
		goto out;
	}
	rtnl_route_set_family(rt, (uint8_t)r->dst.family);
	rtnl_route_set_table(rt, RT_TABLE_MAIN);
	rtnl_route_set_dst(rt, dst);
	if (src)
		rtnl_route_set_pref_src(rt, src);
	if (adding) {
		rtnl_route_set_protocol(rt, RTPROT_BOOT);
		rtnl_route_set_scope(rt, r->gw ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK);
		rtnl_route_set_type(rt, RTN_UNICAST);
	} else {
		/* Any protocol and scope: the kernel matches the fields given. */
		rtnl_route_set_protocol(rt, RTPROT_UNSPEC);
		rtnl_route_set_scope(rt, RT_SCOPE_NOWHERE);
	}
	if (nh) {
		if (gw)
			rtnl_route_nh_set_gateway(nh, gw);
		if (r->ifindex)
			rtnl_route_nh_set_ifindex(nh, r->ifindex);
		rtnl_route_add_nexthop(rt, nh);
	}
out:
	if (dst)
		nl_addr_put(dst);
	if (src)
		nl_addr_put(src);
	if (gw)
		nl_addr_put(gw);
	return rt;
}

int netlink_route_add(struct nl_sock *s, const struct netlink_route *r, char *err, size_t errlen)
{
	struct rtnl_route *rt = build(r, 1);
	if (!rt) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	int ret = rtnl_route_add(s, rt, NLM_F_EXCL);
	rtnl_route_put(rt);
	if (ret < 0) {
		snprintf(err, errlen, "%s", nl_geterror(ret));
		return -1;
	}
	return 0;
}

int netlink_route_del(struct nl_sock *s, const struct netlink_route *r, char *err, size_t errlen)
{
	struct rtnl_route *rt = build(r, 0);
	if (!rt) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	int ret = rtnl_route_delete(s, rt, 0);
	rtnl_route_put(rt);
	if (ret == -NLE_OBJ_NOTFOUND)
		return 1;
	if (ret < 0) {
		snprintf(err, errlen, "%s", nl_geterror(ret));
		return -1;
	}
	return 0;
}
