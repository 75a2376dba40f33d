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

/* The host directories a call created (to remove them again on failure): path and the length
 * of its first created prefix; 0 when none. */
struct host_made {
	char *path;
	size_t first;
};

static void host_made_undo(struct host_made *m)
{
	if (m->first) {
		for (size_t len = strlen(m->path); len >= m->first;) {
			m->path[len] = '\0';
			if (rmdir(m->path) < 0)
				break;
			while (len > 0 && m->path[len - 1] != '/')
				len--;
			while (len > 1 && m->path[len - 1] == '/')
				len--;
			if (len < m->first)
				break;
		}
	}
	free(m->path);
	m->path = NULL;
	m->first = 0;
}

/* The host path exists (a missing one becomes a directory tree 0755 owned by the
 * container's root, as the original does). */
static int host_prepare(const struct hotplug_target *t, const char *host, struct host_made *m,
                        struct error *e)
{
	struct stat st;
	m->path = NULL;
	m->first = 0;
	if (stat(host, &st) == 0)
		return 0;
	if (errno != ENOENT)
		return error_set(e, ERR_INTERNAL, "cannot stat %s: %s", host, strerror(errno));
	char *p = strdup(host);
	if (!p)
		return error_set(e, ERR_INTERNAL, "out of memory");
	m->path = p;
	size_t len = strlen(p);
	for (size_t i = 1; i <= len; i++) {
		if (p[i] != '/' && p[i] != '\0')
			continue;
		char c = p[i];
		p[i] = '\0';
		int rc = mkdir(p, 0755);
		if (rc == 0 && !m->first)
			m->first = i;
		if (rc == 0 && chown(p, t->root_uid, t->root_gid) < 0) {
			error_set(e, ERR_INTERNAL, "cannot chown %s: %s", p, strerror(errno));
			p[i] = c;
			goto fail;
		}
		if (rc < 0 && errno != EEXIST) {
			error_set(e, ERR_INTERNAL, "cannot create %s: %s", p, strerror(errno));
			p[i] = c;
			goto fail;
		}
		p[i] = c;
	}
	if (stat(host, &st) < 0 || !S_ISDIR(st.st_mode)) {
		error_set(e, ERR_INTERNAL, "cannot create the directory %s", host);
		goto fail;
	}
	return 0;
fail:
	host_made_undo(m);
	return -1;
}

/* One binding ready to attach: its detached clone and what identifies it once attached. */
struct live_bind {
	int fd;
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

/* Clones the host trees (fd) or, with clone false, only identifies them (fd -1; a host
 * path gone is dev 0: whatever is mounted at the container path is taken off). */
static int live_binds_open(const struct hp_bind *b, size_t n, bool clone, struct live_bind *lb,
                           struct error *e)
{
	for (size_t i = 0; i < n; i++)
		lb[i] = (struct live_bind){.fd = -1, .ctr = b[i].ctr, .prop = b[i].prop};
	for (size_t i = 0; i < n; i++) {
		struct stat st;
		char err[512];
		if (clone) {
			lb[i].fd = tree_clone(b[i].host, b[i].ro, err, sizeof(err));
			if (lb[i].fd < 0) {
				live_binds_close(lb, n);
				return error_set(e, ERR_INTERNAL, "%s", err);
			}
		}
		if ((clone ? fstat(lb[i].fd, &st) : stat(b[i].host, &st)) == 0) {
			lb[i].dir = S_ISDIR(st.st_mode);
			lb[i].dev = st.st_dev;
			lb[i].ino = st.st_ino;
		} else if (clone) {
			error_set(e, ERR_INTERNAL, "cannot stat %s: %s", b[i].host,
			          strerror(errno));
			live_binds_close(lb, n);
			return -1;
		}
	}
	return 0;
}

/* ------------------------------------------------------------------ inside the container */

struct ns_job {
	struct live_bind *lb;
	size_t n;
	uid_t uid;
	gid_t gid;
};

/* ints only: ns_exec's shared result buffer is only int-aligned. */
struct ns_result {
	int failed; /* the binding that failed, -1: none */
	int done;   /* unmount: how many were taken off before it */
	char err[768];
};

/* Mounts every binding, or none: on a failure the ones attached are taken off again. */
static int ns_mount_all(void *arg, void *result)
{
	const struct ns_job *j = arg;
	struct ns_result *res = result;
	res->failed = -1;
	for (size_t i = 0; i < j->n; i++) {
		struct live_bind *l = &j->lb[i];
		if (tree_attach(l->fd, l->ctr, l->dir, j->uid, j->gid, l->prop, res->err,
		                sizeof(res->err)) == 0)
			continue;
		res->failed = (int)i;
		char ignored[8];
		while (i-- > 0)
			tree_detach(j->lb[i].ctr, j->lb[i].dev, j->lb[i].ino, ignored,
			            sizeof(ignored));
		return 1;
	}
	return 0;
}

/* Takes off the bindings in order, stopping at the first failure. */
static int ns_unmount_all(void *arg, void *result)
{
	const struct ns_job *j = arg;
	struct ns_result *res = result;
	res->failed = -1;
	for (size_t i = 0; i < j->n; i++) {
		const struct live_bind *l = &j->lb[i];
		if (tree_detach(l->ctr, l->dev, l->ino, res->err, sizeof(res->err)) < 0) {
			res->failed = (int)i;
			return 1;
		}
		res->done = (int)i + 1;
	}
	return 0;
}

/* Runs fn on the bindings in the container. 0, or -1 with e (naming the binding that failed,
 * res->failed its index, -1 when none was reached). */
static int in_container(const struct hotplug_target *t, ns_exec_fn fn, const struct hp_bind *b,
                        struct live_bind *lb, size_t n, struct ns_result *res, struct error *e)
{
	struct ns_root root;
	char err[512];
	memset(res, 0, sizeof(*res));
	res->failed = -1;
	if (ns_root_open(t->pid, &root, err, sizeof(err)) < 0)
		return error_set(e, ERR_INTERNAL, "%s", err);
	struct ns_job job = {lb, n, t->root_uid, t->root_gid};
	int rc = ns_root_run(&root, fn, &job, res, sizeof(*res), err, sizeof(err));
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
	int rc = live_binds_open(b, n, true, lb, e);
	if (rc == 0)
		rc = in_container(t, ns_mount_all, b, lb, n, &res, e);
	live_binds_close(lb, n); /* an attached tree stays; a detached one goes */
	free(lb);
	return rc;
}

/* Unmounts the bindings; *done: how many were taken off. */
static int unmount_live(const struct hotplug_target *t, const struct hp_bind *b, size_t n,
                        size_t *done, struct error *e)
{
	struct live_bind *lb = calloc(n ? n : 1, sizeof(*lb));
	if (!lb)
		return error_set(e, ERR_INTERNAL, "out of memory");
	struct ns_result res;
	*done = 0;
	int rc = live_binds_open(b, n, false, lb, e);
	if (rc == 0) {
		rc = in_container(t, ns_unmount_all, b, lb, n, &res, e);
		*done = (size_t)res.done;
	}
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
	struct host_made *made = calloc(n ? n : 1, sizeof(*made));
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
		rc = host_prepare(t, b[prepared].host, &made[prepared], e);
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
			host_made_undo(&made[prepared]);
		else
			free(made[prepared].path);
	}
	free(made);
	strv_free(saved);
	return rc;
}

int hotplug_paths_remove(const struct hotplug_target *t, struct hotplug_record *r,
                         const struct hp_bind *b, size_t n, bool live, struct error *e)
{
	char **saved = binds_copy(r);
	if (!saved)
		return error_set(e, ERR_INTERNAL, "out of memory");
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
	size_t done = 0;
	if (rc == 0 && live && (rc = unmount_live(t, b, n, &done, e)) < 0 && done > 0) {
		/* The recorded options of the ones taken off, to mount them again as they were. */
		struct hp_bind *back = calloc(done, sizeof(*back));
		size_t nb = 0;
		for (size_t i = 0; back && i < done; i++) {
			long k = hp_binds_find(saved, strv_len(saved), &b[i]);
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
		struct host_made m;
		if (hp_bind_parse(r->binds[n], &b[n], &pe) < 0) {
			rc = error_set(e, ERR_INVALID, "path (%s): %s", r->binds[n], pe.msg);
			break;
		}
		if (host_prepare(t, b[n].host, &m, &pe) < 0)
			rc = error_set(e, ERR_INTERNAL, "path (%s): %s", r->binds[n], pe.msg);
		free(m.path);
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
