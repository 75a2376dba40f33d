/* Routes of the main table through rtnetlink (libnl-3 route), on a socket opened in any
 * network namespace by netlink_open (host/netlink_link.h). */
#ifndef LIB_HOST_NETLINK_ROUTE_H
#define LIB_HOST_NETLINK_ROUTE_H
#include <stddef.h>

#include "host/inet_addr.h"

struct nl_sock;

struct netlink_route {
	struct inet_prefix dst;        /* dst.len 0: the default route of dst.family */
	const struct inet_prefix *src; /* the preferred source address, or NULL */
	const struct inet_prefix *gw;  /* the gateway, or NULL */
	int ifindex;                   /* the output link, or 0 */
};

/* Adds the route (an existing identical one is an error: "Object exists"). A route without
 * a gateway has the link's scope, as `ip route add` gives it. 0, or -1 with err. */
int netlink_route_add(struct nl_sock *s, const struct netlink_route *r, char *err, size_t errlen);
/* Deletes the route matching r's set fields. 0, 1 when there is none, -1 with err. */
int netlink_route_del(struct nl_sock *s, const struct netlink_route *r, char *err, size_t errlen);
#endif
