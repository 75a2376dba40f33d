/* The HostConfig fields of the per-device block IO flags (engine/blkio_spec.h), with Docker's
 * names: BlkioWeightDevice [{Path, Weight}], BlkioDeviceReadBps/BlkioDeviceWriteBps [{Path,
 * Rate}] in bytes per second, BlkioDeviceReadIOps/BlkioDeviceWriteIOps [{Path, Rate}]. The
 * paths are block devices of the host, resolved to MAJ:MIN at create (checked) and again at
 * every start (a device may come back with other numbers). */
#ifndef ENGINE_BLKIO_CONFIG_H
#define ENGINE_BLKIO_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <yajl/yajl_gen.h>
#include <yajl/yajl_tree.h>

#include "core/strbuf.h"
#include "engine/blkio_spec.h"

struct blkio_device {
	char *path;
	int64_t value; /* weight, bytes/s or IO/s */
};

struct blkio_config {
	struct blkio_device *dev[BLKIO_KINDS];
	size_t n[BLKIO_KINDS];
};

/* The model (blkio_config.c). gen emits the five fields as keys of the HostConfig map;
 * parse reads them (absent or null: none) and checks each value (engine/blkio_spec.h), -1
 * with err naming the field and the value. */
void blkio_config_gen(yajl_gen g, const struct blkio_config *b);
int blkio_config_parse(yajl_val hostconfig, struct blkio_config *b, char *err, size_t errlen);
void blkio_config_free(struct blkio_config *b);

/* The host side (blkio_cgroup.c): where the settings go and what the devices are. */
struct blkio_layout {
	bool v2;                        /* io.max and a v2 weight file, else v1 blkio.* files */
	bool v1_throttle;               /* v1: blkio.throttle.* exist (CONFIG_BLK_DEV_THROTTLING) */
	const char *weight_device_file; /* container_cgroup.h's, NULL: none */
	char v1_mount[64];              /* v1: the blkio hierarchy's dir in /sys/fs/cgroup */
	/* MAJ:MIN of a block device: 0, or -1 with err naming the path and why. */
	int (*resolve)(const char *path, unsigned *major, unsigned *minor, char *err,
	               size_t errlen);
	/* Why the device's queue cannot take a weight in weight_device_file (buf), or NULL. */
	const char *(*weight_problem)(unsigned major, unsigned minor, const char *file, char *buf,
	                              size_t len);
};
/* This host's. */
void blkio_layout_host(struct blkio_layout *l);
/* At create: each path a block device, and the host able to apply each setting. */
int blkio_config_validate(const struct blkio_config *b, const struct blkio_layout *l, char *err,
                          size_t errlen);
/* v1 throttling binds only the processes of the cgroup it is set on (host/cgroup_view.h
 * copies the rules into the one the container runs in): the container's blkio hierarchy
 * must then be read-only inside, or it could clear them, or move its processes out of their
 * reach. That mount point as the container sees it ("/sys/fs/cgroup/blkio"), or NULL. */
const char *blkio_ro_mount(const struct blkio_config *b, const struct blkio_layout *l, char *buf,
                           size_t len);
/* The lxc.cgroup.blkio.* (v1) or lxc.cgroup2.io.* (v2) lines, the devices resolved now. -1
 * with err ("Start container error: ...") when a device is gone or cannot take its weight. */
int blkio_lxc_config(struct strbuf *f, const struct blkio_config *b, const struct blkio_layout *l,
                     char *err, size_t errlen);

#endif
