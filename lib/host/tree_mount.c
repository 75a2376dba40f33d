#include "host/tree_mount.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/mount.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

int tree_clone(const char *path, bool rdonly, char *err, size_t errlen)
{
	int fd = open_tree(AT_FDCWD, path, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE);
	if (fd < 0) {
		snprintf(err, errlen, "cannot clone the mount of %s: %s", path, strerror(errno));
		return -1;
	}
	struct mount_attr attr = {.attr_set = MOUNT_ATTR_RDONLY};
	if (rdonly &&
	    mount_setattr(fd, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr, sizeof(attr)) < 0) {
		snprintf(err, errlen, "cannot make the clone of %s read-only: %s", path,
		         strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

/* Creates the missing directories above path (its last component excluded). */
static int make_parents(const char *path, uid_t uid, gid_t gid, char *err, size_t errlen)
{
	char buf[4096];
	size_t len = strlen(path);
	if (len >= sizeof(buf)) {
		snprintf(err, errlen, "%s: path too long", path);
		return -1;
	}
	memcpy(buf, path, len + 1);
	for (char *p = strchr(buf + 1, '/'); p; p = strchr(p + 1, '/')) {
		*p = '\0';
		if (mkdir(buf, 0755) == 0) {
			if (chown(buf, uid, gid) < 0) {
				snprintf(err, errlen, "cannot chown %s: %s", buf, strerror(errno));
				return -1;
			}
		} else if (errno != EEXIST) {
			snprintf(err, errlen, "cannot create %s: %s", buf, strerror(errno));
			return -1;
		}
		*p = '/';
	}
	return 0;
}

/* Creates the target if missing; *created tells. */
static int make_target(const char *path, bool dir, uid_t uid, gid_t gid, bool *created, char *err,
                       size_t errlen)
{
	*created = false;
	int rc = dir ? mkdir(path, 0755)
	             : open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (rc < 0) {
		if (errno == EEXIST)
			return 0;
		snprintf(err, errlen, "cannot create %s: %s", path, strerror(errno));
		return -1;
	}
	if (!dir)
		close(rc);
	*created = true;
	if (chown(path, uid, gid) < 0) {
		snprintf(err, errlen, "cannot chown %s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

static int set_propagation(int fd, enum tree_propagation prop)
{
	/* Slaves first, throughout: attaching under a shared mount made the clones shared. */
	struct mount_attr slave = {.propagation = MS_SLAVE};
	struct mount_attr priv = {.propagation = MS_PRIVATE};
	if (mount_setattr(fd, "", AT_EMPTY_PATH | AT_RECURSIVE, &slave, sizeof(slave)) < 0)
		return -1;
	if (prop == TREE_PRIVATE)
		return mount_setattr(fd, "", AT_EMPTY_PATH, &priv, sizeof(priv));
	if (prop == TREE_RPRIVATE)
		return mount_setattr(fd, "", AT_EMPTY_PATH | AT_RECURSIVE, &priv, sizeof(priv));
	return 0;
}

int tree_attach(int fd, const char *path, bool dir, uid_t uid, gid_t gid,
                enum tree_propagation prop, char *err, size_t errlen)
{
	bool created = false;
	int target = -1;
	if (make_parents(path, uid, gid, err, errlen) < 0 ||
	    make_target(path, dir, uid, gid, &created, err, errlen) < 0)
		goto fail;
	/* A symlink is followed, inside the caller's root. */
	target = open(path, O_PATH | O_CLOEXEC);
	struct stat st;
	if (target < 0 || fstat(target, &st) < 0) {
		snprintf(err, errlen, "cannot open %s: %s", path, strerror(errno));
		goto fail;
	}
	if (dir != !!S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "%s is %s", path,
		         dir ? "not a directory" : "a directory, not a file");
		goto fail;
	}
	if (move_mount(fd, "", target, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0) {
		snprintf(err, errlen, "cannot mount on %s: %s", path, strerror(errno));
		goto fail;
	}
	if (set_propagation(fd, prop) < 0) {
		snprintf(err, errlen, "cannot set the propagation of %s: %s", path,
		         strerror(errno));
		umount2(path, MNT_DETACH);
		goto fail;
	}
	close(target);
	return 0;
fail:
	if (target >= 0)
		close(target);
	if (created)
		dir ? rmdir(path) : unlink(path);
	return -1;
}

int tree_detach(const char *path, dev_t dev, ino_t ino, char *err, size_t errlen)
{
	struct stat st;
	if (stat(path, &st) < 0) {
		if (errno == ENOENT || errno == ENOTDIR)
			return 0;
		snprintf(err, errlen, "cannot stat %s: %s", path, strerror(errno));
		return -1;
	}
	if ((dev || ino) && (st.st_dev != dev || st.st_ino != ino))
		return 0;
	if (umount2(path, MNT_DETACH) < 0) {
		if (errno == EINVAL) /* the same file, but not a mount point of it */
			return 0;
		snprintf(err, errlen, "cannot unmount %s: %s", path, strerror(errno));
		return -1;
	}
	return 1;
}
