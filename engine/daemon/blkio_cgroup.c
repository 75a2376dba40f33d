/* The per-device block IO settings on this host: the devices' numbers, whether their queues
 * take weights, and the liblxc lines that write them when the container's cgroup is set up. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "blkio_config.h"
#include "container_cgroup.h"
#include "core/fileutil.h"
#include "engine/lxc_conf.h"
#include "host/cgroup_info.h"
#include "host/cgroup_mounts.h"
#include "host/cgroup_v2_values.h"

static int resolve_block_device(const char *path, unsigned *major_out, unsigned *minor_out,
                                char *err, size_t errlen)
{
	struct stat st;
	if (stat(path, &st) < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (!S_ISBLK(st.st_mode)) {
		snprintf(err, errlen, "%s is not a block device", path);
		return -1;
	}
	*major_out = major(st.st_rdev);
	*minor_out = minor(st.st_rdev);
	return 0;
}

/* The active scheduler of the device's queue ("[bfq]" in queue/scheduler; a partition's is
 * its disk's), copied to buf; "" when it cannot be read. */
static const char *active_scheduler(unsigned maj, unsigned min, char *buf, size_t len)
{
	buf[0] = '\0';
	const char *where[] = {"queue/scheduler", "../queue/scheduler"};
	for (size_t i = 0; i < 2 && !buf[0]; i++) {
		char path[128];
		snprintf(path, sizeof(path), "/sys/dev/block/%u:%u/%s", maj, min, where[i]);
		char *text = read_file(path, 4096, NULL);
		char *open = text ? strchr(text, '[') : NULL;
		char *close = open ? strchr(open, ']') : NULL;
		if (close)
			snprintf(buf, len, "%.*s", (int)(close - open - 1), open + 1);
		free(text);
	}
	return buf;
}

/* bfq's and CFQ's files act only on a queue the scheduler runs (the kernel answers
 * EOPNOTSUPP); io.weight (iocost) needs no scheduler. */
static const char *queue_weight_problem(unsigned maj, unsigned min, const char *file, char *buf,
                                        size_t len)
{
	if (strcmp(file, "io.weight") == 0)
		return NULL;
	bool cfq = strcmp(file, "blkio.weight_device") == 0;
	char sched[32];
	active_scheduler(maj, min, sched, sizeof(sched));
	if (strcmp(sched, cfq ? "cfq" : "bfq") == 0)
		return NULL;
	snprintf(buf, len,
	         "the IO scheduler of the device (%u:%u) is %s, per-device weights (%s) need %s "
	         "(/sys/dev/block/%u:%u/queue/scheduler); please check whether current OS support "
	         "blkio weight device configuration for bfq scheduler",
	         maj, min, sched[0] ? sched : "unknown", file, cfq ? "cfq" : "bfq", maj, min);
	return buf;
}

void blkio_layout_host(struct blkio_layout *l)
{
	l->v2 = cgroup_is_unified();
	l->v1_throttle = cgroup_v1_has("blkio.throttle.read_bps_device");
	l->weight_device_file = cgroup_blkio_weight_device_file();
	const struct cgroup_hier *h = cgroup_mounts_v1(cgroup_mounts_host(), "blkio");
	const char *slash = h ? strrchr(h->mount_point, '/') : NULL;
	snprintf(l->v1_mount, sizeof(l->v1_mount), "%s", slash ? slash + 1 : "");
	l->resolve = resolve_block_device;
	l->weight_problem = queue_weight_problem;
}

int blkio_config_validate(const struct blkio_config *b, const struct blkio_layout *l, char *err,
                          size_t errlen)
{
	for (int k = 0; k < BLKIO_KINDS; k++) {
		for (size_t i = 0; i < b->n[k]; i++) {
			const char *path = b->dev[k][i].path;
			char why[512];
			unsigned maj, min;
			if (l->resolve(path, &maj, &min, why, sizeof(why)) < 0) {
				snprintf(
				    err, errlen,
				    "Invalid --%s device %s: %s (a block device of the host is "
				    "needed)",
				    blkio_flag(k), path, why);
				return -1;
			}
			const char *problem = NULL;
			if (k == BLKIO_WEIGHT_DEVICE && !l->weight_device_file)
				problem =
				    "no blkio.weight_device, blkio.bfq.weight_device, "
				    "io.bfq.weight or io.weight cgroup file; please check whether "
				    "current OS support blkio weight device configuration for bfq "
				    "scheduler";
			else if (k == BLKIO_WEIGHT_DEVICE)
				problem = l->weight_problem(maj, min, l->weight_device_file, why,
				                            sizeof(why));
			else if (!l->v2 && !l->v1_throttle)
				problem = "no blkio.throttle.* cgroup files (a kernel without "
				          "CONFIG_BLK_DEV_THROTTLING)";
			if (problem) {
				snprintf(err, errlen,
				         "Your kernel does not support --%s for %s: %s",
				         blkio_flag(k), path, problem);
				return -1;
			}
		}
	}
	return 0;
}

const char *blkio_ro_mount(const struct blkio_config *b, const struct blkio_layout *l, char *buf,
                           size_t len)
{
	size_t throttles = b->n[BLKIO_READ_BPS] + b->n[BLKIO_WRITE_BPS] + b->n[BLKIO_READ_IOPS] +
	                   b->n[BLKIO_WRITE_IOPS];
	if (l->v2 || !throttles || !l->v1_mount[0])
		return NULL;
	snprintf(buf, len, "/sys/fs/cgroup/%s", l->v1_mount);
	return buf;
}

static const char *const g_v1_files[BLKIO_KINDS] = {
    [BLKIO_READ_BPS] = "blkio.throttle.read_bps_device",
    [BLKIO_WRITE_BPS] = "blkio.throttle.write_bps_device",
    [BLKIO_READ_IOPS] = "blkio.throttle.read_iops_device",
    [BLKIO_WRITE_IOPS] = "blkio.throttle.write_iops_device",
};

/* One device's settings gathered for v2, which takes a device's limits on one io.max line. */
struct io_device {
	unsigned maj, min;
	struct cgroup_io_limits lim;
	int64_t weight;
};

static int64_t *limit_of(struct io_device *d, enum blkio_kind k)
{
	switch (k) {
	case BLKIO_READ_BPS:
		return &d->lim.rbps;
	case BLKIO_WRITE_BPS:
		return &d->lim.wbps;
	case BLKIO_READ_IOPS:
		return &d->lim.riops;
	case BLKIO_WRITE_IOPS:
		return &d->lim.wiops;
	default:
		return &d->weight;
	}
}

static void emit_v2(struct strbuf *f, const struct io_device *devs, size_t n,
                    const struct blkio_layout *l)
{
	char line[160], key[64];
	for (size_t i = 0; i < n; i++) {
		const struct cgroup_io_limits *lim = &devs[i].lim;
		if (lim->rbps || lim->wbps || lim->riops || lim->wiops) {
			cgroup_v2_io_max(devs[i].maj, devs[i].min, lim, line, sizeof(line));
			lxc_conf_line(f, "lxc.cgroup2.io.max", "%s", line);
		}
	}
	for (size_t i = 0; i < n; i++) {
		if (!devs[i].weight || !l->weight_device_file)
			continue;
		bool convert = strcmp(l->weight_device_file, "io.weight") == 0;
		cgroup_v2_io_device_weight(devs[i].maj, devs[i].min,
		                           convert ? cgroup_v2_io_weight(devs[i].weight)
		                                   : devs[i].weight,
		                           line, sizeof(line));
		snprintf(key, sizeof(key), "lxc.cgroup2.%s", l->weight_device_file);
		lxc_conf_line(f, key, "%s", line);
	}
}

int blkio_lxc_config(struct strbuf *f, const struct blkio_config *b, const struct blkio_layout *l,
                     char *err, size_t errlen)
{
	size_t total = 0;
	for (int k = 0; k < BLKIO_KINDS; k++)
		total += b->n[k];
	if (!total)
		return 0;
	struct io_device *devs = calloc(total, sizeof(*devs));
	if (!devs) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	size_t n = 0;
	int ret = 0;
	char why[512], key[96];
	for (int k = 0; k < BLKIO_KINDS && ret == 0; k++) {
		for (size_t i = 0; i < b->n[k] && ret == 0; i++) {
			const struct blkio_device *d = &b->dev[k][i];
			unsigned maj, min;
			const char *problem = NULL;
			if (l->resolve(d->path, &maj, &min, why, sizeof(why)) < 0)
				problem = why;
			else if (k == BLKIO_WEIGHT_DEVICE && !l->weight_device_file)
				problem = "this host has no cgroup file for per-device weights";
			else if (k == BLKIO_WEIGHT_DEVICE)
				problem = l->weight_problem(maj, min, l->weight_device_file, why,
				                            sizeof(why));
			if (problem) {
				snprintf(err, errlen, "Start container error: --%s %s: %s",
				         blkio_flag(k), d->path, problem);
				ret = -1;
				break;
			}
			if (!l->v2) {
				snprintf(key, sizeof(key), "lxc.cgroup.%s",
				         k == BLKIO_WEIGHT_DEVICE ? l->weight_device_file
				                                  : g_v1_files[k]);
				lxc_conf_line(f, key, "%u:%u %lld", maj, min, (long long)d->value);
				continue;
			}
			size_t j = 0;
			while (j < n && (devs[j].maj != maj || devs[j].min != min))
				j++;
			if (j == n) {
				devs[n].maj = maj;
				devs[n++].min = min;
			}
			*limit_of(&devs[j], k) = d->value; /* a later entry wins, as written last */
		}
	}
	if (ret == 0 && l->v2)
		emit_v2(f, devs, n, l);
	free(devs);
	return ret;
}
