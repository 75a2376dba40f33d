/* Device nodes inside a running container: made, undone and removed by a child that joined the
 * container's mount namespace only (it stays root of the host's user namespace, which mknod
 * needs) and chrooted into the container's root (ns_root.h).
 *
 * The container controls every directory of the path, so the child never resolves a path in
 * one go: it opens the parents one component at a time from the root with openat2
 * (RESOLVE_IN_ROOT | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS), making the missing ones with
 * mkdirat, and works on the last component relative to its parent's fd (mknodat, unlinkat,
 * fstatat without following). A symbolic link anywhere in the path is refused, and so is a
 * directory (or an existing node) on a mount other than the container's root and its /dev: a
 * volume or a bind from the host (such as an add-path binding) is the host's file system, never
 * a place for the host's root to make, chown, chmod or remove files on the container's word.
 * Owner and mode are set on an O_PATH fd of the node after checking it is the device (chmod
 * through the host's /proc/self/fd/N), so a file swapped in meanwhile is never touched. The
 * child runs async-signal-safe code only (ns_exec.h): fixed buffers, plain system calls. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "host/ns_root.h"
#include "hotplug/device_impl.h"

enum node_op { OP_MAKE, OP_UNDO, OP_REMOVE };
enum node_step {
	STEP_NONE,
	STEP_MKDIR,
	STEP_LSTAT,
	STEP_EXISTS,
	STEP_UNLINK,
	STEP_MKNOD,
	STEP_OWNER,
	STEP_NOT_DEVICE,
	STEP_LINK,    /* a component is a symbolic link */
	STEP_NOT_DIR, /* a parent is not a directory */
	STEP_MOUNT,   /* a parent (or the node) is on another mount than the root's and /dev's */
	STEP_BAD_PATH /* an empty, "." or ".." component */
};

struct node_job {
	enum node_op op;
	bool force;
	uid_t dir_uid; /* owner of the parent directories made */
	gid_t dir_gid;
	int procfd; /* the host's /proc (O_PATH), for the chmod of an O_PATH fd */
	const struct hp_node *nodes;
	size_t n;
	const struct hp_node_done *undo; /* OP_UNDO: what OP_MAKE did */
};

struct node_result {
	int failed; /* index of the node that failed, -1 */
	int err;    /* its errno */
	int step;
	size_t at; /* the length of the path's prefix that failed (0: the whole path) */
	struct hp_node_done done[];
};

/* The mounts a node may be on: the container's root and its /dev. */
struct places {
	int rootfd;
	uint64_t mnt[2];
	size_t n;
};

/* An id of the mount fd is on: the mount id, or the device on a kernel without it. */
static int mount_of(int fd, uint64_t *id)
{
	struct statx stx;
	if (statx(fd, "", AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW, STATX_MNT_ID, &stx) < 0)
		return -1;
	*id = (stx.stx_mask & STATX_MNT_ID)
	          ? stx.stx_mnt_id
	          : ((uint64_t)1 << 63) | ((uint64_t)stx.stx_dev_major << 32) | stx.stx_dev_minor;
	return 0;
}

static bool allowed_mount(const struct places *pl, int fd)
{
	uint64_t id;
	if (mount_of(fd, &id) < 0)
		return false;
	for (size_t i = 0; i < pl->n; i++)
		if (pl->mnt[i] == id)
			return true;
	return false;
}

/* One directory below dirfd by its name: never through a symbolic link (ELOOP), never out. */
static int open_dir(int dirfd, const char *name)
{
	struct open_how how = {
	    .flags = O_PATH | O_DIRECTORY | O_CLOEXEC,
	    .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS,
	};
	return (int)syscall(SYS_openat2, dirfd, name, &how, sizeof(how));
}

static int places_open(struct places *pl)
{
	pl->n = 0;
	pl->rootfd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (pl->rootfd < 0 || mount_of(pl->rootfd, &pl->mnt[pl->n]) < 0)
		return -1;
	pl->n++;
	int dev = open_dir(pl->rootfd, "dev");
	if (dev >= 0 && mount_of(dev, &pl->mnt[pl->n]) == 0)
		pl->n++;
	if (dev >= 0)
		close(dev);
	return 0;
}

/* Where a walk failed. */
struct walk_err {
	int step;
	size_t at;
};

static int walk_fail(struct walk_err *we, int step, size_t at, int err)
{
	we->step = step;
	we->at = at;
	errno = err;
	return -1;
}

/* Opens the parent directory of path (absolute, at most HP_CTR_PATH_MAX) from the root, one
 * component at a time, each on an allowed mount. With make, the missing ones are made (0755,
 * owned by uid:gid) and *new_len gets the length of the first one made. The parent's fd, with
 * *name at the last component; or -1 with errno and we. */
static int open_parent(const struct places *pl, const char *path, bool make, uid_t uid, gid_t gid,
                       size_t *new_len, const char **name, struct walk_err *we)
{
	char comp[NAME_MAX + 1];
	int dirfd = fcntl(pl->rootfd, F_DUPFD_CLOEXEC, 0);
	if (dirfd < 0)
		return walk_fail(we, STEP_LSTAT, 0, errno);
	const char *p = path;
	for (;;) {
		while (*p == '/')
			p++;
		const char *end = strchr(p, '/');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		size_t at = (size_t)(p - path) + len;
		int err = 0, step = STEP_BAD_PATH;
		if (len == 0 || (len == 1 && p[0] == '.') ||
		    (len == 2 && p[0] == '.' && p[1] == '.'))
			err = EINVAL;
		else if (len > NAME_MAX)
			err = ENAMETOOLONG;
		if (err) {
			close(dirfd);
			return walk_fail(we, step, at, err);
		}
		if (!end) {
			*name = p;
			return dirfd;
		}
		memcpy(comp, p, len);
		comp[len] = '\0';
		int fd = open_dir(dirfd, comp);
		bool made = false;
		if (fd < 0 && errno == ENOENT && make) {
			if (mkdirat(dirfd, comp, 0755) == 0)
				made = true;
			else if (errno != EEXIST)
				step = STEP_MKDIR, err = errno;
			if (!err)
				fd = open_dir(dirfd, comp);
		}
		if (fd < 0 && !err) {
			err = errno;
			step = err == ELOOP     ? STEP_LINK
			       : err == ENOTDIR ? STEP_NOT_DIR
			       : err == EXDEV   ? STEP_MOUNT
			                        : STEP_MKDIR;
		}
		if (!err && !allowed_mount(pl, fd))
			step = STEP_MOUNT, err = EXDEV;
		/* Made by us: owned by the container's root (the one just opened, not a name the
		 * container may have swapped meanwhile). */
		if (!err && made) {
			if (!*new_len)
				*new_len = at;
			if (fchownat(fd, "", uid, gid, AT_EMPTY_PATH) < 0)
				step = STEP_OWNER, err = errno;
		}
		close(dirfd);
		if (err) {
			if (fd >= 0)
				close(fd);
			return walk_fail(we, step, at, err);
		}
		dirfd = fd;
		p = end;
	}
}

static bool is_node(const struct stat *st, const struct hp_node *node)
{
	return (st->st_mode & S_IFMT) == (node->mode & S_IFMT) && st->st_rdev == node->dev;
}

/* "self/fd/N" for fchmodat on the host's /proc. */
static void self_fd_path(int fd, char *buf)
{
	char digits[16];
	size_t n = 0;
	do
		digits[n++] = (char)('0' + fd % 10);
	while ((fd /= 10) > 0);
	memcpy(buf, "self/fd/", 8);
	for (size_t i = 0; i < n; i++)
		buf[8 + i] = digits[n - 1 - i];
	buf[8 + n] = '\0';
}

/* Sets the owner (and with mode the mode) of the node name below dirfd, when it is that device
 * on an allowed mount: through an O_PATH fd, never by name. */
static int set_owner_mode(const struct node_job *job, const struct places *pl, int dirfd,
                          const char *name, const struct hp_node *node, bool mode)
{
	int fd = openat(dirfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -1;
	struct stat st;
	int ret = -1;
	if (fstat(fd, &st) < 0)
		goto out;
	if (!is_node(&st, node)) {
		errno = ESTALE; /* swapped since it was checked or made */
		goto out;
	}
	if (!allowed_mount(pl, fd)) {
		errno = EXDEV;
		goto out;
	}
	if (fchownat(fd, "", node->uid, node->gid, AT_EMPTY_PATH) < 0)
		goto out;
	if (mode) {
		char path[32];
		self_fd_path(fd, path);
		if (job->procfd < 0) {
			errno = ENOENT;
			goto out;
		}
		if (fchmodat(job->procfd, path, node->mode & 07777, 0) < 0)
			goto out;
	}
	ret = 0;
out : {
	int saved = errno;
	close(fd);
	errno = saved;
	return ret;
}
}

/* Removes what was made for one node: the node itself, then its new parents, deepest first. */
static void undo_one(const struct places *pl, const struct hp_node *node,
                     const struct hp_node_done *d)
{
	const char *name;
	struct walk_err we;
	size_t unused = 0;
	struct stat st;
	if (d->created) {
		int dirfd = open_parent(pl, node->path, false, 0, 0, &unused, &name, &we);
		if (dirfd >= 0) {
			if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
			    is_node(&st, node))
				unlinkat(dirfd, name, 0);
			close(dirfd);
		}
	}
	if (!d->new_dir_len)
		return;
	char buf[HP_CTR_PATH_MAX + 1];
	size_t len = strlen(node->path);
	if (len > HP_CTR_PATH_MAX)
		return;
	memcpy(buf, node->path, len + 1);
	for (;;) {
		char *slash = strrchr(buf, '/');
		if (!slash || (size_t)(slash - buf) < d->new_dir_len)
			break;
		*slash = '\0';
		int dirfd = open_parent(pl, buf, false, 0, 0, &unused, &name, &we);
		if (dirfd < 0)
			break;
		int rc = unlinkat(dirfd, name, AT_REMOVEDIR);
		close(dirfd);
		if (rc < 0)
			break;
	}
}

static int make_one(const struct node_job *job, const struct places *pl, const struct hp_node *node,
                    struct hp_node_done *d, struct walk_err *we)
{
	const char *name;
	we->at = 0;
	if (strlen(node->path) > HP_CTR_PATH_MAX)
		return walk_fail(we, STEP_MKNOD, 0, ENAMETOOLONG);
	int dirfd = open_parent(pl, node->path, true, job->dir_uid, job->dir_gid, &d->new_dir_len,
	                        &name, we);
	if (dirfd < 0)
		return -1;
	int ret = -1;
	struct stat st;
	we->step = STEP_NONE;
	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
		if (S_ISLNK(st.st_mode)) {
			walk_fail(we, STEP_LINK, 0, ELOOP);
			goto out;
		}
		if (is_node(&st, node)) {
			/* Already that device: keep it, with the owner and mode of the host's. */
			if (set_owner_mode(job, pl, dirfd, name, node, true) < 0)
				we->step = STEP_OWNER;
			else
				ret = 0;
			goto out;
		}
		if (!job->force || S_ISDIR(st.st_mode)) {
			walk_fail(we, STEP_EXISTS, 0, S_ISDIR(st.st_mode) ? EISDIR : EEXIST);
			goto out;
		}
		if (unlinkat(dirfd, name, 0) < 0) {
			we->step = STEP_UNLINK;
			goto out;
		}
		d->replaced = true;
	} else if (errno != ENOENT) {
		we->step = STEP_LSTAT;
		goto out;
	}
	if (mknodat(dirfd, name, node->mode, node->dev) < 0) {
		we->step = STEP_MKNOD;
		goto out;
	}
	d->created = true;
	/* The mode is mknod's (umask 0). */
	if (set_owner_mode(job, pl, dirfd, name, node, false) < 0)
		we->step = STEP_OWNER;
	else
		ret = 0;
out : {
	int saved = errno;
	close(dirfd);
	errno = saved;
	return ret;
}
}

/* OP_REMOVE: every path checked before any is removed. A node the tools could not have made
 * (reached only through a link, or on another mount: the container changed its parents) is
 * not there for them: it is left alone. */
static int remove_all(const struct node_job *job, const struct places *pl, struct node_result *res)
{
	for (size_t i = 0; i < job->n; i++) {
		const struct hp_node *node = &job->nodes[i];
		const char *name;
		struct walk_err we = {0};
		size_t unused = 0;
		struct stat st;
		int dirfd = open_parent(pl, node->path, false, 0, 0, &unused, &name, &we);
		if (dirfd < 0) {
			if (we.step == STEP_LINK || we.step == STEP_MOUNT || errno == ENOENT ||
			    errno == ENOTDIR)
				continue;
			res->step = we.step;
			res->at = we.at;
		} else {
			int rc = fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW);
			int err = errno;
			close(dirfd);
			if (rc < 0 && err == ENOENT)
				continue;
			if (rc == 0 && (S_ISBLK(st.st_mode) || S_ISCHR(st.st_mode))) {
				res->done[i].created = true;
				continue;
			}
			if (rc == 0 && S_ISLNK(st.st_mode))
				continue;
			res->step = rc < 0 ? STEP_LSTAT : STEP_NOT_DEVICE;
			errno = rc < 0 ? err : ENOTBLK;
		}
		res->failed = (int)i;
		res->err = errno;
		return 1;
	}
	for (size_t i = 0; i < job->n; i++) {
		if (!res->done[i].created)
			continue;
		const char *name;
		struct walk_err we = {0};
		size_t unused = 0;
		struct stat st;
		int dirfd = open_parent(pl, job->nodes[i].path, false, 0, 0, &unused, &name, &we);
		if (dirfd < 0)
			continue; /* gone meanwhile */
		int rc = 0;
		if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		    (S_ISBLK(st.st_mode) || S_ISCHR(st.st_mode)))
			rc = unlinkat(dirfd, name, 0);
		int err = errno;
		close(dirfd);
		if (rc < 0 && err != ENOENT) {
			res->failed = (int)i;
			res->err = err;
			res->step = STEP_UNLINK;
			return 1;
		}
	}
	return 0;
}

static int node_child(void *arg, void *result)
{
	const struct node_job *job = arg;
	struct node_result *res = result;
	struct places pl;
	res->failed = -1;
	umask(0);
	if (places_open(&pl) < 0) {
		res->failed = 0;
		res->err = errno;
		res->step = STEP_LSTAT;
		res->at = 1;
		return 1;
	}
	if (job->op == OP_UNDO) {
		for (size_t i = job->n; i-- > 0;)
			undo_one(&pl, &job->nodes[i], &job->undo[i]);
		return 0;
	}
	if (job->op == OP_REMOVE)
		return remove_all(job, &pl, res);
	for (size_t i = 0; i < job->n; i++) {
		struct walk_err we = {0};
		if (make_one(job, &pl, &job->nodes[i], &res->done[i], &we) < 0) {
			res->failed = (int)i;
			res->err = errno;
			res->step = we.step;
			res->at = we.at;
			for (size_t k = i + 1; k-- > 0;)
				undo_one(&pl, &job->nodes[k], &res->done[k]);
			return 1;
		}
	}
	return 0;
}

/* The message of a failed node. */
static void node_error(const struct node_result *res, const char *path, struct error *e)
{
	const char *why = strerror(res->err);
	int at = (int)(res->at && res->at < strlen(path) ? res->at : strlen(path));
	switch (res->step) {
	case STEP_EXISTS:
		error_set(e, ERR_EXISTS,
		          "path %s in container already exists and is not that device "
		          "(--force replaces a file that is not a directory)",
		          path);
		break;
	case STEP_NOT_DEVICE:
		error_set(e, ERR_INVALID, "path %s in container is not a device", path);
		break;
	case STEP_LINK:
		error_set(e, ERR_INVALID,
		          "path %s in container: %.*s is a symbolic link (refused: a device node "
		          "is never made or removed through a link)",
		          path, at, path);
		break;
	case STEP_MOUNT:
		error_set(e, ERR_INVALID,
		          "path %s in container: %.*s is on a mount that is not the container's "
		          "root or /dev (a volume or a binding from the host): refused",
		          path, at, path);
		break;
	case STEP_NOT_DIR:
		error_set(e, ERR_INVALID,
		          "cannot create the parents of %s in container: %.*s is not a directory",
		          path, at, path);
		break;
	case STEP_BAD_PATH:
		error_set(e, ERR_INVALID, "path %s in container: %s", path, why);
		break;
	case STEP_MKDIR:
		error_set(e, ERR_INTERNAL, "cannot create the parents of %s in container: %s", path,
		          why);
		break;
	case STEP_MKNOD:
		error_set(e, ERR_INTERNAL, "cannot create the device %s in container: %s", path,
		          why);
		break;
	case STEP_OWNER:
		error_set(e, ERR_INTERNAL, "cannot set the owner and mode of %s in container: %s",
		          path, why);
		break;
	default:
		error_set(e, ERR_INTERNAL, "cannot %s %s in container: %s",
		          res->step == STEP_UNLINK ? "remove" : "look at", path, why);
	}
}

static int run_job(const struct hotplug_target *t, struct node_job *job, struct hp_node_done *done,
                   struct error *e)
{
	size_t size = sizeof(struct node_result) + job->n * sizeof(struct hp_node_done);
	struct node_result *res = calloc(1, size);
	if (!res)
		return error_set(e, ERR_INTERNAL, "out of memory");
	struct ns_root root;
	char err[512];
	int ret = -1;
	if (ns_root_open(t->pid, &root, err, sizeof(err)) < 0) {
		error_set(e, ERR_INTERNAL, "cannot enter the container: %s", err);
		free(res);
		return -1;
	}
	job->procfd = open("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC);
	int rc;
	/* The pid named by the engine is still its init (pinned since): root is that process's. */
	if (!hotplug_target_running(t))
		error_set(e, ERR_NOT_RUNNING, "the container has stopped");
	else if ((rc = ns_root_run(&root, node_child, job, res, size, err, sizeof(err))) < 0)
		error_set(e, ERR_INTERNAL, "cannot work in the container: %s", err);
	else if (res->failed >= 0 && (size_t)res->failed < job->n)
		node_error(res, job->nodes[res->failed].path, e);
	else if (rc != 0)
		error_set(e, ERR_INTERNAL, "the helper in the container failed (%d)", rc);
	else
		ret = 0;
	if (done)
		memcpy(done, res->done, job->n * sizeof(*done));
	if (job->procfd >= 0)
		close(job->procfd);
	ns_root_close(&root);
	free(res);
	return ret;
}

int hp_nodes_make(const struct hotplug_target *t, const struct hp_node *nodes, size_t n, bool force,
                  struct hp_node_done *done, struct error *e)
{
	struct node_job job = {OP_MAKE, force, t->root_uid, t->root_gid, -1, nodes, n, NULL};
	return run_job(t, &job, done, e);
}

void hp_nodes_undo(const struct hotplug_target *t, const struct hp_node *nodes,
                   const struct hp_node_done *done, size_t n)
{
	struct node_job job = {OP_UNDO, false, t->root_uid, t->root_gid, -1, nodes, n, done};
	struct error e = {0};
	run_job(t, &job, NULL, &e);
}

int hp_nodes_remove(const struct hotplug_target *t, const struct hp_node *nodes, size_t n,
                    struct hp_node_done *done, struct error *e)
{
	struct node_job job = {OP_REMOVE, false, t->root_uid, t->root_gid, -1, nodes, n, NULL};
	return run_job(t, &job, done, e);
}
