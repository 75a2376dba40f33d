/* Network links and their addresses through rtnetlink (libnl-3 route), in any network
 * namespace: a socket opened in a namespace keeps working there, so the caller enters the
 * namespace only to create it. Used by the hot-plugged NICs (lib/hotplug/nic*.c). */
#ifndef LIB_HOST_NETLINK_LINK_H
#define LIB_HOST_NETLINK_LINK_H
#include <stddef.h>

struct nl_sock;
struct inet_prefix;

/* A NETLINK_ROUTE socket in the network namespace of netns_fd (-1: the caller's own). The
 * calling thread joins that namespace for the socket's creation and returns to its own at
 * once (a single-threaded caller). NULL with err. */
struct nl_sock *netlink_open(int netns_fd, char *err, size_t errlen);
void netlink_close(struct nl_sock *s);

/* The index of the link called name: > 0, 0 when there is none, -1 with err. */
int netlink_link_index(struct nl_sock *s, const char *name, char *err, size_t errlen);
/* The link's kind ("veth", "bridge", "dummy"...; "" for a physical NIC) into kind. 0, or -1
 * with err. */
int netlink_link_kind(struct nl_sock *s, int ifindex, char *kind, size_t kindlen, char *err,
                      size_t errlen);
/* What tells one link from another beyond its name (which whoever owns the namespace
 * chooses): its index, kind, permanent hardware address (set by the driver, read-only; a
 * physical NIC has one) and parent device (the bus device under /sys/class/net/NAME/device;
 * a physical NIC has one, a link made through netlink never). */
struct netlink_link_ident {
	int ifindex;
	char name[16];          /* IFNAMSIZ */
	char kind[32];          /* "" for a physical NIC */
	unsigned char perm[32]; /* IFLA_PERM_ADDRESS */
	size_t perm_len;        /* 0: none (absent or all zeros) */
	char parent[64];        /* IFLA_PARENT_DEV_NAME, e.g. "0000:00:03.0"; "" none */
	char parent_bus[32];    /* IFLA_PARENT_DEV_BUS_NAME, e.g. "pci"; "" none */
};
/* The identity of the link ifindex: 1, 0 when there is none, -1 with err. */
int netlink_link_ident(struct nl_sock *s, int ifindex, struct netlink_link_ident *out, char *err,
                       size_t errlen);
/* Calls fn for every link of the socket's namespace (a dump; fn returning non-zero stops it).
 * 0, or -1 with err. */
int netlink_link_each(struct nl_sock *s, int (*fn)(const struct netlink_link_ident *, void *),
                      void *arg, char *err, size_t errlen);

/* Whether the link is up (IFF_UP): 1, 0, or -1 with err. */
int netlink_link_is_up(struct nl_sock *s, int ifindex, char *err, size_t errlen);

/* Changes of one link; the initialiser below changes nothing. */
struct netlink_link_conf {
	const char *name;         /* a new name */
	int mtu;                  /* 0: kept */
	int qlen;                 /* -1: kept */
	const unsigned char *mac; /* 6 bytes, NULL: kept */
	int master;               /* the index of a bridge to enslave it to; 0: kept */
	int netns_fd;             /* move it into that namespace; -1: stays */
	int up;                   /* 1 up, 0 down, -1 kept */
};
#define NETLINK_LINK_CONF_INIT                                                                     \
	{                                                                                          \
		.name = NULL, .mtu = 0, .qlen = -1, .mac = NULL, .master = 0, .netns_fd = -1,      \
		.up = -1                                                                           \
	}

/* Applies c to the link ifindex in one request. 0, or -1 with err. */
int netlink_link_set(struct nl_sock *s, int ifindex, const struct netlink_link_conf *c, char *err,
                     size_t errlen);
/* Creates a veth pair in one request: the end name (configured by c: mtu, qlen, mac) here and
 * the end peer_name configured by pc (pc->netns_fd puts it straight into that namespace).
 * Both are created down. 0, or -1 with err (nothing created). */
int netlink_veth_add(struct nl_sock *s, const char *name, const struct netlink_link_conf *c,
                     const char *peer_name, const struct netlink_link_conf *pc, char *err,
                     size_t errlen);
/* Deletes the link (a veth: both ends). 0, 1 when it was not there, -1 with err. */
int netlink_link_del(struct nl_sock *s, int ifindex, char *err, size_t errlen);

/* Adds or deletes an address (a.len is the prefix) on the link. add: 0, or -1 with err;
 * del: 0, 1 when it was not there, -1 with err. */
int netlink_addr_add(struct nl_sock *s, int ifindex, const struct inet_prefix *a, char *err,
                     size_t errlen);
int netlink_addr_del(struct nl_sock *s, int ifindex, const struct inet_prefix *a, char *err,
                     size_t errlen);
#endif
