/* Hot-plugged devices: the node in the container's /dev, its place in the container's device
 * confinement (v1 devices cgroup; on cgroup v2 the container's BPF device program, replaced by
 * one that also allows it) and its blkio QoS (v1 blkio.throttle.* and blkio.weight_device, v2
 * io.max and io.weight). The flows (add, remove, update, re-apply) record first, then apply
 * to the running container, and on a failure undo what they applied and restore the record.
 * Their error messages are whole lines in the original tools' words ("Failed to add device:
 * ..."), their progress lines go to out (NULL: none). */
#ifndef LIB_HOTPLUG_DEVICE_H
#define LIB_HOTPLUG_DEVICE_H
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "core/error.h"
#include "hotplug/record.h"
#include "hotplug/target.h"

/* One hostdevice[:containerdevice][:permission] argument (the original's ParseMapping). */
struct hp_device_arg {
	char *text; /* as given, for messages */
	char *host; /* absolute, cleaned */
	char *ctr;  /* absolute, cleaned; NULL when not given (the host path, or the record's) */
	char perms[4];
};
/* 0, or -1 with e: "invalid device specification: X", "invalid permission: X", "hostpath
 * should be an absolute path: X", "containerpath should be an absolute path: X", "either of
 * host path and container path should be assigned". */
int hp_device_arg_parse(const char *text, struct hp_device_arg *out, struct error *e);
void hp_device_arg_free(struct hp_device_arg *a);

/* One QoS option DEVICE:VALUE (--device-read-bps /dev/sdb:10m). */
struct hp_qos_arg {
	enum hp_qos_kind kind;
	char *path;
	uint64_t value; /* 0 removes the rule */
};
/* Rates take 1024-based units (k m g t p, an optional b: 10m = 10485760), iops a plain
 * number, weights 0 or 10..1000. 0, or -1 with e ("Bad format: X", "Invalid rate for device:
 * X. ...", "Invalid weight for device: X"). */
int hp_qos_arg_parse(enum hp_qos_kind kind, const char *text, struct hp_qos_arg *out,
                     struct error *e);
void hp_qos_arg_free(struct hp_qos_arg *q);
/* "read bps", "write iops", "blkio weight": the words of the messages. */
const char *hp_qos_words(enum hp_qos_kind k);

struct hp_device_add {
	const struct hp_device_arg *devices;
	size_t n_devices;
	const struct hp_qos_arg *qos;
	size_t n_qos;
	bool follow_partition; /* also the partitions of each whole disk */
	bool force;            /* replace a different file at the container path */
};

/* add-device: records the devices (and their QoS), then, when live, makes their nodes in the
 * container, allows them in its confinement and writes their QoS. 0, or -1 with e. */
int hotplug_devices_add(const struct hotplug_target *t, struct hotplug_record *r, bool live,
                        const struct hp_device_add *req, FILE *out, struct error *e);
/* remove-device: the devices named (host path, and the container path when given) and with
 * follow_partition the partitions recorded with one of them as parent, with their QoS. */
int hotplug_devices_remove(const struct hotplug_target *t, struct hotplug_record *r, bool live,
                           const struct hp_device_arg *devices, size_t n, bool follow_partition,
                           FILE *out, struct error *e);
/* update-device: the QoS of recorded devices (a value of 0 removes the rule). */
int hotplug_devices_update(const struct hotplug_target *t, struct hotplug_record *r, bool live,
                           const struct hp_qos_arg *qos, size_t n, FILE *out, struct error *e);
/* list-device: the recorded devices as a JSON array with the original's keys in its order
 * (partitions added by --follow-partition only with sub_partitions; pretty: tab-indented),
 * with a newline; "" for none. malloc'd, NULL when out of memory. */
char *hotplug_devices_list(const struct hotplug_record *r, bool pretty, bool sub_partitions);

/* At a (re)start (syscontainer-hooks prestart): makes every recorded device and QoS rule true
 * in the starting container, re-reading each host node's numbers (a disk may come back with
 * others) and updating the record with them. 0, or -1 with e naming the device. */
int hotplug_devices_reapply(const struct hotplug_target *t, struct hotplug_record *r,
                            struct error *e);

/* The cgroup v2 lines of a QoS rule (value 0 clears it): io.max "MAJ:MIN rbps=N" ("=max"),
 * io.weight "MAJ:MIN W" ("default"). The file name, or NULL. */
const char *hp_qos_v2_line(enum hp_qos_kind k, int64_t major, int64_t minor, uint64_t value,
                           char *buf, size_t len);
/* The v1 line: blkio.throttle.* and blkio.weight_device "MAJ:MIN N" (0 clears). */
const char *hp_qos_v1_line(enum hp_qos_kind k, int64_t major, int64_t minor, uint64_t value,
                           char *buf, size_t len);
#endif
