/* Hot-plugged network interfaces, through netlink (libnl-3): a veth pair with one end in the
 * container (optionally on a host bridge), or a host link ("eth") moved in and renamed; IP,
 * MAC, MTU and queue length applied. */
#ifndef LIB_HOTPLUG_NIC_H
#define LIB_HOTPLUG_NIC_H
#include "core/error.h"
#include "hotplug/record.h"
#include "hotplug/target.h"

/* At a (re)start: adds every recorded NIC, then every recorded route, to the starting
 * container, and pins its network namespace so that the poststop hook can return physical
 * NICs. 0, or -1 with e naming the NIC or route. */
int hotplug_network_reapply(const struct hotplug_target *t, const struct hotplug_record *r,
                            struct error *e);
/* At stop (syscontainer-hooks poststop, the container's processes gone): returns the
 * recorded physical NICs to the host under their host names, deletes the host ends of the
 * veths and unpins the namespace. Goes on past a failure; 0, or -1 with e naming each one. */
int hotplug_network_release(const char *id, const struct hotplug_record *r, struct error *e);
#endif
