/* Hot-plugged host paths (see path.h). */
#include "hotplug/path.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/strv.h"
#include "host/ns_root.h"
#include "host/tree_mount.h"
#include "hotplug/path_host.h"

/* ------------------------------------------------------------------------- on the host */

int hotplug_path_check_source(const struct hp_bind *b, struct error *e)
{
	struct stat l, st;
	if (lstat(b->host, &l) == 0 && S_ISLNK(l.st_mode) && stat(b->host, &st) < 0)
		return error_set(e, ERR_INVALID,
		                 "Parsebind get symlibk source file error: stat %s: %s", b->host,
		                 strerror(errno));
	return 0;
}

/* One binding ready to attach (fd: its detached clone) or to detach (fd -1), and what
 * identifies it once attached: the host path's file, opened without symlinks. known false:
 * the host path cannot be opened safely (gone, or a symlink now): its mount is never touched. */
struct live_bind {
	int fd;
	bool known;
	bool dir;
	dev_t dev;
	ino_t ino;
	const char *ctr;
	enum tree_propagation prop;
};

static void live_binds_close(struct live_bind *lb, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (lb[i].fd >= 0)
			close(lb[i].fd);
		lb[i].fd = -1;
	}
}

/* Clones the host trees (fd) or, with clone false, only identifies them (why: the reason one
 * is not known, for the caller's note; NULL when none may be unknown: then it is an error). */
static int live_binds_open(const struct hp_bind *b, size_t n, bool clone, struct live_bind *lb,
                           struct error *why, struct error *e)
{
	for (size_t i = 0; i < n; i++)
		lb[i] = (struct live_bind){.fd = -1, .ctr = b[i].ctr, .prop = b[i].prop};
	for (size_t i = 0; i < n; i++) {
		struct stat st;
		char err[512];
		struct error oe = {0};
		int src = hp_host_open(b[i].host, clone ? &oe : &why[i]);
		if (src < 0 && clone) {
			live_binds_close(lb, n);
			return error_set(e, oe.code, "path (%s:%s): %s", b[i].host, b[i].ctr,
			                 oe.msg);
		}
		if (src < 0)
			continue;
		if (clone)
			lb[i].fd = tree_clone(src, b[i].host, b[i].ro, err, sizeof(err));
		if (clone && lb[i].fd < 0) {
			close(src);
			live_binds_close(lb, n);
			return error_set(e, ERR_INTERNAL, "%s", err);
		}
		if (fstat(clone ? lb[i].fd : src, &st) < 0) {
			error_set(e, ERR_INTERNAL, "cannot stat %s: %s", b[i].host,
			          strerror(errno));
			close(src);
			live_binds_close(lb, n);
			return -1;
		}
		close(src);
		lb[i].known = true;
		lb[i].dir = S_ISDIR(st.st_mode);
		lb[i].dev = st.st_dev;
		lb[i].ino = st.st_ino;
	}
	return 0;
}

/* ------------------------------------------------------------------ inside the container */

struct ns_job {
	struct live_bind *lb;
	size_t n;
	uid_t uid;
	gid_t gid;
	int procfd;
};

enum { UNTOUCHED, DETACHED, NOT_OURS, SYMLINKED };

/* ints only: ns_exec's shared result buffer is only int-aligned. */
struct ns_result {
	int failed; /* the binding that failed, -1: none */
	char err[768];
	unsigned char outcome[]; /* unmount: per binding, UNTOUCHED DETACHED NOT_OURS SYMLINKED */
};

/* Mounts every binding, or none: on a failure the ones attached are taken off again. */
static int ns_mount_all(void *arg, void *result)
{
	const struct ns_job *j = arg;
	struct ns_result *res = result;
	res->failed = -1;
	for (size_t i = 0; i < j->n; i++) {
		struct live_bind *l = &j->lb[i];
		if (tree_attach(j->procfd, l->fd, l->ctr, l->dir, j->uid, j->gid, l->prop, res->err,
		                sizeof(res->err)) == 0)
			continue;
		res->failed = (int)i;
		while (i-- > 0)
			tree_detach_fd(j->procfd, j->lb[i].fd);
		return 1;
	}
	return 0;
}

/* Takes off the bindings whose host path is known, in order, stopping at the first failure. */
static int ns_unmount_all(void *arg, void *result)
{
	const struct ns_job *j = arg;
	struct ns_result *res = result;
	res->failed = -1;
	for (size_t i = 0; i < j->n; i++) {
		const struct live_bind *l = &j->lb[i];
		if (!l->known)
			continue;
		/* A container path through the container's symlinks (/var/run -> /run) is
		 * followed for a directory only: a file may share its identity with the engine's
		 * masks (/dev/null over /proc/keys), a symlink could lead there. */
		int rc = tree_detach(j->procfd, l->ctr, l->dev, l->ino, l->dir, res->err,
		                     sizeof(res->err));
		if (rc < 0) {
			res->failed = (int)i;
			return 1;
		}
		res->outcome[i] = rc == 1 ? DETACHED : rc == 2 ? SYMLINKED : NOT_OURS;
	}
	return 0;
}

/* Runs fn on the bindings in the container, whose init must still be the one pinned. 0, or -1
 * with e (naming the binding that failed). res is the caller's, of res_size bytes. */
static int in_container(const struct hotplug_target *t, ns_exec_fn fn, const struct hp_bind *b,
                        struct live_bind *lb, size_t n, struct ns_result *res, size_t res_size,
                        struct error *e)
{
	struct ns_root root;
	char err[512];
	memset(res, 0, res_size);
	res->failed = -1;
	if (ns_root_open(t->pid, &root, err, sizeof(err)) < 0)
		return error_set(e, ERR_INTERNAL, "%s", err);
	/* The pinned init alive after the open: t->pid was not reused, root is its. */
	if (!hotplug_target_running(t)) {
		ns_root_close(&root);
		return error_set(e, ERR_NOT_RUNNING, "the container has stopped");
	}
	struct ns_job job = {lb, n, t->root_uid, t->root_gid, root.procfd};
	int rc = ns_root_run(&root, fn, &job, res, res_size, err, sizeof(err));
	ns_root_close(&root);
	if (rc < 0)
		return error_set(e, ERR_INTERNAL, "%s", err);
	if (rc != 0 && res->failed >= 0 && (size_t)res->failed < n)
		return error_set(e, ERR_INTERNAL, "path (%s:%s): %s", b[res->failed].host,
		                 b[res->failed].ctr, res->err);
	if (rc != 0)
		return error_set(e, ERR_INTERNAL, "the helper in the container failed (%d)", rc);
	return 0;
}

static int mount_live(const struct hotplug_target *t, const struct hp_bind *b, size_t n,
                      struct error *e)
{
	struct live_bind *lb = calloc(n ? n : 1, sizeof(*lb));
	if (!lb)
		return error_set(e, ERR_INTERNAL, "out of memory");
	struct ns_result res;
	int rc = live_binds_open(b, n, true, lb, NULL, e);
	if (rc == 0)
		rc = in_container(t, ns_mount_all, b, lb, n, &res, sizeof(res), e);
	live_binds_close(lb, n); /* an attached tree stays; a detached one goes */
	free(lb);
	return rc;
}

/* Notes what was left as it was: a host path that cannot be opened safely, or a container
 * path where it is not mounted. */
static int note_left(char ***notes, const struct hp_bind *b, const struct error *why,
                     unsigned char outcome)
{
	char msg[ERROR_MSG_LEN + 8200];
	if (outcome == SYMLINKED)
		snprintf(msg, sizeof(msg),
		         "the container path %s goes through a symlink and %s is a file: the mount "
		         "there is left in place",
		         b->ctr, b->host);
	else if (outcome == NOT_OURS)
		snprintf(msg, sizeof(msg),
		         "%s is not mounted at %s in the container: nothing unmounted", b->host,
		         b->ctr);
	else if (why->code == ERR_NOT_FOUND)
		snprintf(msg, sizeof(msg),
		         "the host path %s is gone: the mount at %s in the container is left in "
		         "place",
		         b->host, b->ctr);
	else if (why->code == ERR_INVALID)
		snprintf(msg, sizeof(msg),
		         "the host path %s goes through a symlink now: the mount at %s in the "
		         "container is left in place",
		         b->host, b->ctr);
	else
		snprintf(msg, sizeof(msg), "%s: the mount at %s in the container is left in place",
		         why->msg, b->ctr);
	return strv_push(notes, msg);
}

/* Unmounts the bindings that are ours; detached[i]: whether b[i] was taken off; notes gets
 * one line per binding left as it was. */
static int unmount_live(const struct hotplug_target *t, const struct hp_bind *b, size_t n,
                        bool *detached, char ***notes, struct error *e)
{
	struct live_bind *lb = calloc(n ? n : 1, sizeof(*lb));
	struct error *why = calloc(n ? n : 1, sizeof(*why));
	size_t res_size = sizeof(struct ns_result) + n;
	struct ns_result *res = calloc(1, res_size);
	int rc = -1;
	if (!lb || !why || !res) {
		error_set(e, ERR_INTERNAL, "out of memory");
		goto out;
	}
	if ((rc = live_binds_open(b, n, false, lb, why, e)) == 0)
		rc = in_container(t, ns_unmount_all, b, lb, n, res, res_size, e);
	for (size_t i = 0; i < n; i++) {
		detached[i] = res->outcome[i] == DETACHED;
		if (rc == 0 && (!lb[i].known || res->outcome[i] >= NOT_OURS) &&
		    note_left(notes, &b[i], &why[i], res->outcome[i]) < 0)
			rc = error_set(e, ERR_INTERNAL, "out of memory");
	}
out:
	free(res);
	free(why);
	free(lb);
	return rc;
}

/* --------------------------------------------------------------------------- the record */

/* A copy of the recorded bindings, to put back. NULL on out of memory. */
static char **binds_copy(const struct hotplug_record *r)
{
	char **c = calloc(r->n_binds + 1, sizeof(char *));
	for (size_t i = 0; c && i < r->n_binds; i++) {
		if (!(c[i] = strdup(r->binds[i]))) {
			strv_free(c);
			return NULL;
		}
	}
	return c;
}

static void binds_restore(struct hotplug_record *r, char **saved)
{
	for (size_t i = 0; i < r->n_binds; i++)
		free(r->binds[i]);
	free(r->binds);
	r->binds = saved;
	r->n_binds = 0;
	while (saved[r->n_binds])
		r->n_binds++;
}

/* Puts the saved bindings back, in memory and on disk. */
static void record_roll_back(const struct hotplug_target *t, struct hotplug_record *r, char **saved)
{
	struct error ignored = {0};
	binds_restore(r, saved);
	hotplug_record_save(t->dir, r, &ignored);
}

int hotplug_paths_add(const struct hotplug_target *t, struct hotplug_record *r,
                      const struct hp_bind *b, size_t n, bool live, struct error *e)
{
	char **saved = binds_copy(r);
	struct hp_host_made *made = calloc(n ? n : 1, sizeof(*made));
	if (!saved || !made) {
		strv_free(saved);
		free(made);
		return error_set(e, ERR_INTERNAL, "out of memory");
	}
	size_t prepared = 0;
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < n; i++) {
		rc = hp_binds_check_add(r->binds, r->n_binds, &b[i], HOTPLUG_MAX_PATHS, e);
		char *s = rc == 0 ? hp_bind_format(&b[i]) : NULL;
		if (rc == 0 && (!s || hp_array_push(&r->binds, &r->n_binds, sizeof(s), &s) < 0)) {
			free(s);
			rc = error_set(e, ERR_INTERNAL, "out of memory");
		}
	}
	for (; rc == 0 && prepared < n; prepared++)
		rc = hp_host_make(b[prepared].host, t->root_uid, t->root_gid, &made[prepared], e);
	bool recorded = false;
	if (rc == 0)
		recorded = (rc = hotplug_record_save(t->dir, r, e)) == 0;
	if (rc == 0 && live)
		rc = mount_live(t, b, n, e);
	if (rc < 0) {
		if (recorded)
			record_roll_back(t, r, saved);
		else
			binds_restore(r, saved);
		saved = NULL;
	}
	/* Newest first: a later binding's directory may sit in an earlier one's. */
	while (prepared-- > 0) {
		if (rc < 0)
			hp_host_made_undo(&made[prepared]);
		else
			hp_host_made_keep(&made[prepared]);
	}
	free(made);
	strv_free(saved);
	return rc;
}

int hotplug_paths_remove(const struct hotplug_target *t, struct hotplug_record *r,
                         const struct hp_bind *b, size_t n, bool live, char ***notes,
                         struct error *e)
{
	char **saved = binds_copy(r);
	bool *detached = calloc(n ? n : 1, sizeof(bool));
	if (!saved || !detached) {
		strv_free(saved);
		free(detached);
		return error_set(e, ERR_INTERNAL, "out of memory");
	}
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < n; i++) {
		long k = hp_binds_find(r->binds, r->n_binds, &b[i]);
		if (k < 0) {
			rc = error_set(
			    e, ERR_NOT_FOUND,
			    "Path pair(%s:%s) is not added by isulad-tools, can not remove "
			    "it, please check input parameter.",
			    b[i].host, b[i].ctr);
			break;
		}
		free(r->binds[k]);
		hp_array_remove(&r->binds, &r->n_binds, sizeof(char *), (size_t)k);
	}
	bool recorded = false;
	if (rc == 0)
		recorded = (rc = hotplug_record_save(t->dir, r, e)) == 0;
	if (rc == 0 && live && (rc = unmount_live(t, b, n, detached, notes, e)) < 0) {
		/* The ones taken off, mounted again with their recorded options. */
		struct hp_bind *back = calloc(n, sizeof(*back));
		size_t nb = 0;
		for (size_t i = 0; back && i < n; i++) {
			long k = detached[i] ? hp_binds_find(saved, strv_len(saved), &b[i]) : -1;
			struct error ignored = {0};
			if (k >= 0 && hp_bind_parse(saved[k], &back[nb], &ignored) == 0)
				nb++;
		}
		struct error ignored = {0};
		if (nb > 0)
			mount_live(t, back, nb, &ignored);
		for (size_t i = 0; i < nb; i++)
			hp_bind_free(&back[i]);
		free(back);
	}
	if (rc < 0) {
		if (recorded)
			record_roll_back(t, r, saved);
		else
			binds_restore(r, saved);
		saved = NULL;
	}
	free(detached);
	strv_free(saved);
	return rc;
}

/* ------------------------------------------------------------------------------- hooks */

int hotplug_paths_reapply(const struct hotplug_target *t, const struct hotplug_record *r,
                          struct error *e)
{
	if (r->n_binds == 0)
		return 0;
	struct hp_bind *b = calloc(r->n_binds, sizeof(*b));
	if (!b)
		return error_set(e, ERR_INTERNAL, "out of memory");
	size_t n = 0;
	int rc = 0;
	for (; rc == 0 && n < r->n_binds; n++) {
		struct error pe = {0};
		struct hp_host_made m;
		if (hp_bind_parse(r->binds[n], &b[n], &pe) < 0) {
			rc = error_set(e, ERR_INVALID, "path (%s): %s", r->binds[n], pe.msg);
			break;
		}
		/* A recorded path holds no symlink: one there now was planted since. */
		if (hp_host_make(b[n].host, t->root_uid, t->root_gid, &m, &pe) < 0)
			rc = error_set(e, pe.code, "path (%s): %s", r->binds[n], pe.msg);
		else
			hp_host_made_keep(&m);
	}
	if (rc == 0)
		rc = mount_live(t, b, n, e);
	for (size_t i = 0; i < n; i++)
		hp_bind_free(&b[i]);
	free(b);
	return rc;
}

int hotplug_paths_release(const char *id, const struct hotplug_record *r, struct error *e)
{
	(void)id;
	(void)r;
	(void)e;
	return 0;
}
