/* GET /containers/{id}/stats: Docker's stats object from the container's cgroups, once
 * (stream=0, with precpu_stats from a sample half a second earlier unless one-shot=1) or
 * every second (stream=1, the default). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysinfo.h>
#include <time.h>
#include <unistd.h>

#include "host/cgroup_fs.h"
#include "host/cgroup_info.h"
#include "container_cgroup.h"
#include "core/fileutil.h"
#include "core/json.h"
#include "routes.h"
#include "store.h"
#include "core/timeutil.h"

#define MAX_CPUS 1024

struct cpu_sample {
	bool valid;
	struct timespec read;
	uint64_t total, kernel, user, system;
	uint64_t percpu[MAX_CPUS];
	size_t npercpu;
	uint64_t periods, throttled_periods, throttled_time;
};

struct view {
	char id[CONTAINER_ID_LEN + 1];
	char name[512];
	bool running;
	pid_t pid;
	char *rel;
};

static uint64_t ticks_to_ns(uint64_t ticks)
{
	long hz = sysconf(_SC_CLK_TCK);
	return ticks * (1000000000ULL / (uint64_t)(hz > 0 ? hz : 100));
}

/* Host CPU time in ns from /proc/stat's first line, as Docker computes system_cpu_usage. */
static uint64_t system_cpu_ns(void)
{
	char *text = read_file("/proc/stat", 1 << 20, NULL);
	uint64_t sum = 0;
	if (text && strncmp(text, "cpu ", 4) == 0) {
		char *p = text + 4;
		for (int i = 0; i < 8; i++) {
			char *end;
			unsigned long long v = strtoull(p, &end, 10);
			if (end == p)
				break;
			sum += v;
			p = end;
		}
	}
	free(text);
	return ticks_to_ns(sum);
}

/* "key value" lines: the value of key, or 0. */
static uint64_t kv_value(const char *text, const char *key)
{
	size_t klen = strlen(key);
	for (const char *p = text; p && *p;) {
		if (strncmp(p, key, klen) == 0 && p[klen] == ' ')
			return strtoull(p + klen + 1, NULL, 10);
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return 0;
}

static void sample_cpu(const struct view *v, struct cpu_sample *s)
{
	memset(s, 0, sizeof(*s));
	if (!v->running)
		return;
	s->valid = true;
	clock_gettime(CLOCK_REALTIME, &s->read);
	s->system = system_cpu_ns();
	if (cgroup_is_unified()) {
		char *st = cgroup_read(NULL, v->rel, "cpu.stat");
		s->total = kv_value(st, "usage_usec") * 1000;
		s->user = kv_value(st, "user_usec") * 1000;
		s->kernel = kv_value(st, "system_usec") * 1000;
		s->periods = kv_value(st, "nr_periods");
		s->throttled_periods = kv_value(st, "nr_throttled");
		s->throttled_time = kv_value(st, "throttled_usec") * 1000;
		free(st);
		return;
	}
	s->total = (uint64_t)cgroup_read_int("cpuacct", v->rel, "cpuacct.usage", 0);
	char *per = cgroup_read("cpuacct", v->rel, "cpuacct.usage_percpu");
	for (char *p = per, *end; p && s->npercpu < MAX_CPUS; p = end) {
		unsigned long long x = strtoull(p, &end, 10);
		if (end == p)
			break;
		s->percpu[s->npercpu++] = x;
	}
	free(per);
	char *st = cgroup_read("cpuacct", v->rel, "cpuacct.stat");
	s->user = ticks_to_ns(kv_value(st, "user"));
	s->kernel = ticks_to_ns(kv_value(st, "system"));
	free(st);
	st = cgroup_read("cpu", v->rel, "cpu.stat");
	s->periods = kv_value(st, "nr_periods");
	s->throttled_periods = kv_value(st, "nr_throttled");
	s->throttled_time = kv_value(st, "throttled_time");
	free(st);
}

static void gen_cpu(yajl_gen g, const char *key, const struct cpu_sample *s)
{
	jg_key(g, key);
	yajl_gen_map_open(g);
	jg_key(g, "cpu_usage");
	yajl_gen_map_open(g);
	jg_kint(g, "total_usage", (int64_t)s->total);
	jg_key(g, "percpu_usage");
	yajl_gen_array_open(g);
	for (size_t i = 0; i < s->npercpu; i++)
		yajl_gen_integer(g, (long long)s->percpu[i]);
	yajl_gen_array_close(g);
	jg_kint(g, "usage_in_kernelmode", (int64_t)s->kernel);
	jg_kint(g, "usage_in_usermode", (int64_t)s->user);
	yajl_gen_map_close(g);
	if (s->valid) {
		jg_kint(g, "system_cpu_usage", (int64_t)s->system);
		jg_kint(g, "online_cpus", sysconf(_SC_NPROCESSORS_ONLN));
	}
	jg_key(g, "throttling_data");
	yajl_gen_map_open(g);
	jg_kint(g, "periods", (int64_t)s->periods);
	jg_kint(g, "throttled_periods", (int64_t)s->throttled_periods);
	jg_kint(g, "throttled_time", (int64_t)s->throttled_time);
	yajl_gen_map_close(g);
	yajl_gen_map_close(g);
}

/* memory.stat as {"key": value, ...}. */
static void gen_kv_map(yajl_gen g, const char *text)
{
	yajl_gen_map_open(g);
	char *copy = text ? strdup(text) : NULL;
	char *save = NULL;
	for (char *line = copy ? strtok_r(copy, "\n", &save) : NULL; line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *sp = strchr(line, ' ');
		if (!sp)
			continue;
		*sp = '\0';
		jg_kint(g, line, (int64_t)strtoull(sp + 1, NULL, 10));
	}
	free(copy);
	yajl_gen_map_close(g);
}

static void gen_memory(yajl_gen g, const struct view *v)
{
	struct sysinfo si;
	sysinfo(&si);
	int64_t host = (int64_t)si.totalram * si.mem_unit;
	bool v2 = cgroup_is_unified();
	jg_key(g, "memory_stats");
	yajl_gen_map_open(g);
	if (v->running) {
		int64_t limit =
		    v2 ? cgroup_read_int(NULL, v->rel, "memory.max", host)
		       : cgroup_read_int("memory", v->rel, "memory.limit_in_bytes", host);
		/* No limit: the host's memory is the limit, as Docker reports it. */
		if (limit <= 0 || limit > host)
			limit = host;
		jg_kint(g, "usage",
		        v2 ? cgroup_read_int(NULL, v->rel, "memory.current", 0)
		           : cgroup_read_int("memory", v->rel, "memory.usage_in_bytes", 0));
		if (!v2) {
			jg_kint(g, "max_usage",
			        cgroup_read_int("memory", v->rel, "memory.max_usage_in_bytes", 0));
			jg_kint(g, "failcnt",
			        cgroup_read_int("memory", v->rel, "memory.failcnt", 0));
		}
		char *st = cgroup_read("memory", v->rel, "memory.stat");
		jg_key(g, "stats");
		gen_kv_map(g, st);
		free(st);
		jg_kint(g, "limit", limit);
	}
	yajl_gen_map_close(g);
}

/* v1 "8:0 Read 4096" lines, v2 "8:0 rbytes=.. wbytes=.. rios=.. wios=.." lines. */
static void gen_blkio_list(yajl_gen g, const char *key, const char *v1_file, const char *v2_read,
                           const char *v2_write, const struct view *v)
{
	jg_key(g, key);
	yajl_gen_array_open(g);
	bool v2 = cgroup_is_unified();
	char *text =
	    v->running ? cgroup_read(v2 ? NULL : "blkio", v->rel, v2 ? "io.stat" : v1_file) : NULL;
	char *save = NULL;
	for (char *line = text ? strtok_r(text, "\n", &save) : NULL; line;
	     line = strtok_r(NULL, "\n", &save)) {
		unsigned maj, min;
		char op[32];
		unsigned long long val;
		if (!v2) {
			if (sscanf(line, "%u:%u %31s %llu", &maj, &min, op, &val) != 4)
				continue;
			yajl_gen_map_open(g);
			jg_kint(g, "major", maj);
			jg_kint(g, "minor", min);
			jg_kstr(g, "op", op);
			jg_kint(g, "value", (int64_t)val);
			yajl_gen_map_close(g);
			continue;
		}
		if (sscanf(line, "%u:%u", &maj, &min) != 2)
			continue;
		const char *keys[] = {v2_read, v2_write};
		const char *ops[] = {"read", "write"};
		for (size_t i = 0; i < 2; i++) {
			char *p = strstr(line, keys[i]);
			if (!p)
				continue;
			yajl_gen_map_open(g);
			jg_kint(g, "major", maj);
			jg_kint(g, "minor", min);
			jg_kstr(g, "op", ops[i]);
			jg_kint(g, "value", (int64_t)strtoull(p + strlen(keys[i]), NULL, 10));
			yajl_gen_map_close(g);
		}
	}
	free(text);
	yajl_gen_array_close(g);
}

/* The container's interfaces but lo, from /proc/<init>/net/dev (its network namespace). */
static void gen_networks(yajl_gen g, const struct view *v)
{
	if (!v->running || v->pid <= 0)
		return;
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/net/dev", (int)v->pid);
	char *text = read_file(path, 1 << 20, NULL);
	if (!text)
		return;
	jg_key(g, "networks");
	yajl_gen_map_open(g);
	char *save = NULL;
	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *colon = strchr(line, ':');
		if (!colon)
			continue;
		*colon = '\0';
		char *name = line;
		while (*name == ' ')
			name++;
		unsigned long long f[16] = {0};
		if (sscanf(colon + 1, "%llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu",
		           &f[0], &f[1], &f[2], &f[3], &f[4], &f[5], &f[6], &f[7], &f[8], &f[9],
		           &f[10], &f[11]) != 12 ||
		    strcmp(name, "lo") == 0)
			continue;
		jg_key(g, name);
		yajl_gen_map_open(g);
		jg_kint(g, "rx_bytes", (int64_t)f[0]);
		jg_kint(g, "rx_packets", (int64_t)f[1]);
		jg_kint(g, "rx_errors", (int64_t)f[2]);
		jg_kint(g, "rx_dropped", (int64_t)f[3]);
		jg_kint(g, "tx_bytes", (int64_t)f[8]);
		jg_kint(g, "tx_packets", (int64_t)f[9]);
		jg_kint(g, "tx_errors", (int64_t)f[10]);
		jg_kint(g, "tx_dropped", (int64_t)f[11]);
		yajl_gen_map_close(g);
	}
	yajl_gen_map_close(g);
	free(text);
}

static void gen_time(yajl_gen g, const char *key, const struct cpu_sample *s)
{
	char buf[64];
	time_format_rfc3339(&s->read, buf, sizeof(buf));
	jg_kstr(g, key, buf);
}

/* One stats object, with its newline. */
static char *render(const struct view *v, const struct cpu_sample *now,
                    const struct cpu_sample *pre)
{
	yajl_gen g = yajl_gen_alloc(NULL);
	yajl_gen_map_open(g);
	gen_time(g, "read", now);
	gen_time(g, "preread", pre);
	char name[520];
	snprintf(name, sizeof(name), "/%s", v->name);
	jg_kstr(g, "name", name);
	jg_kstr(g, "id", v->id);
	jg_key(g, "pids_stats");
	yajl_gen_map_open(g);
	if (v->running) {
		jg_kint(g, "current", cgroup_read_int("pids", v->rel, "pids.current", 0));
		int64_t max = cgroup_read_int("pids", v->rel, "pids.max", 0);
		if (max > 0)
			jg_kint(g, "limit", max);
	}
	yajl_gen_map_close(g);
	jg_key(g, "blkio_stats");
	yajl_gen_map_open(g);
	gen_blkio_list(g, "io_service_bytes_recursive", "blkio.throttle.io_service_bytes_recursive",
	               "rbytes=", "wbytes=", v);
	gen_blkio_list(g, "io_serviced_recursive", "blkio.throttle.io_serviced_recursive",
	               "rios=", "wios=", v);
	yajl_gen_map_close(g);
	jg_kint(g, "num_procs", 0);
	jg_key(g, "storage_stats");
	yajl_gen_map_open(g);
	yajl_gen_map_close(g);
	gen_cpu(g, "cpu_stats", now);
	gen_cpu(g, "precpu_stats", pre);
	gen_memory(g, v);
	gen_networks(g, v);
	yajl_gen_map_close(g);
	return jg_finish_line(g);
}

struct stats_stream {
	struct container *c;
	struct MHD_Connection *conn;
	bool stream, one_shot;
	unsigned sent;
	struct cpu_sample *prev;
	char *pending;
	size_t plen, poff;
};

/* Store lock taken here: a consistent copy of what sampling needs. */
static bool take_view(struct container *c, struct view *v)
{
	store_lock();
	bool gone = c->removed;
	snprintf(v->id, sizeof(v->id), "%s", c->id);
	snprintf(v->name, sizeof(v->name), "%s", c->name);
	v->running = c->state.status == STATUS_RUNNING;
	v->pid = c->state.pid;
	store_unlock();
	v->rel = container_cgroup_rel(c);
	if (!v->rel)
		v->running = false;
	return !gone;
}

/* Sleeps ms in short steps; false when the client left meanwhile. */
static bool nap(struct stats_stream *s, long ms)
{
	for (long left = ms; left > 0; left -= 100) {
		struct timespec ts = {.tv_sec = 0, .tv_nsec = (left < 100 ? left : 100) * 1000000};
		nanosleep(&ts, NULL);
		if (req_peer_gone(s->conn))
			return false;
	}
	return true;
}

static ssize_t stats_stream_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct stats_stream *s = cls;
	if (!s->pending) {
		if (s->sent > 0 && (!s->stream || !nap(s, 1000)))
			return s->stream ? MHD_CONTENT_READER_END_WITH_ERROR
			                 : MHD_CONTENT_READER_END_OF_STREAM;
		struct view v;
		bool alive = take_view(s->c, &v);
		if (!alive && s->sent > 0) {
			free(v.rel);
			return MHD_CONTENT_READER_END_OF_STREAM;
		}
		struct cpu_sample now;
		if (s->sent == 0 && !s->stream && !s->one_shot && v.running) {
			sample_cpu(&v, s->prev);
			if (!nap(s, 500)) {
				free(v.rel);
				return MHD_CONTENT_READER_END_WITH_ERROR;
			}
		}
		sample_cpu(&v, &now);
		s->pending = render(&v, &now, s->prev);
		*s->prev = now;
		free(v.rel);
		if (!s->pending)
			return MHD_CONTENT_READER_END_WITH_ERROR;
		s->plen = strlen(s->pending);
		s->poff = 0;
		s->sent++;
	}
	return stream_take_pending(&s->pending, s->plen, &s->poff, buf, max);
}

static void stats_stream_free(void *cls)
{
	struct stats_stream *s = cls;
	store_put(s->c);
	free(s->prev);
	free(s->pending);
	free(s);
}

void route_container_stats(const struct request *req, struct response *resp)
{
	struct container *c = route_find_container(req, resp);
	if (!c)
		return;
	const char *stream = req_query(req, "stream");
	struct stats_stream *s = calloc(1, sizeof(*s));
	if (s)
		s->prev = calloc(1, sizeof(*s->prev));
	if (!s || !s->prev) {
		free(s);
		store_put(c);
		resp_error(resp, 500, "out of memory");
		return;
	}
	s->c = c;
	s->conn = req->conn;
	s->stream = !stream || !*stream || req_query_bool(req, "stream");
	s->one_shot = req_query_bool(req, "one-shot");
	resp_stream(resp, 200, "application/json", stats_stream_read, s, stats_stream_free);
}
