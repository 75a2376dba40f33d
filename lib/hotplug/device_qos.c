/* The blkio QoS of a hot-plugged device in the container's cgroup: v1 blkio.throttle.* and
 * blkio.weight_device (blkio.bfq.weight_device when bfq provides it), and when the v2 tree
 * carries io for the container, io.max and io.weight (io.bfq.weight). */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/fileutil.h"
#include "host/cgroup_mounts.h"
#include "hotplug/device.h"
#include "hotplug/device_impl.h"

static const char *const g_v1_files[HP_QOS_KINDS] = {
    [HP_READ_IOPS] = "blkio.throttle.read_iops_device",
    [HP_WRITE_IOPS] = "blkio.throttle.write_iops_device",
    [HP_READ_BPS] = "blkio.throttle.read_bps_device",
    [HP_WRITE_BPS] = "blkio.throttle.write_bps_device",
    [HP_WEIGHT] = "blkio.weight_device",
};
static const char *const g_v2_keys[HP_QOS_KINDS] = {[HP_READ_IOPS] = "riops",
                                                    [HP_WRITE_IOPS] = "wiops",
                                                    [HP_READ_BPS] = "rbps",
                                                    [HP_WRITE_BPS] = "wbps"};

const char *hp_qos_v1_line(enum hp_qos_kind k, int64_t major, int64_t minor, uint64_t value,
                           char *buf, size_t len)
{
	if ((unsigned)k >= HP_QOS_KINDS)
		return NULL;
	snprintf(buf, len, "%lld:%lld %" PRIu64, (long long)major, (long long)minor, value);
	return g_v1_files[k];
}

const char *hp_qos_v2_line(enum hp_qos_kind k, int64_t major, int64_t minor, uint64_t value,
                           char *buf, size_t len)
{
	if ((unsigned)k >= HP_QOS_KINDS)
		return NULL;
	if (k == HP_WEIGHT) {
		if (value)
			snprintf(buf, len, "%lld:%lld %" PRIu64, (long long)major, (long long)minor,
			         value);
		else
			snprintf(buf, len, "%lld:%lld default", (long long)major, (long long)minor);
		return "io.weight";
	}
	if (value)
		snprintf(buf, len, "%lld:%lld %s=%" PRIu64, (long long)major, (long long)minor,
		         g_v2_keys[k], value);
	else
		snprintf(buf, len, "%lld:%lld %s=max", (long long)major, (long long)minor,
		         g_v2_keys[k]);
	return "io.max";
}

bool hp_qos_weight_supported(int64_t major, int64_t minor)
{
	char path[128];
	snprintf(path, sizeof(path), "/sys/dev/block/%lld:%lld/queue/scheduler", (long long)major,
	         (long long)minor);
	char *text = read_file(path, 4096, NULL);
	bool ok = text && (strstr(text, "cfq") || strstr(text, "bfq"));
	free(text);
	return ok;
}

/* Writes lines[i] to files[i], the first of the files the directory has. 1 written (*used:
 * i), 0 none of them is there, -1 (errno) the write failed. */
static int write_first(int dirfd, const char *const *files, const char *const *lines, size_t *used)
{
	for (size_t i = 0; files[i]; i++) {
		*used = i;
		if (hp_cgroup_write(dirfd, files[i], lines[i]) == 0)
			return 1;
		if (errno != ENOENT)
			return -1;
	}
	return 0;
}

int hp_qos_write(const struct hotplug_target *t, enum hp_qos_kind k, int64_t major, int64_t minor,
                 uint64_t value, struct error *e)
{
	if (!t->cgroup)
		return error_set(e, ERR_INTERNAL, "the container's lxc config names no cgroup");
	const struct cgroup_mounts *m = cgroup_mounts_host();
	int v1 = hp_cgroup_open(cgroup_mounts_v1(m, "blkio"), t->cgroup);
	int v2 = hp_cgroup_open(cgroup_mounts_v2(m), t->cgroup);
	char line[128], bfq_line[128];
	size_t used = 0;
	int wrote = 0, ret = 0;
	const char *weight_note =
	    k == HP_WEIGHT ? ", please check whether current OS support blkio weight device "
	                     "configuration for bfq scheduler"
	                   : "";
	/* bfq's weight files take "MAJ:MIN default", not 0, to clear a device's weight. */
	hp_qos_v2_line(k, major, minor, value, bfq_line, sizeof(bfq_line));
	if (v1 >= 0) {
		const char *file = hp_qos_v1_line(k, major, minor, value, line, sizeof(line));
		const char *files[] = {file, k == HP_WEIGHT ? "blkio.bfq.weight_device" : NULL,
		                       NULL};
		const char *lines[] = {line, bfq_line};
		int w = write_first(v1, files, lines, &used);
		if (w < 0)
			ret = error_set(
			    e, ERR_INTERNAL, "cannot write \"%s\" to %s of the cgroup %s: %s%s",
			    lines[used], files[used], t->cgroup, strerror(errno), weight_note);
		wrote += w > 0;
	}
	if (ret == 0 && v2 >= 0) {
		const char *file = hp_qos_v2_line(k, major, minor, value, line, sizeof(line));
		const char *files[] = {file, k == HP_WEIGHT ? "io.bfq.weight" : NULL, NULL};
		const char *lines[] = {line, line};
		int w = write_first(v2, files, lines, &used);
		if (w < 0)
			ret = error_set(
			    e, ERR_INTERNAL, "cannot write \"%s\" to %s of the cgroup %s: %s%s",
			    lines[used], files[used], t->cgroup, strerror(errno), weight_note);
		wrote += w > 0;
	}
	if (ret == 0 && !wrote)
		ret =
		    error_set(e, ERR_INTERNAL,
		              "the container's cgroup %s has no blkio (v1) or io (v2) file for %s",
		              t->cgroup, g_v1_files[k]);
	if (v1 >= 0)
		close(v1);
	if (v2 >= 0)
		close(v2);
	return ret;
}
