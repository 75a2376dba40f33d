/* device_hook.json: what isulad-tools hot-plugged into one container, kept in the container's
 * engine directory (<graph>/engines/lcr/<id>/) so that syscontainer-hooks re-applies it at every
 * start. The keys are the original tools' (research/tools.md §1.3), so their users' files load.
 * Every change is made under the per-container lock: lock, load, change, save, unlock. */
#ifndef LIB_HOTPLUG_RECORD_H
#define LIB_HOTPLUG_RECORD_H
#include <stddef.h>
#include <stdint.h>

#include <yajl/yajl_gen.h>

#include "core/error.h"

#define HOTPLUG_RECORD_FILE "device_hook.json"
#define HOTPLUG_LOCK_FILE ".device_hook.lock"
/* The largest record file read (a full record is far below it). */
#define HOTPLUG_RECORD_MAX (4 << 20)
#define HOTPLUG_MAX_PATHS 128
#define HOTPLUG_MAX_NICS 128
#define HOTPLUG_MAX_ETH_NICS 8 /* physical NICs (seed 000 §2.3.12) */
#define HOTPLUG_MAX_DEVICES 1024
#define HOTPLUG_MAX_ROUTES 1024

/* "deviceToAdd": {"Type","Minor","Major","PathOnHost","PathInContainer","CgroupPermissions",
 * "Parent"} */
struct hp_device {
	char type; /* 'b' or 'c' */
	int64_t major, minor;
	char *path_on_host;
	char *path_in_container;
	char *permissions; /* subset of "rwm" */
	char *parent;      /* the whole disk of a partition added by --follow-partition; NULL */
};

/* "readIops" "writeIops" "readBps" "writeBps" "blkioWeight": {"major","minor","path","value"}
 * with value a decimal string. */
enum hp_qos_kind {
	HP_READ_IOPS,
	HP_WRITE_IOPS,
	HP_READ_BPS,
	HP_WRITE_BPS,
	HP_WEIGHT,
	HP_QOS_KINDS
};
struct hp_qos {
	char *path; /* the device on the host */
	int64_t major, minor;
	uint64_t value;
};

/* "networkInterfaces": {"Ip","Mac","Mtu","Qlen","Type","Bridge","HostNicName","CtrNicName"} */
struct hp_nic {
	char *ip;     /* CIDR, "10.0.0.2/24" */
	char *mac;    /* NULL: the kernel's */
	int mtu;      /* 0: unset */
	int qlen;     /* -1: unset */
	char *type;   /* "veth" or "eth" */
	char *bridge; /* veth only; NULL for none */
	char *host_name;
	char *ctr_name;
};

/* "networkRoute": {"dest","src","gw","dev"}; NULL fields are empty ones. */
struct hp_route {
	char *dest, *src, *gw, *dev;
};

struct hotplug_record {
	struct hp_device *devices;
	size_t n_devices;
	struct hp_qos *qos[HP_QOS_KINDS];
	size_t n_qos[HP_QOS_KINDS];
	struct hp_nic *nics;
	size_t n_nics;
	struct hp_route *routes;
	size_t n_routes;
	char **binds; /* "bindToAdd": "HOST:CTR:OPTIONS" */
	size_t n_binds;
};

/* The JSON key of a QoS kind ("readIops"...). */
const char *hp_qos_key(enum hp_qos_kind k);

/* Takes the container's lock (flock on DIR/.device_hook.lock, created 0600), waiting up to
 * timeout_ms for another holder (then ERR_CONFLICT naming the lock). Helper children of
 * lib/host/ns_exec never inherit it. The fd to give hotplug_record_unlock, or -1 with e. */
#define HOTPLUG_LOCK_WAIT_MS 30000
int hotplug_record_lock(const char *dir, int timeout_ms, struct error *e);
void hotplug_record_unlock(int fd);

/* Parses a record text (a missing key is an empty list; an unknown key is ignored; a value of
 * the wrong type, a device type other than b/c, more entries than the limits above or a string
 * with a control character is an error naming it). 0, or -1 with e (ERR_INVALID). */
int hotplug_record_parse(const char *text, struct hotplug_record *r, struct error *e);
/* DIR/device_hook.json; a missing file is an empty record. 0, or -1 with e. */
int hotplug_record_load(const char *dir, struct hotplug_record *r, struct error *e);
/* The record as one JSON line with its newline (malloc'd), or NULL (out of memory). Empty
 * lists are left out, as the original does. */
char *hotplug_record_render(const struct hotplug_record *r);
/* Writes DIR/device_hook.json atomically (0600), or leaves the old one whole. 0, or -1 with e. */
int hotplug_record_save(const char *dir, const struct hotplug_record *r, struct error *e);
void hotplug_record_free(struct hotplug_record *r);

/* One device as the record and list-device write it: the original's keys in its order. */
void hp_device_gen(yajl_gen g, const struct hp_device *d);
void hp_device_free(struct hp_device *d);
void hp_qos_free(struct hp_qos *q);
void hp_nic_free(struct hp_nic *n);
void hp_route_free(struct hp_route *r);

/* Appends a copy of the size bytes at item to the array *arr of *n entries (the entry's own
 * pointers are moved, not copied: the caller gives up item's strings). 0, or -1 (ENOMEM). */
int hp_array_push(void *arr, size_t *n, size_t size, const void *item);
/* Removes entry i (its strings must have been freed or moved), closing the gap. */
void hp_array_remove(void *arr, size_t *n, size_t size, size_t i);
#endif
