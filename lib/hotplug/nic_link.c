/* Live NIC changes in a running container's network namespace (see nic.h). */
#include "hotplug/nic.h"

#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>

#include "host/inet_addr.h"
#include "host/netlink_link.h"

/* A temporary link name: "tmp" + 10 hex digits, as the original. A link is renamed to one
 * before it changes namespace, so that its name collides with nothing on either side. */
static void tmp_name(char buf[IFNAMSIZ])
{
	unsigned char r[5] = {0};
	if (getrandom(r, sizeof(r), 0) != (ssize_t)sizeof(r))
		memset(r, 0x5a, sizeof(r));
	snprintf(buf, IFNAMSIZ, "tmp%02x%02x%02x%02x%02x", r[0], r[1], r[2], r[3], r[4]);
}

/* The index of name through s: > 0, or -1 with e (where: "on the host"/"in the container"). */
static int index_of(struct nl_sock *s, const char *name, const char *where, struct error *e)
{
	char err[256];
	int idx = netlink_link_index(s, name, err, sizeof(err));
	if (idx < 0)
		return error_set(e, ERR_INTERNAL, "%s", err);
	if (idx == 0)
		return error_set(e, ERR_NOT_FOUND, "network interface %s not found %s", name,
		                 where);
	return idx;
}

static int link_set(struct nl_sock *s, int idx, const struct netlink_link_conf *c, const char *name,
                    struct error *e)
{
	char err[256];
	if (netlink_link_set(s, idx, c, err, sizeof(err)) < 0)
		return error_set(e, ERR_INTERNAL, "%s: %s", name, err);
	return 0;
}

static int addr_add(struct nl_sock *s, int idx, const char *ip, const char *name, struct error *e)
{
	struct inet_prefix p;
	char err[256];
	if (!ip || !*ip)
		return 0;
	if (inet_prefix_parse(ip, &p) < 0)
		return error_set(e, ERR_INVALID, "invalid IP address \"%s\"", ip);
	if (netlink_addr_add(s, idx, &p, err, sizeof(err)) < 0)
		return error_set(e, ERR_INTERNAL, "%s: IP address %s: %s", name, ip, err);
	return 0;
}

/* The MAC of n (6 bytes into buf), NULL when it has none; *bad when it does not parse. */
static const unsigned char *mac_of(const char *mac, unsigned char buf[6], bool *bad)
{
	*bad = false;
	if (!mac || !*mac)
		return NULL;
	if (mac_parse(mac, buf) < 0) {
		*bad = true;
		return NULL;
	}
	return buf;
}

/* The identity of the link idx through s into out. 0, or -1 with e. */
static int ident_of(struct nl_sock *s, int idx, struct netlink_link_ident *out, struct error *e)
{
	char err[256];
	int ret = netlink_link_ident(s, idx, out, err, sizeof(err));
	if (ret < 0)
		return error_set(e, ERR_INTERNAL, "%s", err);
	if (ret == 0)
		return error_set(e, ERR_NOT_FOUND, "link %d has gone", idx);
	return 0;
}

struct find_ctx {
	const struct netlink_link_ident *want;
	int found, count;
};

static int match_one(const struct netlink_link_ident *l, void *arg)
{
	struct find_ctx *c = arg;
	if (hp_nic_link_is(c->want, l)) {
		c->found = l->ifindex;
		c->count++;
	}
	return 0;
}

/* The index of the container's link that is the NIC recorded as want, whatever its name: > 0,
 * 0 when none is (or, impossibly, more than one), -1 with e. */
static int find_in_ctr(struct hp_net *net, const struct netlink_link_ident *want, struct error *e)
{
	char err[256];
	struct find_ctx c = {want, 0, 0};
	if (netlink_link_each(net->ctr, match_one, &c, err, sizeof(err)) < 0)
		return error_set(e, ERR_INTERNAL, "%s", err);
	return c.count == 1 ? c.found : 0;
}

/* Whether the host link idx is the NIC recorded as want (its index there is another). */
static bool host_link_is(struct hp_net *net, int idx, const struct netlink_link_ident *want)
{
	struct netlink_link_ident have, w = *want;
	struct error ignored;
	if (ident_of(net->host, idx, &have, &ignored) < 0)
		return false;
	w.ifindex = have.ifindex;
	return hp_nic_link_is(&w, &have);
}

/* The refusal when no link of the container is the NIC n; outcome says what is not done. */
static int not_in_ctr(struct hp_net *net, const struct hp_nic *n, const char *outcome,
                      struct error *e)
{
	char err[256];
	if (netlink_link_index(net->ctr, n->ctr_name, err, sizeof(err)) > 0)
		return error_set(e, ERR_INVALID,
		                 "network interface %s in the container is not the network "
		                 "interface added (%s): %s",
		                 n->ctr_name, n->host_name, outcome);
	return error_set(e, ERR_NOT_FOUND,
	                 "network interface %s (%s) is no longer in the container: %s", n->ctr_name,
	                 n->host_name, outcome);
}

/* Takes the container's link ctr_idx, the NIC recorded as want, back to the host: down,
 * renamed to a temporary name, into our namespace, renamed to host_name there. The container
 * may swap links between our look and the move: the link is checked again on each side, and
 * one that is not the NIC goes back where it came from. */
static int move_back(struct hp_net *net, int ctr_idx, const struct netlink_link_ident *want,
                     const char *host_name, struct error *e)
{
	char tmp[IFNAMSIZ];
	struct netlink_link_ident now;
	if (ident_of(net->ctr, ctr_idx, &now, e) < 0)
		return -1;
	if (!hp_nic_link_is(want, &now))
		return error_set(e, ERR_INVALID,
		                 "network interface %s in the container is not the network "
		                 "interface added (%s): nothing is moved to the host",
		                 now.name, host_name);
	tmp_name(tmp);
	struct netlink_link_conf down = NETLINK_LINK_CONF_INIT;
	down.up = 0;
	down.name = tmp;
	if (link_set(net->ctr, ctr_idx, &down, now.name, e) < 0)
		return -1;
	struct netlink_link_conf out = NETLINK_LINK_CONF_INIT;
	out.netns_fd = net->host_nsfd;
	struct error ignored;
	if (link_set(net->ctr, ctr_idx, &out, now.name, e) < 0) {
		struct netlink_link_conf back = NETLINK_LINK_CONF_INIT;
		back.name = now.name;
		link_set(net->ctr, ctr_idx, &back, tmp, &ignored);
		return -1;
	}
	int idx = index_of(net->host, tmp, "on the host", e);
	if (idx < 0)
		return -1;
	if (!host_link_is(net, idx, want)) {
		char err[256];
		struct netlink_link_conf back = NETLINK_LINK_CONF_INIT;
		back.netns_fd = net->nsfd;
		if (link_set(net->host, idx, &back, tmp, &ignored) < 0)
			netlink_link_del(net->host, idx, err, sizeof(err));
		return error_set(e, ERR_INVALID,
		                 "the container swapped network interface %s for another link "
		                 "while it was moved: nothing is moved to the host",
		                 now.name);
	}
	struct netlink_link_conf name = NETLINK_LINK_CONF_INIT;
	name.name = host_name;
	if (link_set(net->host, idx, &name, tmp, e) < 0)
		return error_set(e, ERR_INTERNAL,
		                 "network interface %s is back on the host as %s: it cannot be "
		                 "renamed to %s: %s",
		                 now.name, tmp, host_name, e->msg);
	return 0;
}

/* The container must not have a link called name already. */
static int check_free_in_ctr(struct hp_net *net, const char *name, struct error *e)
{
	char err[256];
	int idx = netlink_link_index(net->ctr, name, err, sizeof(err));
	if (idx < 0)
		return error_set(e, ERR_INTERNAL, "%s", err);
	if (idx > 0)
		return error_set(e, ERR_EXISTS, "interface name conflict: %s", name);
	return 0;
}

/* The container side of a new NIC, called idx there: name, MTU, qlen, MAC, address, up. */
static int configure_ctr(struct hp_net *net, int idx, const struct hp_nic *n, bool rename,
                         struct error *e)
{
	unsigned char mac[6];
	bool bad;
	struct netlink_link_conf c = NETLINK_LINK_CONF_INIT;
	c.name = rename ? n->ctr_name : NULL;
	c.mtu = n->mtu;
	c.qlen = n->qlen;
	c.mac = mac_of(n->mac, mac, &bad);
	if (bad)
		return error_set(e, ERR_INVALID, "invalid MAC address \"%s\"", n->mac);
	if (link_set(net->ctr, idx, &c, n->ctr_name, e) < 0 ||
	    addr_add(net->ctr, idx, n->ip, n->ctr_name, e) < 0)
		return -1;
	struct netlink_link_conf up = NETLINK_LINK_CONF_INIT;
	up.up = 1;
	return link_set(net->ctr, idx, &up, n->ctr_name, e);
}

static int bridge_index(struct hp_net *net, const char *bridge, struct error *e)
{
	char kind[32], err[256];
	int idx = netlink_link_index(net->host, bridge, err, sizeof(err));
	if (idx < 0)
		return error_set(e, ERR_INTERNAL, "%s", err);
	if (idx == 0)
		return error_set(e, ERR_NOT_FOUND, "bridge %s not found on the host", bridge);
	if (netlink_link_kind(net->host, idx, kind, sizeof(kind), err, sizeof(err)) < 0)
		return error_set(e, ERR_INTERNAL, "%s", err);
	if (strcmp(kind, "bridge") != 0)
		return error_set(e, ERR_INVALID, "%s is not a Linux bridge", bridge);
	return idx;
}

static int attach_veth(struct hp_net *net, const struct hp_nic *n, struct error *e)
{
	char err[256];
	int br = 0;
	int idx = netlink_link_index(net->host, n->host_name, err, sizeof(err));
	if (idx < 0)
		return error_set(e, ERR_INTERNAL, "%s", err);
	if (idx > 0)
		return error_set(e, ERR_EXISTS,
		                 "Host has nic with name %s, please choose another one",
		                 n->host_name);
	if (n->bridge && *n->bridge && (br = bridge_index(net, n->bridge, e)) < 0)
		return -1;
	if (check_free_in_ctr(net, n->ctr_name, e) < 0)
		return -1;
	/* The pair is made with its container end already in the container, under its name:
	 * a clash there fails the creation and leaves nothing. */
	struct netlink_link_conf hc = NETLINK_LINK_CONF_INIT, pc = NETLINK_LINK_CONF_INIT;
	hc.mtu = pc.mtu = n->mtu;
	hc.qlen = pc.qlen = n->qlen;
	pc.netns_fd = net->nsfd;
	if (netlink_veth_add(net->host, n->host_name, &hc, n->ctr_name, &pc, err, sizeof(err)) < 0)
		return error_set(e, ERR_INTERNAL, "%s", err);
	int host_idx = index_of(net->host, n->host_name, "on the host", e);
	if (host_idx < 0)
		return -1;
	struct netlink_link_conf up = NETLINK_LINK_CONF_INIT;
	up.master = br;
	up.up = 1;
	int ctr_idx;
	if (link_set(net->host, host_idx, &up, n->host_name, e) < 0 ||
	    (ctr_idx = index_of(net->ctr, n->ctr_name, "in the container", e)) < 0 ||
	    configure_ctr(net, ctr_idx, n, false, e) < 0) {
		netlink_link_del(net->host, host_idx, err, sizeof(err));
		return -1;
	}
	return 0;
}

static int attach_eth(struct hp_net *net, const struct hp_nic *n, struct hp_nic_id *id,
                      struct error *e)
{
	char err[256], tmp[IFNAMSIZ];
	int idx = netlink_link_index(net->host, n->host_name, err, sizeof(err));
	if (idx < 0)
		return error_set(e, ERR_INTERNAL, "%s", err);
	if (idx == 0)
		return error_set(e, ERR_NOT_FOUND, "HostNic(%s) not found, please check",
		                 n->host_name);
	if (check_free_in_ctr(net, n->ctr_name, e) < 0)
		return -1;
	/* What tells the NIC from the links the container may make, read on our side. */
	struct netlink_link_ident was;
	if (ident_of(net->host, idx, &was, e) < 0)
		return -1;
	tmp_name(tmp);
	struct netlink_link_conf down = NETLINK_LINK_CONF_INIT;
	down.up = 0;
	down.name = tmp;
	if (link_set(net->host, idx, &down, n->host_name, e) < 0)
		return -1;
	struct netlink_link_conf move = NETLINK_LINK_CONF_INIT;
	move.netns_fd = net->nsfd;
	struct netlink_link_conf back = NETLINK_LINK_CONF_INIT;
	back.name = n->host_name;
	struct error ignored;
	if (link_set(net->host, idx, &move, n->host_name, e) < 0) {
		link_set(net->host, idx, &back, tmp, &ignored);
		return -1;
	}
	/* Its index in the container (another when ours was taken there). */
	struct netlink_link_ident in;
	int ctr_idx = index_of(net->ctr, tmp, "in the container", e);
	if (ctr_idx < 0 || ident_of(net->ctr, ctr_idx, &in, e) < 0)
		return -1;
	was.ifindex = in.ifindex;
	if (!hp_nic_link_is(&was, &in))
		return error_set(e, ERR_INVALID,
		                 "the container swapped network interface %s for another link as "
		                 "it came in",
		                 n->host_name);
	if (configure_ctr(net, ctr_idx, n, true, e) < 0) {
		move_back(net, ctr_idx, &in, n->host_name, &ignored);
		return -1;
	}
	memset(id, 0, sizeof(*id));
	snprintf(id->host_name, sizeof(id->host_name), "%s", n->host_name);
	id->link = in;
	snprintf(id->link.name, sizeof(id->link.name), "%s", n->ctr_name);
	return 0;
}

int hp_nic_attach(struct hp_net *net, const struct hp_nic *n, struct hp_nic_id *id, struct error *e)
{
	struct hp_nic_id unused;
	if (!n->host_name || !n->ctr_name)
		return error_set(e, ERR_INVALID, "the NIC lacks a name");
	if (strcmp(n->type, "veth") == 0)
		return attach_veth(net, n, e);
	return attach_eth(net, n, id ? id : &unused, e);
}

int hp_nic_detach(struct hp_net *net, const struct hp_nic *n, const struct hp_nic_id *id,
                  struct error *e)
{
	char err[256];
	if (strcmp(n->type, "veth") == 0) {
		int idx = netlink_link_index(net->host, n->host_name, err, sizeof(err));
		if (idx < 0 || (idx > 0 && netlink_link_del(net->host, idx, err, sizeof(err)) < 0))
			return error_set(e, ERR_INTERNAL, "%s: %s", n->host_name, err);
		return 0;
	}
	/* Its name is the container's choice: without what tells the NIC from another link,
	 * nothing leaves the container. Still on the host (recorded with
	 * --update-config-only) is fine: host names are ours. */
	if (!id && netlink_link_index(net->host, n->host_name, err, sizeof(err)) > 0)
		return 0;
	if (!id)
		return error_set(e, ERR_NOT_FOUND,
		                 "network interface %s (%s) has no recorded identity: nothing is "
		                 "moved to the host (it returns when the container's network "
		                 "namespace ends)",
		                 n->ctr_name, n->host_name);
	int idx = find_in_ctr(net, &id->link, e);
	if (idx < 0)
		return -1;
	if (idx == 0) {
		/* Already back on the host (a failed start, a previous stop) is fine. */
		int host = netlink_link_index(net->host, n->host_name, err, sizeof(err));
		if (host > 0 && host_link_is(net, host, &id->link))
			return 0;
		return not_in_ctr(net, n, "nothing is moved to the host", e);
	}
	return move_back(net, idx, &id->link, n->host_name, e);
}

static bool differs(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "") != 0;
}

/* Takes the live NIC, the container's link ctr_idx, from the settings from to the settings
 * to. */
static int apply_update(struct hp_net *net, int ctr_idx, const struct hp_nic *from,
                        const struct hp_nic *to, struct error *e)
{
	char err[256];
	bool veth = strcmp(to->type, "veth") == 0;
	int mtu = to->mtu > 0 && to->mtu != from->mtu ? to->mtu : 0;
	int qlen = to->qlen >= 0 && to->qlen != from->qlen ? to->qlen : -1;
	if (veth) {
		struct netlink_link_conf h = NETLINK_LINK_CONF_INIT;
		int host_idx = index_of(net->host, to->host_name, "on the host", e);
		if (host_idx < 0)
			return -1;
		h.mtu = mtu;
		h.qlen = qlen;
		if (differs(from->bridge, to->bridge) && to->bridge && *to->bridge &&
		    (h.master = bridge_index(net, to->bridge, e)) < 0)
			return -1;
		if ((h.mtu || h.qlen >= 0 || h.master) &&
		    link_set(net->host, host_idx, &h, to->host_name, e) < 0)
			return -1;
	}
	unsigned char mac[6];
	bool bad;
	struct netlink_link_conf c = NETLINK_LINK_CONF_INIT;
	c.mtu = mtu;
	c.qlen = qlen;
	if (differs(from->mac, to->mac)) {
		c.mac = mac_of(to->mac, mac, &bad);
		if (bad)
			return error_set(e, ERR_INVALID, "invalid MAC address \"%s\"", to->mac);
	}
	if (c.mtu || c.qlen >= 0 || c.mac) {
		/* A NIC takes a new MAC only while down (most physical ones): down, change,
		 * then up again if it was. */
		int was_up = c.mac ? netlink_link_is_up(net->ctr, ctr_idx, err, sizeof(err)) : 0;
		struct netlink_link_conf down = NETLINK_LINK_CONF_INIT;
		down.up = 0;
		if (was_up < 0)
			return error_set(e, ERR_INTERNAL, "%s", err);
		if ((c.mac && link_set(net->ctr, ctr_idx, &down, to->ctr_name, e) < 0) ||
		    link_set(net->ctr, ctr_idx, &c, to->ctr_name, e) < 0)
			return -1;
		struct netlink_link_conf up = NETLINK_LINK_CONF_INIT;
		up.up = 1;
		if (was_up == 1 && link_set(net->ctr, ctr_idx, &up, to->ctr_name, e) < 0)
			return -1;
	}
	if (differs(from->ip, to->ip)) {
		/* The old address first: deleting a primary IPv4 address deletes its subnet's
		 * secondaries, the new one among them. Routes through the link go with it: the
		 * caller puts the recorded ones back. */
		struct inet_prefix p;
		if (from->ip && inet_prefix_parse(from->ip, &p) == 0 &&
		    netlink_addr_del(net->ctr, ctr_idx, &p, err, sizeof(err)) < 0)
			return error_set(e, ERR_INTERNAL, "%s: IP address %s: %s", to->ctr_name,
			                 from->ip, err);
		if (addr_add(net->ctr, ctr_idx, to->ip, to->ctr_name, e) < 0) {
			struct error ignored;
			addr_add(net->ctr, ctr_idx, from->ip, to->ctr_name, &ignored);
			return -1;
		}
	}
	return 0;
}

int hp_nic_update(struct hp_net *net, const struct hp_nic *old, const struct hp_nic *now,
                  const struct hp_nic_id *id, struct error *e)
{
	/* A physical NIC is the link of its identity, whatever its name now. */
	int ctr_idx = id && strcmp(now->type, "eth") == 0
	                  ? find_in_ctr(net, &id->link, e)
	                  : index_of(net->ctr, now->ctr_name, "in the container", e);
	if (ctr_idx < 0)
		return -1;
	if (ctr_idx == 0)
		return not_in_ctr(net, now, "nothing is changed", e);
	if (apply_update(net, ctr_idx, old, now, e) == 0)
		return 0;
	struct error ignored;
	apply_update(net, ctr_idx, now, old, &ignored);
	return -1;
}
