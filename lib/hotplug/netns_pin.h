/* The network namespace of a container, for hot-plugged NICs and routes: rtnetlink sockets
 * on the host and in the container, and the pin that keeps the namespace alive after the
 * container's processes end (the original's layout: a bind mount of /proc/PID/ns/net on
 * /run/isulad-tools/netns/<id>), so that the poststop hook can still take its physical NICs
 * back to the host. */
#ifndef LIB_HOTPLUG_NETNS_PIN_H
#define LIB_HOTPLUG_NETNS_PIN_H
#include "core/error.h"
#include "hotplug/target.h"

#define HOTPLUG_RUN_DIR "/run/isulad-tools"
#define HOTPLUG_NETNS_DIR HOTPLUG_RUN_DIR "/netns"

struct nl_sock;

struct hp_net {
	int nsfd;             /* the container's network namespace */
	int host_nsfd;        /* ours: the host's */
	struct nl_sock *host; /* rtnetlink in our namespace */
	struct nl_sock *ctr;  /* rtnetlink in the container's */
};

/* Opens the network namespace of the running container's init (pinned) and both sockets. A
 * container sharing our namespace is refused: its NICs would be the host's. 0, or -1 with e. */
int hp_net_open_target(const struct hotplug_target *t, struct hp_net *n, struct error *e);
/* The same from an open namespace file (nsfd, taken in every case). */
int hp_net_open_fd(int nsfd, struct hp_net *n, struct error *e);
void hp_net_close(struct hp_net *n);

/* Pins the namespace nsfd as HOTPLUG_NETNS_DIR/id (a stale pin of that name is replaced).
 * 0, or -1 with e. */
int hp_netns_pin(const char *id, int nsfd, struct error *e);
/* Opens the pin of id: the fd, or -1 with errno ENOENT when there is none (or -1 with e). */
int hp_netns_pin_open(const char *id, struct error *e);
/* Unmounts and removes the pin of id (none: 0). 0, or -1 with e. */
int hp_netns_unpin(const char *id, struct error *e);
#endif
