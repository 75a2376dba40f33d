/* The json-file writer: line splitting per stream, size-bounded rotation. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/fileutil.h"
#include "engine/json_log.h"

struct partial {
	char *buf;
	size_t len;
};

struct json_log_writer {
	char *path;
	int fd;
	int64_t size, max_size;
	int max_file;
	struct partial part[3]; /* indexed by stream */
};

static char *numbered(const char *path, int n)
{
	size_t len = strlen(path) + 16;
	char *p = malloc(len);
	if (p)
		snprintf(p, len, "%s.%d", path, n);
	return p;
}

static int open_log(struct json_log_writer *w)
{
	w->fd = open(w->path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (w->fd < 0)
		return -1;
	struct stat st;
	w->size = fstat(w->fd, &st) == 0 ? st.st_size : 0;
	return 0;
}

/* Files the current setting no longer keeps (max-file lowered since they were written). */
static void remove_extra_files(const struct json_log_writer *w)
{
	for (int n = w->max_file; n < 100000; n++) {
		char *p = numbered(w->path, n);
		int ret = p ? unlink(p) : -1;
		free(p);
		if (ret < 0 && n > w->max_file)
			break;
	}
}

struct json_log_writer *json_log_writer_open(const char *path, int64_t max_size, int max_file)
{
	struct json_log_writer *w = calloc(1, sizeof(*w));
	if (!w)
		return NULL;
	w->path = strdup(path);
	w->max_size = max_size;
	w->max_file = max_file < 1 ? 1 : max_file;
	if (!w->path || open_log(w) < 0) {
		int saved = errno;
		free(w->path);
		free(w);
		errno = saved;
		return NULL;
	}
	remove_extra_files(w);
	return w;
}

/* PATH -> PATH.1 -> ... -> PATH.<max_file-1>, the oldest dropped; or truncation with 1. */
static int rotate(struct json_log_writer *w)
{
	if (w->max_file <= 1) {
		if (ftruncate(w->fd, 0) < 0)
			return -1;
		w->size = 0;
		return 0;
	}
	for (int n = w->max_file - 2; n >= 1; n--) {
		char *from = numbered(w->path, n), *to = numbered(w->path, n + 1);
		if (from && to)
			rename(from, to);
		free(from);
		free(to);
	}
	char *first = numbered(w->path, 1);
	int ret = first ? rename(w->path, first) : -1;
	free(first);
	if (ret < 0)
		return -1;
	close(w->fd);
	return open_log(w);
}

static int write_record(struct json_log_writer *w, enum json_log_stream s, const char *data,
                        size_t len, const struct timespec *ts)
{
	size_t rlen;
	char *rec = json_log_encode(s, data, len, ts, &rlen);
	if (!rec)
		return -1;
	/* Rotate before a record that would overflow, so no file grows past the limit unless a
	 * single record is larger than the limit itself. A failed rotation keeps writing: losing
	 * output is worse than an oversized file. */
	if (w->max_size > 0 && w->size > 0 && w->size + (int64_t)rlen > w->max_size)
		rotate(w);
	if (w->fd < 0)
		open_log(w);
	int ret = w->fd >= 0 ? fd_write_all(w->fd, rec, rlen) : -1;
	if (ret == 0)
		w->size += (int64_t)rlen;
	free(rec);
	return ret;
}

static int keep_partial(struct partial *p, const char *data, size_t len)
{
	char *nb = realloc(p->buf, p->len + len);
	if (!nb)
		return -1;
	memcpy(nb + p->len, data, len);
	p->buf = nb;
	p->len += len;
	return 0;
}

int json_log_writer_feed(struct json_log_writer *w, enum json_log_stream s, const char *data,
                         size_t len, const struct timespec *ts)
{
	struct partial *p = &w->part[s == JSON_LOG_STDERR ? 2 : 1];
	int ret = 0;
	while (len > 0) {
		size_t room = JSON_LOG_MAX_LINE - p->len;
		size_t scan = len < room ? len : room;
		const char *nl = memchr(data, '\n', scan);
		if (!nl && len < room) {
			if (keep_partial(p, data, len) < 0)
				ret = -1;
			break;
		}
		/* A whole line, or JSON_LOG_MAX_LINE bytes of one. */
		size_t take = nl ? (size_t)(nl - data) + 1 : room;
		if (p->len == 0) {
			if (write_record(w, s, data, take, ts) < 0)
				ret = -1;
		} else {
			if (keep_partial(p, data, take) < 0 ||
			    write_record(w, s, p->buf, p->len, ts) < 0)
				ret = -1;
			p->len = 0;
		}
		data += take;
		len -= take;
	}
	return ret;
}

int json_log_writer_flush(struct json_log_writer *w, enum json_log_stream s,
                          const struct timespec *ts)
{
	struct partial *p = &w->part[s == JSON_LOG_STDERR ? 2 : 1];
	if (p->len == 0)
		return 0;
	int ret = write_record(w, s, p->buf, p->len, ts);
	p->len = 0;
	return ret;
}

void json_log_writer_close(struct json_log_writer *w)
{
	if (!w)
		return;
	json_log_writer_flush(w, JSON_LOG_STDOUT, NULL);
	json_log_writer_flush(w, JSON_LOG_STDERR, NULL);
	for (int i = 0; i < 3; i++)
		free(w->part[i].buf);
	if (w->fd >= 0)
		close(w->fd);
	free(w->path);
	free(w);
}
