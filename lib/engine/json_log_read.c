/* The json-file reader: rotated files oldest first, tail, since/until, and following the live
 * file across rotation (the writer renames PATH away and starts a new PATH) and truncation. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine/json_log.h"

#define READ_CHUNK (64 * 1024)
/* A "line" longer than this is not a record of ours: it is skipped, not buffered forever. */
#define MAX_LINE_BYTES (4 * 1024 * 1024)
#define MAX_ROTATED 100000

struct json_log_reader {
	char *path;
	struct json_log_read_opts o;
	int *fds; /* oldest first; the last one may be the live PATH */
	size_t nfds, cur;
	bool live_open; /* fds[nfds-1] is PATH as opened */
	dev_t live_dev;
	ino_t live_ino;
	bool rotated; /* PATH was renamed away: finish the old file, then reopen */
	char *buf;    /* unread bytes are buf[start..len) */
	size_t start, len, cap;
	bool skipping; /* inside an oversized line: drop until its newline */
	char *dec;     /* decoded log text */
	size_t dec_cap;
	int inotify_fd;
	bool done;
};

static int add_fd(struct json_log_reader *r, int fd)
{
	int *nf = realloc(r->fds, (r->nfds + 1) * sizeof(*nf));
	if (!nf)
		return -1;
	r->fds = nf;
	r->fds[r->nfds++] = fd;
	return 0;
}

static int open_live(struct json_log_reader *r)
{
	int fd = open(r->path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0 || add_fd(r, fd) < 0) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	r->live_open = true;
	r->live_dev = st.st_dev;
	r->live_ino = st.st_ino;
	return 0;
}

/* Offset in fd where its last *want lines start; when the file holds no more than that,
 * 0 with *want reduced by the lines it has. Uses r->buf as scratch. */
static off_t tail_start(struct json_log_reader *r, int fd, int64_t *want)
{
	struct stat st;
	if (fstat(fd, &st) < 0)
		return 0;
	off_t pos = st.st_size;
	int64_t count = 0;
	while (pos > 0) {
		size_t n = pos < (off_t)r->cap ? (size_t)pos : r->cap;
		pos -= (off_t)n;
		if (pread(fd, r->buf, n, pos) != (ssize_t)n)
			return 0;
		for (size_t i = n; i-- > 0;) {
			if (r->buf[i] == '\n' && ++count == *want + 1)
				return pos + (off_t)i + 1;
		}
	}
	*want -= count;
	return 0;
}

static void apply_tail(struct json_log_reader *r)
{
	int64_t want = r->o.tail;
	size_t first = 0;
	for (size_t i = r->nfds; i-- > 0;) {
		off_t off = tail_start(r, r->fds[i], &want);
		lseek(r->fds[i], off, SEEK_SET);
		/* The start is inside this file, or this whole file completes the count. */
		if (off > 0 || want <= 0) {
			first = i;
			break;
		}
	}
	/* Older files are not needed at all. */
	for (size_t i = 0; i < first; i++)
		close(r->fds[i]);
	memmove(r->fds, r->fds + first, (r->nfds - first) * sizeof(*r->fds));
	r->nfds -= first;
}

static void watch_dir(struct json_log_reader *r)
{
	char *copy = strdup(r->path);
	r->inotify_fd = copy ? inotify_init1(IN_CLOEXEC | IN_NONBLOCK) : -1;
	if (r->inotify_fd >= 0 && inotify_add_watch(r->inotify_fd, dirname(copy),
	                                            IN_MODIFY | IN_CREATE | IN_MOVED_TO |
	                                                IN_MOVED_FROM | IN_CLOSE_WRITE) < 0) {
		close(r->inotify_fd);
		r->inotify_fd = -1;
	}
	free(copy);
}

struct json_log_reader *json_log_reader_open(const char *path,
                                             const struct json_log_read_opts *opts)
{
	struct json_log_reader *r = calloc(1, sizeof(*r));
	if (!r)
		return NULL;
	r->o = *opts;
	r->inotify_fd = -1;
	r->path = strdup(path);
	r->cap = READ_CHUNK;
	r->buf = malloc(r->cap);
	if (!r->path || !r->buf)
		goto fail;
	int highest = 0;
	char num[4096];
	while (highest < MAX_ROTATED) {
		snprintf(num, sizeof(num), "%s.%d", path, highest + 1);
		if (access(num, F_OK) < 0)
			break;
		highest++;
	}
	for (int n = highest; n >= 1; n--) {
		snprintf(num, sizeof(num), "%s.%d", path, n);
		int fd = open(num, O_RDONLY | O_CLOEXEC);
		if (fd >= 0 && add_fd(r, fd) < 0) {
			close(fd);
			goto fail;
		}
	}
	if (open_live(r) < 0 && errno != ENOENT)
		goto fail;
	if (r->o.tail >= 0 && r->nfds > 0)
		apply_tail(r);
	if (r->o.follow)
		watch_dir(r);
	return r;
fail:
	json_log_reader_close(r);
	return NULL;
}

void json_log_reader_close(struct json_log_reader *r)
{
	if (!r)
		return;
	for (size_t i = r->cur; i < r->nfds; i++)
		close(r->fds[i]);
	if (r->inotify_fd >= 0)
		close(r->inotify_fd);
	free(r->fds);
	free(r->path);
	free(r->buf);
	free(r->dec);
	free(r);
}

static bool is_live(const struct json_log_reader *r)
{
	return r->live_open && r->cur == r->nfds - 1;
}

/* Live file at its end: notices rotation (PATH is another file now) and truncation. */
static void check_live(struct json_log_reader *r)
{
	int fd = r->fds[r->cur];
	struct stat st;
	if (stat(r->path, &st) < 0 || st.st_dev != r->live_dev || st.st_ino != r->live_ino) {
		r->rotated = true;
		return;
	}
	off_t at = lseek(fd, 0, SEEK_CUR);
	if (fstat(fd, &st) == 0 && at > st.st_size) {
		lseek(fd, 0, SEEK_SET);
		r->start = r->len = 0;
	}
}

/* Reads more into the buffer. 1: got bytes; 0: nothing now; -1: error. */
static int fill(struct json_log_reader *r)
{
	for (;;) {
		if (r->cur >= r->nfds) {
			if (!r->o.follow || open_live(r) < 0)
				return 0;
			continue;
		}
		if (r->start > 0) {
			memmove(r->buf, r->buf + r->start, r->len - r->start);
			r->len -= r->start;
			r->start = 0;
		}
		if (r->len == r->cap) {
			if (r->cap >= MAX_LINE_BYTES) {
				/* Not a record: drop what we have up to the next newline. */
				r->len = 0;
				r->skipping = true;
			} else {
				char *nb = realloc(r->buf, r->cap * 2);
				if (!nb)
					return -1;
				r->buf = nb;
				r->cap *= 2;
			}
		}
		ssize_t n = read(r->fds[r->cur], r->buf + r->len, r->cap - r->len);
		if (n > 0) {
			r->len += (size_t)n;
			return 1;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (is_live(r) && !r->rotated) {
			if (!r->o.follow)
				return 0;
			check_live(r);
			if (!r->rotated)
				return 0;
			continue; /* read the old file once more: the writer may have added to it */
		}
		/* End of a rotated-away file: a partial line there will never be completed. */
		close(r->fds[r->cur]);
		r->cur++;
		if (!r->o.raw)
			r->start = r->len = 0;
		if (r->rotated) {
			r->rotated = false;
			r->live_open = false;
		}
	}
}

static int take_line(struct json_log_reader *r, struct json_log_entry *e)
{
	for (;;) {
		char *begin = r->buf + r->start;
		char *nl = memchr(begin, '\n', r->len - r->start);
		if (!nl)
			return 0;
		size_t llen = (size_t)(nl - begin);
		r->start += llen + 1;
		if (r->skipping) {
			r->skipping = false;
			continue;
		}
		if (json_log_parse_line(begin, llen, e, &r->dec, &r->dec_cap) < 0)
			continue;
		const struct timespec *ts = &e->ts, *since = &r->o.since, *until = &r->o.until;
		if ((since->tv_sec || since->tv_nsec) &&
		    (ts->tv_sec < since->tv_sec ||
		     (ts->tv_sec == since->tv_sec && ts->tv_nsec < since->tv_nsec)))
			continue;
		if ((until->tv_sec || until->tv_nsec) &&
		    (ts->tv_sec > until->tv_sec ||
		     (ts->tv_sec == until->tv_sec && ts->tv_nsec > until->tv_nsec))) {
			r->done = true;
			return 2;
		}
		return 1;
	}
}

int json_log_reader_next(struct json_log_reader *r, struct json_log_entry *e)
{
	for (;;) {
		if (r->done)
			return 2;
		if (r->o.raw && r->len > r->start) {
			memset(e, 0, sizeof(*e));
			e->stream = JSON_LOG_STDOUT;
			e->data = r->buf + r->start;
			e->len = r->len - r->start;
			e->time = "";
			r->start = r->len;
			return 1;
		}
		if (!r->o.raw) {
			int got = take_line(r, e);
			if (got)
				return got;
		}
		int ret = fill(r);
		if (ret <= 0)
			return ret;
	}
}

void json_log_reader_wait(struct json_log_reader *r, int timeout_ms)
{
	if (r->inotify_fd < 0) {
		poll(NULL, 0, timeout_ms < 100 ? timeout_ms : 100);
		return;
	}
	struct pollfd p = {.fd = r->inotify_fd, .events = POLLIN};
	if (poll(&p, 1, timeout_ms) > 0) {
		char ev[4096];
		while (read(r->inotify_fd, ev, sizeof(ev)) > 0)
			;
	}
}
