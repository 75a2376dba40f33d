/* A container's networking through its life: the checks at create, the network namespace
 * and CNI ADD before its init starts, CNI DEL and the namespace's removal on every end, and
 * its NetworkSettings. What a start did is recorded in network.json (the container's dir)
 * before the plugins run, so that any end, a daemon restart included, undoes it. */
#ifndef ENGINE_CONTAINER_NET_H
#define ENGINE_CONTAINER_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <yajl/yajl_gen.h>

#include "container.h"
#include "core/error.h"
#include "core/strbuf.h"

#define NET_STATE_FILE "network.json"
#define NET_IFNAME "eth0"

/* At create: sets the default mode and checks every network value (unknown network, --ip
 * outside the subnet or taken, bad MAC, a host port already published, container:X not
 * running). 0, or -1 with e. */
int container_net_validate(struct container *c, struct error *e);
/* At start, before the monitor: the namespace is made and CNI ADD started in a thread (the
 * init waits for it: net_gate.h). 0 with *p (NULL when there is nothing to wait for), or -1
 * with err and nothing left. */
struct net_pending;
int container_net_begin(struct container *c, struct net_pending **p, char *err, size_t errlen);
/* Waits for ADD and records it (p freed; NULL: nothing to do): 0, or -1 with err and the
 * namespace gone. */
int container_net_finish(struct container *c, struct net_pending *p, char *err, size_t errlen);
/* At every end (and after a failed start): DEL, namespace removed. Idempotent. */
void container_net_teardown(struct container *c);
/* At daemon start: what network.json says about a running container. */
void container_net_load(struct container *c);
/* The lxc.net / lxc.namespace.share.net lines (and the net-wait hook of monitor_path on
 * state_dir, waiting limit_ms at most). */
void container_net_lxc_config(struct strbuf *f, const struct container *c, const char *monitor_path,
                              const char *state_dir, int64_t limit_ms);
/* Inspect's NetworkSettings (store lock held). */
void container_net_gen(yajl_gen g, const struct container *c);
/* The list's "Ports": [{"IP", "PrivatePort", "PublicPort", "Type"}] of a running container. */
void container_net_gen_ports_list(yajl_gen g, const struct container *c);
/* Whether a container is on network name: its name into who. Takes the store lock. */
bool container_net_in_use(const char *name, char *who, size_t len);
/* The path of c's network namespace (malloc'd). */
char *container_net_ns_path(const char *id);

#endif
