#include "host/tree_mount.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/mount.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

int tree_clone(int fd, const char *what, bool rdonly, char *err, size_t errlen)
{
	int tree =
	    open_tree(fd, "", AT_EMPTY_PATH | OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE);
	if (tree < 0) {
		snprintf(err, errlen, "cannot clone the mount of %s: %s", what, strerror(errno));
		return -1;
	}
	struct mount_attr attr = {.attr_set = MOUNT_ATTR_RDONLY};
	if (rdonly &&
	    mount_setattr(tree, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr, sizeof(attr)) < 0) {
		snprintf(err, errlen, "cannot make the clone of %s read-only: %s", what,
		         strerror(errno));
		close(tree);
		return -1;
	}
	return tree;
}

/* The decimal digits of n in buf (async-signal-safe). */
static const char *fd_name(int n, char buf[16])
{
	char *p = buf + 15;
	*p = '\0';
	do {
		*--p = (char)('0' + n % 10);
		n /= 10;
	} while (n > 0 && p > buf);
	return p;
}

int tree_detach_fd(int procfd, int fd)
{
	/* umount2 takes a path: fd's own magic link in the host's /proc/self/fd names exactly
	 * the mount fd holds, whatever the container does to the paths meanwhile. */
	int fds = openat(procfd, "self/fd", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fds < 0)
		return -1;
	char buf[16];
	int rc = fchdir(fds);
	close(fds);
	if (rc == 0)
		rc = umount2(fd_name(fd, buf), MNT_DETACH);
	int err = errno;
	if (chdir("/") < 0 && rc == 0)
		return -1;
	errno = err;
	return rc;
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

int tree_attach(int procfd, int fd, const char *path, bool dir, uid_t uid, gid_t gid,
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
		tree_detach_fd(procfd, fd);
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

int tree_detach(int procfd, const char *path, dev_t dev, ino_t ino, bool follow, char *err,
                size_t errlen)
{
	int root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (root < 0) {
		snprintf(err, errlen, "cannot open /: %s", strerror(errno));
		return -1;
	}
	/* Never out of the caller's root nor through a magic link; symlinks only when follow and
	 * the path has some. From here on only the fd is used. */
	struct open_how how = {.flags = O_PATH | O_CLOEXEC,
	                       .resolve =
	                           RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_SYMLINKS};
	const char *rel = path;
	while (*rel == '/')
		rel++;
	int fd = (int)syscall(SYS_openat2, root, *rel ? rel : ".", &how, sizeof(how));
	if (fd < 0 && errno == ELOOP && follow) {
		how.resolve &= ~(unsigned long long)RESOLVE_NO_SYMLINKS;
		fd = (int)syscall(SYS_openat2, root, *rel ? rel : ".", &how, sizeof(how));
	}
	int e = errno;
	close(root);
	if (fd < 0 && e == ELOOP)
		return 2;
	if (fd < 0) {
		if (e == ENOENT || e == ENOTDIR)
			return 0;
		snprintf(err, errlen, "cannot open %s: %s", path, strerror(e));
		return -1;
	}
	struct statx stx;
	if (statx(fd, "", AT_EMPTY_PATH, STATX_BASIC_STATS, &stx) < 0) {
		snprintf(err, errlen, "cannot look at %s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	/* Ours: the root of a mount (not a directory in one) showing the host path's file. */
	bool root_of_mount = (stx.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT) &&
	                     (stx.stx_attributes & STATX_ATTR_MOUNT_ROOT);
	if (!root_of_mount || makedev(stx.stx_dev_major, stx.stx_dev_minor) != dev ||
	    stx.stx_ino != ino) {
		close(fd);
		return 0;
	}
	int rc = tree_detach_fd(procfd, fd);
	e = errno;
	close(fd);
	if (rc < 0) {
		snprintf(err, errlen, "cannot unmount %s: %s", path, strerror(e));
		return -1;
	}
	return 1;
}
