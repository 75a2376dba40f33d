#include "rootfs_block.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "core/fileutil.h"
#include "core/log.h"
#include "host/blockdev_mount.h"
#include "store.h"
#include "sysopt.h"

#define MOUNT_DIR "rootfs"

bool rootfs_is_block(const struct host_config *h)
{
	struct stat st;
	return h->external_rootfs && stat(h->external_rootfs, &st) == 0 && S_ISBLK(st.st_mode);
}

static char *mount_point(const struct container *c)
{
	char *state = store_state_dir(c->id);
	char *mp = state ? path_join(state, MOUNT_DIR) : NULL;
	free(state);
	return mp;
}

char *rootfs_dir(const struct container *c)
{
	const char *r = c->host.external_rootfs;
	if (r && !is_directory(r) && path_exists(r))
		return mount_point(c);
	return r ? strdup(r) : NULL;
}

int rootfs_open_dir(const struct container *c, char *err, size_t errlen)
{
	const char *dev = c->host.external_rootfs;
	struct stat st;
	if (!dev || stat(dev, &st) < 0 || !S_ISBLK(st.st_mode)) {
		int fd = dev ? open(dev, O_PATH | O_DIRECTORY | O_CLOEXEC) : -1;
		if (fd < 0)
			snprintf(err, errlen, "cannot open the rootfs %s: %s", dev ? dev : "(none)",
			         dev ? strerror(errno) : "no external rootfs");
		return fd;
	}
	char *mp = mount_point(c);
	int fd = -1;
	if (mp && blockdev_mounted_at(mp, st.st_rdev))
		fd = open(mp, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		snprintf(
		    err, errlen,
		    "the rootfs of %s is the block device %s, mounted only while the container "
		    "runs: start it first",
		    c->id, dev);
	free(mp);
	return fd;
}

int rootfs_block_check(const struct container *c, char *err, size_t errlen)
{
	const char *dev = c->host.external_rootfs;
	struct stat st;
	if (!dev || stat(dev, &st) < 0 || !S_ISBLK(st.st_mode))
		return 0;
	char *mp = mount_point(c);
	char *info = read_file("/proc/self/mountinfo", 8 << 20, NULL);
	char where[4096];
	bool rw = false;
	int found = info ? blockdev_other_mount(info, major(st.st_rdev), minor(st.st_rdev), mp,
	                                        where, sizeof(where), &rw)
	                 : 0;
	int ret = 0;
	if (found && (rw || !c->host.readonly_rootfs)) {
		snprintf(err, errlen,
		         "Invalid external rootfs '%s': the block device is mounted %s at %s%s",
		         dev, rw ? "read-write" : "read-only", where,
		         rw ? ": unmount it first" : ": only a --read-only container can share it");
		ret = -1;
	}
	free(info);
	free(mp);
	return ret;
}

/* The state root above a container's state dir gets search permission for others (not read):
 * a remapped root reaches its rootfs through it. */
static int search_for_others(const char *state)
{
	char *up = path_join(state, "..");
	struct stat st;
	int ret = up && stat(up, &st) == 0 ? 0 : -1;
	if (ret == 0 && !(st.st_mode & S_IXOTH))
		ret = chmod(up, (st.st_mode & 07777) | S_IXOTH);
	free(up);
	return ret;
}

int rootfs_block_mount(const struct container *c, bool *mounted, char *err, size_t errlen)
{
	*mounted = false;
	const char *dev = c->host.external_rootfs;
	struct stat st;
	if (!dev || is_directory(dev))
		return 0;
	errno = 0;
	if (stat(dev, &st) < 0 || !S_ISBLK(st.st_mode)) {
		snprintf(err, errlen, "Start container error: external rootfs %s: %s", dev,
		         errno ? strerror(errno) : "no longer a directory or a block device");
		return -1;
	}
	/* Whatever a crash left there first: the mount is made afresh, with this start's
	 * options. */
	rootfs_block_unmount(c);
	if (rootfs_block_check(c, err, errlen) < 0)
		return -1;
	char *state = store_state_dir(c->id);
	char *mp = state ? path_join(state, MOUNT_DIR) : NULL;
	int ret = -1;
	char fstype[64], why[1024];
	uid_t uid;
	gid_t gid;
	/* A remapped root must reach its rootfs through the state dir (search only). */
	mode_t mode = user_remap_root(&c->host, &uid, &gid) ? 0711 : 0700;
	if (!mp) {
		snprintf(err, errlen, "out of memory");
	} else if (mkdir_p(state, 0700) < 0 || chmod(state, mode) < 0 ||
	           (mode == 0711 && search_for_others(state) < 0) ||
	           (mkdir(mp, 0700) < 0 && errno != EEXIST)) {
		snprintf(err, errlen, "Start container error: cannot create %s: %s", mp,
		         strerror(errno));
	} else if (blockdev_mount(dev, mp, c->host.readonly_rootfs, fstype, sizeof(fstype), why,
	                          sizeof(why)) < 0) {
		snprintf(err, errlen, "Start container error: %s", why);
		rmdir(mp);
	} else {
		LOG_INFO("container %s: %s (%s) mounted on %s%s", c->id, dev, fstype, mp,
		         c->host.readonly_rootfs ? " read-only" : "");
		*mounted = true;
		ret = 0;
	}
	free(mp);
	free(state);
	return ret;
}

void rootfs_block_unmount(const struct container *c)
{
	char *mp = mount_point(c);
	char err[1024];
	if (mp && path_exists(mp)) {
		if (blockdev_unmount(mp, err, sizeof(err)) < 0 || err[0])
			LOG_WARN("container %s: %s", c->id, err);
	}
	free(mp);
}
