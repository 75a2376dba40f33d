/* The host side of a hot-plugged device: its node and, through libudev, what kind of block
 * device it is and the partitions of a whole disk. */
#include <ctype.h>
#include <errno.h>
#include <libudev.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "hotplug/device_impl.h"

/* strerror in Go's words ("no such file or directory"), as the original's messages say it. */
static void go_strerror(int err, char *buf, size_t len)
{
	snprintf(buf, len, "%s", strerror(err));
	buf[0] = (char)tolower((unsigned char)buf[0]);
}

int hp_host_node_read(const char *path, struct hp_host_node *n, char *err, size_t errlen)
{
	char real[PATH_MAX], why[128];
	struct stat st;
	if (!realpath(path, real) || lstat(real, &st) < 0) {
		go_strerror(errno, why, sizeof(why));
		snprintf(err, errlen, "lstat %s: %s", path, why);
		return -1;
	}
	if (!S_ISBLK(st.st_mode) && !S_ISCHR(st.st_mode)) {
		snprintf(err, errlen, "not a device");
		return -1;
	}
	n->type = S_ISBLK(st.st_mode) ? 'b' : 'c';
	n->major = major(st.st_rdev);
	n->minor = minor(st.st_rdev);
	n->perm = st.st_mode & 07777;
	n->uid = st.st_uid;
	n->gid = st.st_gid;
	return 0;
}

enum hp_block_kind hp_block_kind(int64_t major, int64_t minor)
{
	struct udev *u = udev_new();
	struct udev_device *d =
	    u ? udev_device_new_from_devnum(u, 'b', makedev((unsigned)major, (unsigned)minor))
	      : NULL;
	const char *type = d ? udev_device_get_devtype(d) : NULL;
	enum hp_block_kind k = !type                            ? HP_BLOCK_OTHER
	                       : strcmp(type, "disk") == 0      ? HP_BLOCK_DISK
	                       : strcmp(type, "partition") == 0 ? HP_BLOCK_PARTITION
	                                                        : HP_BLOCK_OTHER;
	if (d)
		udev_device_unref(d);
	if (u)
		udev_unref(u);
	return k;
}

void hp_partitions_free(struct hp_partition *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(p[i].devnode);
	free(p);
}

static int by_number(const void *a, const void *b)
{
	unsigned x = ((const struct hp_partition *)a)->number;
	unsigned y = ((const struct hp_partition *)b)->number;
	return x < y ? -1 : x > y;
}

/* A disk has at most this many partitions (GPT's default table has 128). */
#define MAX_PARTITIONS 256

int hp_disk_partitions(int64_t major, int64_t minor, struct hp_partition **out, size_t *n,
                       struct error *e)
{
	*out = NULL;
	*n = 0;
	struct udev *u = udev_new();
	struct udev_device *disk =
	    u ? udev_device_new_from_devnum(u, 'b', makedev((unsigned)major, (unsigned)minor))
	      : NULL;
	struct udev_enumerate *en = disk ? udev_enumerate_new(u) : NULL;
	int ret = -1;
	if (!en || udev_enumerate_add_match_parent(en, disk) < 0 ||
	    udev_enumerate_add_match_subsystem(en, "block") < 0 ||
	    udev_enumerate_add_match_property(en, "DEVTYPE", "partition") < 0 ||
	    udev_enumerate_scan_devices(en) < 0) {
		error_set(e, ERR_INTERNAL,
		          "cannot list the partitions of the disk %lld:%lld (udev)",
		          (long long)major, (long long)minor);
		goto out;
	}
	struct hp_partition *p = calloc(MAX_PARTITIONS, sizeof(*p));
	if (!p) {
		error_set(e, ERR_INTERNAL, "out of memory");
		goto out;
	}
	size_t k = 0;
	struct udev_list_entry *it;
	ret = 0;
	udev_list_entry_foreach(it, udev_enumerate_get_list_entry(en))
	{
		struct udev_device *d =
		    udev_device_new_from_syspath(u, udev_list_entry_get_name(it));
		const char *node = d ? udev_device_get_devnode(d) : NULL;
		const char *num = d ? udev_device_get_sysattr_value(d, "partition") : NULL;
		char *end = NULL;
		unsigned long v = num ? strtoul(num, &end, 10) : 0;
		if (node && num && end != num && (*end == '\0' || *end == '\n') && v > 0 &&
		    v < 100000) {
			if (k == MAX_PARTITIONS) {
				ret = error_set(e, ERR_INVALID,
				                "the disk %lld:%lld has more than %d "
				                "partitions",
				                (long long)major, (long long)minor, MAX_PARTITIONS);
			} else if (!(p[k].devnode = strdup(node))) {
				ret = error_set(e, ERR_INTERNAL, "out of memory");
			} else {
				p[k++].number = (unsigned)v;
			}
		}
		if (d)
			udev_device_unref(d);
		if (ret < 0)
			break;
	}
	if (ret < 0) {
		hp_partitions_free(p, k);
		goto out;
	}
	qsort(p, k, sizeof(*p), by_number);
	*out = p;
	*n = k;
out:
	if (en)
		udev_enumerate_unref(en);
	if (disk)
		udev_device_unref(disk);
	if (u)
		udev_unref(u);
	return ret;
}
