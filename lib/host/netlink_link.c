/* Network links and their addresses through rtnetlink (see netlink_link.h). */
#include "host/netlink_link.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/link/veth.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "host/inet_addr.h"

static int nl_fail(char *err, size_t errlen, int nlerr, const char *what)
{
	snprintf(err, errlen, "%s: %s", what, nl_geterror(nlerr));
	return -1;
}

static struct nl_sock *open_here(char *err, size_t errlen)
{
	struct nl_sock *s = nl_socket_alloc();
	if (!s) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	int ret = nl_connect(s, NETLINK_ROUTE);
	if (ret < 0) {
		nl_fail(err, errlen, ret, "cannot open a netlink socket");
		nl_socket_free(s);
		return NULL;
	}
	return s;
}

struct nl_sock *netlink_open(int netns_fd, char *err, size_t errlen)
{
	if (netns_fd < 0)
		return open_here(err, errlen);
	int self = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (self < 0) {
		snprintf(err, errlen, "cannot open our own network namespace: %s", strerror(errno));
		return NULL;
	}
	struct nl_sock *s = NULL;
	if (setns(netns_fd, CLONE_NEWNET) < 0) {
		snprintf(err, errlen, "cannot enter the container's network namespace: %s",
		         strerror(errno));
	} else {
		s = open_here(err, errlen);
		if (setns(self, CLONE_NEWNET) < 0) {
			/* Going on in the container's namespace would act on the wrong links. */
			fprintf(stderr, "cannot return to our own network namespace: %s\n",
			        strerror(errno));
			_exit(1);
		}
	}
	close(self);
	return s;
}

void netlink_close(struct nl_sock *s)
{
	if (s)
		nl_socket_free(s);
}

static int get_link(struct nl_sock *s, int ifindex, const char *name, struct rtnl_link **l,
                    char *err, size_t errlen)
{
	int ret = rtnl_link_get_kernel(s, ifindex, name, l);
	if (ret == -NLE_OBJ_NOTFOUND || ret == -NLE_NODEV)
		return 0;
	if (ret < 0) {
		char what[64];
		snprintf(what, sizeof(what), "cannot look up link %s", name ? name : "");
		return nl_fail(err, errlen, ret, what);
	}
	return 1;
}

int netlink_link_index(struct nl_sock *s, const char *name, char *err, size_t errlen)
{
	if (!name || !*name || strlen(name) >= IFNAMSIZ)
		return 0;
	struct rtnl_link *l = NULL;
	int ret = get_link(s, 0, name, &l, err, errlen);
	if (ret <= 0)
		return ret;
	int idx = rtnl_link_get_ifindex(l);
	rtnl_link_put(l);
	return idx;
}

int netlink_link_kind(struct nl_sock *s, int ifindex, char *kind, size_t kindlen, char *err,
                      size_t errlen)
{
	struct rtnl_link *l = NULL;
	int ret = get_link(s, ifindex, NULL, &l, err, errlen);
	if (ret == 0)
		snprintf(err, errlen, "link %d not found", ifindex);
	if (ret <= 0)
		return -1;
	const char *t = rtnl_link_get_type(l);
	snprintf(kind, kindlen, "%s", t ? t : "");
	rtnl_link_put(l);
	return 0;
}

/* Copies a string attribute into buf (bounded; "" when absent). */
static void attr_str(struct nlattr *a, char *buf, size_t len)
{
	buf[0] = '\0';
	if (a)
		nla_strlcpy(buf, a, len);
}

/* Reads one RTM_NEWLINK message into *out. 0, or -1 when it is not one. */
static int parse_ident(struct nl_msg *msg, struct netlink_link_ident *out)
{
	struct nlmsghdr *h = nlmsg_hdr(msg);
	struct nlattr *tb[IFLA_MAX + 1], *li[IFLA_INFO_MAX + 1];
	if (h->nlmsg_type != RTM_NEWLINK || !nlmsg_valid_hdr(h, sizeof(struct ifinfomsg)) ||
	    nlmsg_parse(h, sizeof(struct ifinfomsg), tb, IFLA_MAX, NULL) < 0)
		return -1;
	const struct ifinfomsg *ifi = nlmsg_data(h);
	memset(out, 0, sizeof(*out));
	out->ifindex = ifi->ifi_index;
	attr_str(tb[IFLA_IFNAME], out->name, sizeof(out->name));
	if (tb[IFLA_LINKINFO] && nla_parse_nested(li, IFLA_INFO_MAX, tb[IFLA_LINKINFO], NULL) == 0)
		attr_str(li[IFLA_INFO_KIND], out->kind, sizeof(out->kind));
	struct nlattr *perm = tb[IFLA_PERM_ADDRESS];
	if (perm && nla_len(perm) > 0 && (size_t)nla_len(perm) <= sizeof(out->perm)) {
		const unsigned char *p = nla_data(perm);
		size_t n = (size_t)nla_len(perm);
		for (size_t i = 0; i < n; i++)
			if (p[i]) { /* all zeros: the driver set none */
				memcpy(out->perm, p, n);
				out->perm_len = n;
				break;
			}
	}
	attr_str(tb[IFLA_PARENT_DEV_NAME], out->parent, sizeof(out->parent));
	attr_str(tb[IFLA_PARENT_DEV_BUS_NAME], out->parent_bus, sizeof(out->parent_bus));
	return 0;
}

struct ident_walk {
	int (*fn)(const struct netlink_link_ident *, void *);
	void *arg;
	int stopped;
};

static int on_link(struct nl_msg *msg, void *arg)
{
	struct ident_walk *w = arg;
	struct netlink_link_ident id;
	if (w->stopped || parse_ident(msg, &id) < 0)
		return NL_OK; /* the rest of the dump is read, and dropped */
	if (w->fn(&id, w->arg) != 0)
		w->stopped = 1;
	return NL_OK;
}

/* Sends RTM_GETLINK (a dump when ifindex is 0) and passes each answer to w. 0, or a libnl
 * error code. */
static int get_links(struct nl_sock *s, int ifindex, struct ident_walk *w)
{
	struct nl_msg *m = nlmsg_alloc_simple(RTM_GETLINK, ifindex ? 0 : NLM_F_DUMP);
	struct ifinfomsg ifi = {.ifi_family = AF_UNSPEC, .ifi_index = ifindex};
	/* The socket's callbacks (a reference of our own) with ours on top. */
	struct nl_cb *own = nl_socket_get_cb(s), *cb = own ? nl_cb_clone(own) : NULL;
	int r = -NLE_NOMEM;
	if (own)
		nl_cb_put(own);
	if (!m || !cb || nlmsg_append(m, &ifi, sizeof(ifi), NLMSG_ALIGNTO) < 0 ||
	    nla_put_u32(m, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS) < 0)
		goto out;
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_link, w);
	if ((r = nl_send_auto(s, m)) < 0 || (r = nl_recvmsgs(s, cb)) < 0)
		goto out;
	/* A single link's answer is followed by the acknowledgement libnl asked for. */
	r = ifindex ? nl_wait_for_ack(s) : 0;
out:
	if (cb)
		nl_cb_put(cb);
	nlmsg_free(m);
	return r < 0 ? r : 0;
}

static int keep_first(const struct netlink_link_ident *id, void *arg)
{
	*(struct netlink_link_ident *)arg = *id;
	return 1;
}

int netlink_link_ident(struct nl_sock *s, int ifindex, struct netlink_link_ident *out, char *err,
                       size_t errlen)
{
	if (ifindex <= 0)
		return 0;
	memset(out, 0, sizeof(*out));
	struct ident_walk w = {keep_first, out, 0};
	int r = get_links(s, ifindex, &w);
	if (r == -NLE_NODEV || r == -NLE_OBJ_NOTFOUND)
		return 0;
	if (r < 0) {
		char what[64];
		snprintf(what, sizeof(what), "cannot look up link %d", ifindex);
		return nl_fail(err, errlen, r, what);
	}
	return w.stopped && out->ifindex == ifindex ? 1 : 0;
}

int netlink_link_each(struct nl_sock *s, int (*fn)(const struct netlink_link_ident *, void *),
                      void *arg, char *err, size_t errlen)
{
	struct ident_walk w = {fn, arg, 0};
	int r = get_links(s, 0, &w);
	return r < 0 ? nl_fail(err, errlen, r, "cannot list the links") : 0;
}

int netlink_link_is_up(struct nl_sock *s, int ifindex, char *err, size_t errlen)
{
	struct rtnl_link *l = NULL;
	int ret = get_link(s, ifindex, NULL, &l, err, errlen);
	if (ret == 0)
		snprintf(err, errlen, "link %d not found", ifindex);
	if (ret <= 0)
		return -1;
	int up = (rtnl_link_get_flags(l) & IFF_UP) != 0;
	rtnl_link_put(l);
	return up;
}

static int fill_conf(struct rtnl_link *l, const struct netlink_link_conf *c, char *err,
                     size_t errlen)
{
	if (c->name)
		rtnl_link_set_name(l, c->name);
	if (c->mtu > 0)
		rtnl_link_set_mtu(l, (unsigned)c->mtu);
	if (c->qlen >= 0)
		rtnl_link_set_txqlen(l, (unsigned)c->qlen);
	if (c->master > 0)
		rtnl_link_set_master(l, c->master);
	if (c->netns_fd >= 0)
		rtnl_link_set_ns_fd(l, c->netns_fd);
	if (c->up == 1)
		rtnl_link_set_flags(l, IFF_UP);
	else if (c->up == 0)
		rtnl_link_unset_flags(l, IFF_UP);
	if (c->mac) {
		struct nl_addr *a = nl_addr_build(AF_LLC, c->mac, 6);
		if (!a) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		rtnl_link_set_addr(l, a);
		nl_addr_put(a);
	}
	return 0;
}

int netlink_link_set(struct nl_sock *s, int ifindex, const struct netlink_link_conf *c, char *err,
                     size_t errlen)
{
	struct rtnl_link *orig = NULL, *ch = rtnl_link_alloc();
	int ret = -1;
	if (!ch) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	int found = get_link(s, ifindex, NULL, &orig, err, errlen);
	if (found == 0)
		snprintf(err, errlen, "link %d not found", ifindex);
	if (found > 0 && fill_conf(ch, c, err, errlen) == 0) {
		int r = rtnl_link_change(s, orig, ch, 0);
		if (r < 0)
			nl_fail(err, errlen, r, "cannot change the link");
		else
			ret = 0;
	}
	if (orig)
		rtnl_link_put(orig);
	rtnl_link_put(ch);
	return ret;
}

int netlink_veth_add(struct nl_sock *s, const char *name, const struct netlink_link_conf *c,
                     const char *peer_name, const struct netlink_link_conf *pc, char *err,
                     size_t errlen)
{
	struct rtnl_link *l = rtnl_link_veth_alloc();
	if (!l) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	struct rtnl_link *peer = rtnl_link_veth_get_peer(l);
	struct netlink_link_conf hc = *c, ppc = *pc;
	hc.name = name;
	hc.up = -1;
	hc.master = 0;
	ppc.name = peer_name;
	ppc.up = -1;
	ppc.master = 0;
	int ret = -1;
	if (fill_conf(l, &hc, err, errlen) == 0 && fill_conf(peer, &ppc, err, errlen) == 0) {
		int r = rtnl_link_add(s, l, NLM_F_CREATE | NLM_F_EXCL);
		if (r < 0)
			nl_fail(err, errlen, r, "cannot create the veth pair");
		else
			ret = 0;
	}
	rtnl_link_put(peer);
	rtnl_link_put(l);
	return ret;
}

int netlink_link_del(struct nl_sock *s, int ifindex, char *err, size_t errlen)
{
	struct rtnl_link *l = rtnl_link_alloc();
	if (!l) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	rtnl_link_set_ifindex(l, ifindex);
	int r = rtnl_link_delete(s, l);
	rtnl_link_put(l);
	if (r == -NLE_OBJ_NOTFOUND || r == -NLE_NODEV)
		return 1;
	if (r < 0)
		return nl_fail(err, errlen, r, "cannot delete the link");
	return 0;
}

static struct rtnl_addr *build_addr(int ifindex, const struct inet_prefix *a, char *err,
                                    size_t errlen)
{
	struct rtnl_addr *ra = rtnl_addr_alloc();
	struct nl_addr *na = nl_addr_build(a->family, a->addr, inet_addr_size(a));
	if (!ra || !na) {
		snprintf(err, errlen, "out of memory");
		if (ra)
			rtnl_addr_put(ra);
		if (na)
			nl_addr_put(na);
		return NULL;
	}
	nl_addr_set_prefixlen(na, (int)a->len);
	rtnl_addr_set_ifindex(ra, ifindex);
	rtnl_addr_set_family(ra, a->family);
	rtnl_addr_set_local(ra, na);
	if (a->family == AF_INET && a->len < 31) {
		/* The broadcast address, as `ip addr add ... brd +` and Docker set it. */
		struct inet_prefix b = *a;
		uint32_t host = a->len == 0 ? 0xffffffffu : (0xffffffffu >> a->len);
		uint32_t v;
		memcpy(&v, b.addr, 4);
		v |= htonl(host);
		memcpy(b.addr, &v, 4);
		struct nl_addr *bc = nl_addr_build(AF_INET, b.addr, 4);
		if (bc) {
			rtnl_addr_set_broadcast(ra, bc);
			nl_addr_put(bc);
		}
	}
	nl_addr_put(na);
	return ra;
}

int netlink_addr_add(struct nl_sock *s, int ifindex, const struct inet_prefix *a, char *err,
                     size_t errlen)
{
	struct rtnl_addr *ra = build_addr(ifindex, a, err, errlen);
	if (!ra)
		return -1;
	int r = rtnl_addr_add(s, ra, NLM_F_EXCL);
	rtnl_addr_put(ra);
	return r < 0 ? nl_fail(err, errlen, r, "cannot add the address") : 0;
}

int netlink_addr_del(struct nl_sock *s, int ifindex, const struct inet_prefix *a, char *err,
                     size_t errlen)
{
	struct rtnl_addr *ra = build_addr(ifindex, a, err, errlen);
	if (!ra)
		return -1;
	int r = rtnl_addr_delete(s, ra, 0);
	rtnl_addr_put(ra);
	if (r == -NLE_OBJ_NOTFOUND || r == -NLE_NOADDR || r == -NLE_NODEV)
		return 1;
	return r < 0 ? nl_fail(err, errlen, r, "cannot delete the address") : 0;
}
