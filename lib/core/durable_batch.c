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

/* Directories to sync, each once. */
struct dir_list {
	char **v;
	size_t n;
};

struct batch {
	struct pending_file *v;
	size_t n, cap;
	/* Given by fsync_dir: synced at the next sync_now or the commit. The files'
	 * directories: at the commit, which may add more entries to them. */
	struct dir_list given, of_files;
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

static bool dir_list_has(const struct dir_list *l, const char *dir)
{
	for (size_t i = 0; i < l->n; i++) {
		if (strcmp(l->v[i], dir) == 0)
			return true;
	}
	return false;
}

static bool dir_list_add(struct dir_list *l, const char *dir)
{
	if (dir_list_has(l, dir))
		return true;
	char **v = realloc(l->v, (l->n + 1) * sizeof(*v));
	if (!v)
		return false;
	l->v = v;
	if (!(v[l->n] = strdup(dir)))
		return false;
	l->n++;
	return true;
}

static void dir_list_clear(struct dir_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

/* fsyncs each directory of l but those in later (the commit syncs them), then forgets them:
 * 0, or -1 with errno of the first failure. The batch is set aside meanwhile, or fsync_dir
 * would hand each back to it. */
static int dir_list_sync(struct dir_list *l, const struct dir_list *later)
{
	struct batch *open = tl_batch;
	tl_batch = NULL;
	int ret = 0, saved = 0;
	for (size_t i = 0; i < l->n; i++) {
		if ((!later || !dir_list_has(later, l->v[i])) && fsync_dir(l->v[i]) < 0 &&
		    ret == 0) {
			ret = -1;
			saved = errno;
		}
	}
	tl_batch = open;
	dir_list_clear(l);
	errno = saved;
	return ret;
}

/* The directory of each file of b, to sync at the commit. */
static int add_file_dirs(struct batch *b)
{
	for (size_t i = 0; i < b->n; i++) {
		char *dir = path_dir(b->v[i].path);
		bool ok = dir && dir_list_add(&b->of_files, dir);
		free(dir);
		if (!ok) {
			errno = ENOMEM;
			return -1;
		}
	}
	return 0;
}

/* At the commit: the files' directories and those given, each synced once. */
static int sync_all_dirs(struct batch *b)
{
	int ret = 0;
	for (size_t i = 0; i < b->of_files.n && ret == 0; i++) {
		if (!dir_list_add(&b->given, b->of_files.v[i])) {
			errno = ENOMEM;
			ret = -1;
		}
	}
	dir_list_clear(&b->of_files);
	return ret == 0 ? dir_list_sync(&b->given, NULL) : -1;
}

bool durable_batch_take_dir(const char *dir)
{
	return tl_batch && dir_list_add(&tl_batch->given, dir);
}

static void batch_free(struct batch *b, size_t from)
{
	for (size_t i = from; i < b->n; i++)
		pending_drop(&b->v[i], true);
	for (size_t i = 0; i < from; i++)
		pending_drop(&b->v[i], false);
	dir_list_clear(&b->given);
	dir_list_clear(&b->of_files);
	free(b->v);
	free(b);
}

/* In place: fsyncs the files taken so far and the directories given, then forgets them; the
 * files' directories (a given one too) are synced with at_commit, when every entry of the
 * operation is in them. */
static int sync_in_place(struct batch *b, bool at_commit)
{
	int saved = 0;
	for (size_t i = 0; i < b->n; i++) {
		if (!saved && fsync(b->v[i].fd) < 0)
			saved = errno;
	}
	if (add_file_dirs(b) < 0 && !saved)
		saved = errno;
	for (size_t i = 0; i < b->n; i++)
		pending_drop(&b->v[i], false);
	b->n = 0;
	if ((at_commit ? sync_all_dirs(b) : dir_list_sync(&b->given, &b->of_files)) < 0 && !saved)
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
	if (!saved && (add_file_dirs(b) < 0 || sync_all_dirs(b) < 0))
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
