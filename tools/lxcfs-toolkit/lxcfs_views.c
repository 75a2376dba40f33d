#include "lxcfs_views.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "core/fileutil.h"

#define FUSE_SUPER_MAGIC 0x65735546

const char *const lxcfs_view_files[LXCFS_VIEW_COUNT] = {
    "proc/cpuinfo",
    "proc/meminfo",
    "proc/stat",
    "proc/diskstats",
    "proc/partitions",
    "proc/swaps",
    "proc/uptime",
    "proc/loadavg",
    [LXCFS_VIEW_CPU_DIR] = "sys/devices/system/cpu",
    [LXCFS_VIEW_CPU_ONLINE] = "sys/devices/system/cpu/online",
    "proc/slabinfo",
    "proc/pressure/cpu",
    "proc/pressure/memory",
    "proc/pressure/io",
};

/* Whether target i is to be mounted from the view vfd: the whole cpu directory where lxcfs
 * serves the cpuN directories in it, else its online file alone (an lxcfs that serves only
 * that file: the container keeps its own cpuN, as before). */
static bool wanted(int vfd, int i)
{
	static const char cpu0[] = "sys/devices/system/cpu/cpu0";
	if (i != LXCFS_VIEW_CPU_DIR && i != LXCFS_VIEW_CPU_ONLINE)
		return true;
	bool whole = faccessat(vfd, cpu0, F_OK, AT_SYMLINK_NOFOLLOW) == 0;
	return i == LXCFS_VIEW_CPU_DIR ? whole : !whole;
}

static void dead_or_failed(const char *mount_point, const char *what, int err, char *why,
                           size_t whylen)
{
	if (err == ENOTCONN)
		snprintf(why, whylen, "lxcfs on %s is not running (its mount is dead: %s)",
		         mount_point, strerror(err));
	else
		snprintf(why, whylen, "cannot read %s/%s: %s", mount_point, what, strerror(err));
}

int lxcfs_check(const char *mount_point, char *why, size_t whylen)
{
	struct statfs sfs;
	if (statfs(mount_point, &sfs) < 0) {
		if (errno == ENOENT)
			snprintf(why, whylen, "lxcfs is not mounted on %s: no such directory",
			         mount_point);
		else
			dead_or_failed(mount_point, "", errno, why, whylen);
		return -1;
	}
	if (sfs.f_type != FUSE_SUPER_MAGIC) {
		snprintf(why, whylen, "lxcfs is not mounted on %s", mount_point);
		return -1;
	}
	/* A read goes to the daemon: proof that it serves, not just that its mount exists. */
	char *path = path_join(mount_point, "proc/meminfo");
	int fd = path ? open(path, O_RDONLY | O_CLOEXEC) : -1;
	free(path);
	if (fd < 0) {
		if (errno == ENOENT)
			snprintf(why, whylen, "the FUSE mount on %s has no proc/meminfo: not lxcfs",
			         mount_point);
		else
			dead_or_failed(mount_point, "proc/meminfo", errno, why, whylen);
		return -1;
	}
	char c;
	ssize_t n = read(fd, &c, 1);
	int saved = errno;
	close(fd);
	if (n < 0) {
		dead_or_failed(mount_point, "proc/meminfo", saved, why, whylen);
		return -1;
	}
	if (n == 0) {
		snprintf(why, whylen, "lxcfs on %s serves an empty proc/meminfo", mount_point);
		return -1;
	}
	return 0;
}

/* Where the files of pid's view are: MOUNT/.views/PID, a tree of inodes of that container's
 * own whose text the kernel may cache (see lxcfs/fuse_ops.c); an lxcfs without it (another
 * build, Debian's) serves every container from MOUNT itself. An open directory fd, or -1
 * with err. */
static int open_view_dir(int mfd, const char *mount_point, int pid, char *err, size_t errlen)
{
	char sub[64];
	snprintf(sub, sizeof(sub), ".views/%d", pid);
	int fd = openat(mfd, sub, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0 || pid <= 0)
		return fd >= 0 ? fd : openat(mfd, ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	int saved = errno;
	if (saved == ENOENT && faccessat(mfd, ".views", F_OK, 0) < 0)
		return openat(mfd, ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (saved == ENOENT)
		snprintf(err, errlen, "lxcfs on %s has no view for pid %d: no such process",
		         mount_point, pid);
	else
		dead_or_failed(mount_point, sub, saved, err, errlen);
	return -1;
}

int lxcfs_views_clone(const char *mount_point, int pid, int fds[LXCFS_VIEW_COUNT], char *err,
                      size_t errlen)
{
	int n = 0;
	for (int i = 0; i < LXCFS_VIEW_COUNT; i++)
		fds[i] = -1;
	if (lxcfs_check(mount_point, err, errlen) < 0)
		return -1;
	int mfd = open(mount_point, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (mfd < 0) {
		dead_or_failed(mount_point, "", errno, err, errlen);
		return -1;
	}
	int vfd = open_view_dir(mfd, mount_point, pid, err, errlen);
	close(mfd);
	if (vfd < 0)
		return -1;
	for (int i = 0; i < LXCFS_VIEW_COUNT; i++) {
		if (!wanted(vfd, i))
			continue;
		fds[i] = open_tree(vfd, lxcfs_view_files[i], OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
		if (fds[i] >= 0) {
			n++;
		} else if (errno != ENOENT) {
			int saved = errno;
			dead_or_failed(mount_point, lxcfs_view_files[i], saved, err, errlen);
			n = -1;
			break;
		}
	}
	close(vfd);
	if (n == 0) {
		snprintf(err, errlen,
		         "lxcfs on %s serves none of the files to mount (proc/meminfo…)",
		         mount_point);
		n = -1;
	}
	if (n < 0)
		lxcfs_views_close(fds);
	return n;
}

void lxcfs_views_close(int fds[LXCFS_VIEW_COUNT])
{
	for (int i = 0; i < LXCFS_VIEW_COUNT; i++) {
		if (fds[i] >= 0)
			close(fds[i]);
		fds[i] = -1;
	}
}
