/* Hot-plugged devices: the node in the container's /dev, its place in the container's device
 * confinement (v1 devices cgroup; on cgroup v2 the container's BPF device program, replaced by
 * one that also allows it) and its blkio QoS (v1 blkio.throttle.* and blkio.weight_device, v2
 * io.max and io.weight). */
#ifndef LIB_HOTPLUG_DEVICE_H
#define LIB_HOTPLUG_DEVICE_H
#include "core/error.h"
#include "hotplug/record.h"
#include "hotplug/target.h"

/* At a (re)start (syscontainer-hooks prestart): makes every recorded device and QoS rule true
 * in the starting container, re-reading each host node's numbers (a disk may come back with
 * others) and updating the record with them. 0, or -1 with e naming the device. */
int hotplug_devices_reapply(const struct hotplug_target *t, struct hotplug_record *r,
                            struct error *e);
#endif
