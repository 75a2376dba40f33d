/* Device nodes inside a running container: made, undone and removed by a child that joined
 * the container's mount namespace only (it stays root of the host's user namespace, which
 * mknod needs). Joining the namespace puts the child at its root, the container's pivoted
 * rootfs, so every path and symlink resolves inside the container. The child runs async-
 * signal-safe code only (ns_exec.h): fixed buffers, plain system calls. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "host/ns_exec.h"
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
	STEP_NOT_DEVICE
};

struct node_job {
	enum node_op op;
	bool force;
	uid_t dir_uid; /* owner of the parent directories made */
	gid_t dir_gid;
	const struct hp_node *nodes;
	size_t n;
	const struct hp_node_done *undo; /* OP_UNDO: what OP_MAKE did */
};

struct node_result {
	int failed; /* index of the node that failed, -1 */
	int err;    /* its errno */
	int step;
	struct hp_node_done done[];
};

/* Removes what was made for one node: the node itself, then its new parents, deepest first. */
static void undo_one(const struct hp_node *node, const struct hp_node_done *d)
{
	struct stat st;
	if (d->created && lstat(node->path, &st) == 0 && st.st_rdev == node->dev &&
	    (st.st_mode & S_IFMT) == (node->mode & S_IFMT))
		unlink(node->path);
	if (!d->new_dir_len)
		return;
	char buf[HP_CTR_PATH_MAX + 1];
	size_t len = strlen(node->path);
	memcpy(buf, node->path, len + 1);
	for (;;) {
		char *slash = strrchr(buf, '/');
		if (!slash || (size_t)(slash - buf) < d->new_dir_len)
			break;
		*slash = '\0';
		if (rmdir(buf) < 0)
			break;
	}
}

static int make_one(const struct node_job *job, const struct hp_node *node, struct hp_node_done *d,
                    int *step)
{
	char buf[HP_CTR_PATH_MAX + 1];
	size_t len = strlen(node->path);
	if (len > HP_CTR_PATH_MAX) {
		*step = STEP_MKNOD;
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(buf, node->path, len + 1);
	for (char *p = strchr(buf + 1, '/'); p; p = strchr(p + 1, '/')) {
		*p = '\0';
		if (mkdir(buf, 0755) == 0) {
			if (!d->new_dir_len)
				d->new_dir_len = (size_t)(p - buf);
			if (lchown(buf, job->dir_uid, job->dir_gid) < 0) {
				*step = STEP_OWNER;
				return -1;
			}
		} else if (errno != EEXIST) {
			*step = STEP_MKDIR;
			return -1;
		}
		*p = '/';
	}
	struct stat st;
	if (lstat(node->path, &st) == 0) {
		if ((st.st_mode & S_IFMT) == (node->mode & S_IFMT) && st.st_rdev == node->dev) {
			/* Already that device: keep it, with the owner and mode of the host's. */
			if (lchown(node->path, node->uid, node->gid) < 0 ||
			    chmod(node->path, node->mode & 07777) < 0) {
				*step = STEP_OWNER;
				return -1;
			}
			return 0;
		}
		if (!job->force || S_ISDIR(st.st_mode)) {
			*step = STEP_EXISTS;
			errno = S_ISDIR(st.st_mode) ? EISDIR : EEXIST;
			return -1;
		}
		if (unlink(node->path) < 0) {
			*step = STEP_UNLINK;
			return -1;
		}
		d->replaced = true;
	} else if (errno != ENOENT) {
		*step = STEP_LSTAT;
		return -1;
	}
	if (mknod(node->path, node->mode, node->dev) < 0) {
		*step = STEP_MKNOD;
		return -1;
	}
	d->created = true;
	if (lchown(node->path, node->uid, node->gid) < 0) {
		*step = STEP_OWNER;
		return -1;
	}
	return 0;
}

static int node_child(void *arg, void *result)
{
	const struct node_job *job = arg;
	struct node_result *res = result;
	res->failed = -1;
	umask(0);
	if (job->op == OP_UNDO) {
		for (size_t i = job->n; i-- > 0;)
			undo_one(&job->nodes[i], &job->undo[i]);
		return 0;
	}
	if (job->op == OP_REMOVE) {
		/* Every path checked before any is removed. */
		for (size_t i = 0; i < job->n; i++) {
			struct stat st;
			if (lstat(job->nodes[i].path, &st) < 0) {
				if (errno == ENOENT)
					continue;
				res->step = STEP_LSTAT;
			} else if (S_ISBLK(st.st_mode) || S_ISCHR(st.st_mode)) {
				res->done[i].created = true;
				continue;
			} else {
				res->step = STEP_NOT_DEVICE;
				errno = ENOTBLK;
			}
			res->failed = (int)i;
			res->err = errno;
			return 1;
		}
		for (size_t i = 0; i < job->n; i++) {
			if (res->done[i].created && unlink(job->nodes[i].path) < 0 &&
			    errno != ENOENT) {
				res->failed = (int)i;
				res->err = errno;
				res->step = STEP_UNLINK;
				return 1;
			}
		}
		return 0;
	}
	for (size_t i = 0; i < job->n; i++) {
		int step = STEP_NONE;
		if (make_one(job, &job->nodes[i], &res->done[i], &step) < 0) {
			res->failed = (int)i;
			res->err = errno;
			res->step = step;
			for (size_t k = i + 1; k-- > 0;)
				undo_one(&job->nodes[k], &res->done[k]);
			return 1;
		}
	}
	return 0;
}

static int run_job(const struct hotplug_target *t, const struct node_job *job,
                   struct hp_node_done *done, struct error *e)
{
	size_t size = sizeof(struct node_result) + job->n * sizeof(struct hp_node_done);
	struct node_result *res = calloc(1, size);
	if (!res)
		return error_set(e, ERR_INTERNAL, "out of memory");
	struct ns_target nt;
	char err[512];
	int ret = -1;
	if (ns_target_open(t->pid, CLONE_NEWNS, &nt, err, sizeof(err)) < 0) {
		error_set(e, ERR_INTERNAL, "cannot enter the container: %s", err);
		free(res);
		return -1;
	}
	/* The pid named by the engine is still its init (pinned since): nt is that process. */
	if (!hotplug_target_running(t)) {
		error_set(e, ERR_NOT_RUNNING, "the container has stopped");
	} else if (ns_target_run(&nt, node_child, (void *)job, res, size, err, sizeof(err)) < 0) {
		error_set(e, ERR_INTERNAL, "cannot work in the container: %s", err);
	} else if (res->failed >= 0 && (size_t)res->failed < job->n) {
		const char *path = job->nodes[res->failed].path;
		const char *why = strerror(res->err);
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
		case STEP_MKDIR:
			error_set(e, ERR_INTERNAL,
			          "cannot create the parents of %s in container: %s", path, why);
			break;
		case STEP_MKNOD:
			error_set(e, ERR_INTERNAL, "cannot create the device %s in container: %s",
			          path, why);
			break;
		case STEP_OWNER:
			error_set(e, ERR_INTERNAL,
			          "cannot set the owner and mode of %s in "
			          "container: %s",
			          path, why);
			break;
		default:
			error_set(e, ERR_INTERNAL, "cannot %s %s in container: %s",
			          res->step == STEP_UNLINK ? "remove" : "look at", path, why);
		}
	} else {
		ret = 0;
	}
	if (done)
		memcpy(done, res->done, job->n * sizeof(*done));
	ns_target_close(&nt);
	free(res);
	return ret;
}

int hp_nodes_make(const struct hotplug_target *t, const struct hp_node *nodes, size_t n, bool force,
                  struct hp_node_done *done, struct error *e)
{
	struct node_job job = {OP_MAKE, force, t->root_uid, t->root_gid, nodes, n, NULL};
	return run_job(t, &job, done, e);
}

void hp_nodes_undo(const struct hotplug_target *t, const struct hp_node *nodes,
                   const struct hp_node_done *done, size_t n)
{
	struct node_job job = {OP_UNDO, false, t->root_uid, t->root_gid, nodes, n, done};
	struct error e = {0};
	run_job(t, &job, NULL, &e);
}

int hp_nodes_remove(const struct hotplug_target *t, const struct hp_node *nodes, size_t n,
                    struct hp_node_done *done, struct error *e)
{
	struct node_job job = {OP_REMOVE, false, t->root_uid, t->root_gid, nodes, n, NULL};
	return run_job(t, &job, done, e);
}
