/* GET /containers/{id}/logs: the json-file log as Docker's multiplexed stream (8-byte frame
 * headers: stream 1|2, 0, 0, 0, size big-endian), or a tty container's raw console log;
 * with follow=1 it streams until the container stops for good or the client leaves. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/json_log.h"
#include "log_config.h"
#include "routes.h"
#include "store.h"
#include "core/units.h"

#define FILL_TARGET (64 * 1024)
#define MAX_FRAME (32 * 1024)
#define FOLLOW_POLL_MS 500

struct log_stream {
	struct container *c;
	struct MHD_Connection *conn;
	struct json_log_reader *r;
	bool follow, tty, timestamps, want[3];
	char *out;
	size_t pos, len, cap;
	size_t frame; /* offset of the last frame header in out (when frame_open) */
	bool frame_open;
	int frame_stream;
	bool ended;
};

static int reserve(struct log_stream *s, size_t more)
{
	if (s->len + more <= s->cap)
		return 0;
	size_t cap = s->cap ? s->cap : FILL_TARGET * 2;
	while (cap < s->len + more)
		cap *= 2;
	char *n = realloc(s->out, cap);
	if (!n)
		return -1;
	s->out = n;
	s->cap = cap;
	return 0;
}

static void put_be32(char *p, uint32_t v)
{
	p[0] = (char)(v >> 24);
	p[1] = (char)(v >> 16);
	p[2] = (char)(v >> 8);
	p[3] = (char)v;
}

/* Appends one entry; consecutive entries of one stream share a frame (up to MAX_FRAME). */
static int add_entry(struct log_stream *s, const struct json_log_entry *e)
{
	size_t extra = s->timestamps && !s->tty ? e->time_len + 1 : 0;
	if (reserve(s, 8 + extra + e->len) < 0)
		return -1;
	if (!s->tty) {
		uint32_t cur = 0;
		if (s->frame_open) {
			const unsigned char *h = (const unsigned char *)s->out + s->frame + 4;
			cur = (uint32_t)h[0] << 24 | (uint32_t)h[1] << 16 | (uint32_t)h[2] << 8 |
			      h[3];
		}
		if (!s->frame_open || s->frame_stream != (int)e->stream ||
		    cur + extra + e->len > MAX_FRAME) {
			s->frame = s->len;
			s->frame_open = true;
			s->frame_stream = (int)e->stream;
			memset(s->out + s->len, 0, 8);
			s->out[s->len] = (char)e->stream;
			s->len += 8;
			cur = 0;
		}
		put_be32(s->out + s->frame + 4, cur + (uint32_t)(extra + e->len));
	}
	if (extra) {
		memcpy(s->out + s->len, e->time, e->time_len);
		s->out[s->len + e->time_len] = ' ';
		s->len += extra;
	}
	memcpy(s->out + s->len, e->data, e->len);
	s->len += e->len;
	return 0;
}

/* Reads entries into out. Returns what json_log_reader_next last said (0: nothing more for
 * now, 1: out is full enough, 2: until passed, -1 error). */
static int fill(struct log_stream *s)
{
	struct json_log_entry e;
	while (s->len < FILL_TARGET) {
		int ret = json_log_reader_next(s->r, &e);
		if (ret != 1)
			return ret;
		if (s->tty || s->want[e.stream])
			if (add_entry(s, &e) < 0)
				return -1;
	}
	return 1;
}

static bool container_done(struct container *c)
{
	store_lock();
	bool done = c->removed ||
	            (c->state.status != STATUS_RUNNING && c->state.status != STATUS_RESTARTING);
	store_unlock();
	return done;
}

static ssize_t logs_stream(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct log_stream *s = cls;
	while (s->pos == s->len) {
		if (s->ended)
			return MHD_CONTENT_READER_END_OF_STREAM;
		s->pos = s->len = 0;
		s->frame_open = false;
		/* Checked before reading: the monitor writes out all output before the exit is
		 * recorded, so once stopped, one more read reaches the real end. */
		bool stopped = !s->follow || container_done(s->c);
		int ret = fill(s);
		if (ret < 0)
			return MHD_CONTENT_READER_END_WITH_ERROR;
		if (s->len > 0)
			break;
		if (ret == 2 || stopped) {
			s->ended = true;
			continue;
		}
		json_log_reader_wait(s->r, FOLLOW_POLL_MS);
		if (req_peer_gone(s->conn))
			return MHD_CONTENT_READER_END_WITH_ERROR;
	}
	size_t n = s->len - s->pos < max ? s->len - s->pos : max;
	memcpy(buf, s->out + s->pos, n);
	s->pos += n;
	return (ssize_t)n;
}

static void logs_done(void *cls)
{
	struct log_stream *s = cls;
	json_log_reader_close(s->r);
	store_put(s->c);
	free(s->out);
	free(s);
}

/* Docker sends UNIX seconds with an optional fraction ("1700000000.123456789"); RFC 3339 is
 * accepted too. "" and "0" mean no bound. */
static int parse_time_param(const char *v, struct timespec *out)
{
	out->tv_sec = out->tv_nsec = 0;
	if (!v || !*v)
		return 0;
	if (json_log_parse_time(v, strlen(v), out) == 0)
		return 0;
	char *end;
	errno = 0;
	long long sec = strtoll(v, &end, 10);
	if (errno || end == v || sec < 0)
		return -1;
	long nsec = 0;
	if (*end == '.') {
		int nd = 0;
		for (end++; *end >= '0' && *end <= '9'; end++, nd++) {
			if (nd < 9)
				nsec = nsec * 10 + (*end - '0');
		}
		for (; nd < 9; nd++)
			nsec *= 10;
	}
	if (*end)
		return -1;
	out->tv_sec = (time_t)sec;
	out->tv_nsec = nsec;
	return 0;
}

static int parse_params(const struct request *req, struct log_stream *s,
                        struct json_log_read_opts *o, struct response *resp)
{
	s->follow = o->follow = req_query_bool(req, "follow");
	s->timestamps = req_query_bool(req, "timestamps");
	s->want[JSON_LOG_STDOUT] = req_query_bool(req, "stdout");
	s->want[JSON_LOG_STDERR] = req_query_bool(req, "stderr");
	if (!s->want[JSON_LOG_STDOUT] && !s->want[JSON_LOG_STDERR]) {
		resp_error(resp, 400, "Bad parameters: you must choose at least one stream");
		return -1;
	}
	const char *tail = req_query(req, "tail");
	o->tail = -1;
	if (tail && *tail && strcmp(tail, "all") != 0 &&
	    (parse_int64(tail, &o->tail) < 0 || o->tail < 0)) {
		resp_error(resp, 400, "Invalid tail %s: expected a number of lines >= 0 or all",
		           tail);
		return -1;
	}
	const char *names[] = {"since", "until"};
	struct timespec *dst[] = {&o->since, &o->until};
	for (int i = 0; i < 2; i++) {
		const char *v = req_query(req, names[i]);
		if (parse_time_param(v, dst[i]) < 0) {
			resp_error(
			    resp, 400,
			    "Invalid %s %s: expected a UNIX timestamp (seconds[.nanoseconds]) "
			    "or an RFC 3339 time",
			    names[i], v);
			return -1;
		}
	}
	return 0;
}

void route_container_logs(const struct request *req, struct response *resp)
{
	struct log_stream *s = calloc(1, sizeof(*s));
	struct json_log_read_opts o = {0};
	if (!s) {
		resp_error(resp, 500, "out of memory");
		return;
	}
	if (parse_params(req, s, &o, resp) < 0) {
		free(s);
		return;
	}
	s->c = route_find_container(req, resp);
	if (!s->c) {
		free(s);
		return;
	}
	struct container_log_settings ls;
	log_config_settings(&s->c->host, &ls);
	if (ls.disabled) {
		resp_error(resp, 400,
		           "Container %s has its log disabled (--log-opt disable-log=true): "
		           "there are no logs to read",
		           s->c->id);
		logs_done(s);
		return;
	}
	s->conn = req->conn;
	s->tty = s->c->config.tty;
	o.raw = s->tty;
	char *path = log_config_path(s->c->id);
	s->r = path ? json_log_reader_open(path, &o) : NULL;
	if (!s->r) {
		resp_error(resp, 500, "cannot read the log %s: %s", path ? path : "",
		           strerror(errno));
		free(path);
		logs_done(s);
		return;
	}
	free(path);
	/* Docker clients tell the two apart by the container's Tty (inspect), isula by the
	 * type. */
	resp_stream(resp, 200,
	            s->tty ? "application/octet-stream" : "application/vnd.docker.raw-stream",
	            logs_stream, s, logs_done);
}
