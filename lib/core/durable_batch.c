#include "core/durable_batch.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/fileutil.h"

struct pending_file {
	char *path, *tmp;
	int fd;
};

struct batch {
	struct pending_file *v;
	size_t n, cap;
	char **dirs; /* directories to sync besides those of the files */
	size_t ndirs;
	bool in_place; /* files renamed at once; fds kept to sync them */
	int err;       /* in place: the first failure of a sync_now, for the commit */
};

static _Thread_local struct batch *tl_batch;

static int begin(bool in_place)
{
	if (tl_batch) {
		errno = EBUSY;
		return -1;
	}
	tl_batch = calloc(1, sizeof(*tl_batch));
	if (!tl_batch)
		return -1;
	tl_batch->in_place = in_place;
	return 0;
}

int durable_batch_begin(void)
{
	return begin(false);
}

int durable_batch_begin_in_place(void)
{
	return begin(true);
}

static void pending_drop(struct pending_file *p, bool remove_tmp)
{
	if (p->fd >= 0)
		close(p->fd);
	if (remove_tmp && p->tmp)
		unlink(p->tmp);
	free(p->path);
	free(p->tmp);
	memset(p, 0, sizeof(*p));
	p->fd = -1;
}

bool durable_batch_open(void)
{
	return tl_batch != NULL;
}

bool durable_batch_take(const char *path, const char *tmp, int fd)
{
	struct batch *b = tl_batch;
	if (!b)
		return false;
	/* In place: visible now; on failure the caller's own write reports it. */
	if (b->in_place && rename(tmp, path) < 0)
		return false;
	/* The same path again: its temp file name is the same (one per thread), already
	 * rewritten by the caller; only the descriptor is new. */
	for (size_t i = 0; i < b->n; i++) {
		if (strcmp(b->v[i].path, path) == 0) {
			close(b->v[i].fd);
			b->v[i].fd = fd;
			return true;
		}
	}
	if (b->n == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 8;
		struct pending_file *v = realloc(b->v, cap * sizeof(*v));
		if (!v)
			return false; /* the caller writes it on its own */
		b->v = v;
		b->cap = cap;
	}
	struct pending_file *p = &b->v[b->n];
	p->path = strdup(path);
	p->tmp = strdup(tmp);
	p->fd = fd;
	if (!p->path || !p->tmp) {
		free(p->path);
		free(p->tmp);
		return false;
	}
	b->n++;
	return true;
}

/* dir among the batch's directories to sync, once. */
static bool add_dir(struct batch *b, const char *dir)
{
	for (size_t i = 0; i < b->ndirs; i++) {
		if (strcmp(b->dirs[i], dir) == 0)
			return true;
	}
	char **v = realloc(b->dirs, (b->ndirs + 1) * sizeof(*v));
	if (!v)
		return false;
	b->dirs = v;
	if (!(v[b->ndirs] = strdup(dir)))
		return false;
	b->ndirs++;
	return true;
}

bool durable_batch_take_dir(const char *dir)
{
	return tl_batch && add_dir(tl_batch, dir);
}

static void batch_free(struct batch *b, size_t from)
{
	for (size_t i = from; i < b->n; i++)
		pending_drop(&b->v[i], true);
	for (size_t i = 0; i < from; i++)
		pending_drop(&b->v[i], false);
	for (size_t i = 0; i < b->ndirs; i++)
		free(b->dirs[i]);
	free(b->dirs);
	free(b->v);
	free(b);
}

/* Each directory of the batch once: those of its files, then those it was given. */
static int sync_dirs(const struct batch *b)
{
	size_t n = b->n + b->ndirs;
	char **all = calloc(n ? n : 1, sizeof(*all));
	int ret = all ? 0 : -1;
	for (size_t i = 0; i < n && ret == 0; i++) {
		all[i] = i < b->n ? path_dir(b->v[i].path) : strdup(b->dirs[i - b->n]);
		if (!all[i]) {
			ret = -1;
			break;
		}
		bool seen = false;
		for (size_t j = 0; j < i && !seen; j++)
			seen = strcmp(all[j], all[i]) == 0;
		if (!seen && fsync_dir(all[i]) < 0)
			ret = -1;
	}
	int saved = errno;
	for (size_t i = 0; all && i < n; i++)
		free(all[i]);
	free(all);
	errno = saved;
	return ret;
}

/* In place: fsyncs the files taken so far, then forgets them; their directories join the
 * batch's, which are synced (each once) with dirs_too: at the commit, when every entry of the
 * operation is in them. */
static int sync_in_place(struct batch *b, bool dirs_too)
{
	int saved = 0;
	for (size_t i = 0; i < b->n; i++) {
		if (!saved && fsync(b->v[i].fd) < 0)
			saved = errno;
		char *dir = path_dir(b->v[i].path);
		if ((!dir || !add_dir(b, dir)) && !saved)
			saved = ENOMEM;
		free(dir);
		pending_drop(&b->v[i], false);
	}
	b->n = 0;
	if (dirs_too && !saved && sync_dirs(b) < 0)
		saved = errno;
	if (saved && !b->err)
		b->err = saved;
	errno = saved;
	return saved ? -1 : 0;
}

int durable_batch_sync_now(void)
{
	struct batch *b = tl_batch;
	return b && b->in_place ? sync_in_place(b, false) : 0;
}

int durable_batch_commit(void)
{
	struct batch *b = tl_batch;
	tl_batch = NULL;
	if (!b)
		return 0;
	if (b->in_place) {
		sync_in_place(b, true);
		int err = b->err;
		batch_free(b, 0);
		errno = err;
		return err ? -1 : 0;
	}
	int saved = 0;
	size_t renamed = 0;
	for (size_t i = 0; i < b->n && !saved; i++) {
		if (fsync(b->v[i].fd) < 0)
			saved = errno;
	}
	while (renamed < b->n && !saved) {
		if (rename(b->v[renamed].tmp, b->v[renamed].path) < 0)
			saved = errno;
		else
			renamed++;
	}
	if (!saved && sync_dirs(b) < 0)
		saved = errno;
	batch_free(b, renamed);
	errno = saved;
	return saved ? -1 : 0;
}

void durable_batch_abort(void)
{
	struct batch *b = tl_batch;
	tl_batch = NULL;
	if (b)
		batch_free(b, b->in_place ? b->n : 0); /* in place: no temp file is left */
}
