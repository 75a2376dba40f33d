#include "load_sampler.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cgroup_layout.h"
#include "core/hash.h"
#include "loadavg_calc.h"
#include "proc_parse.h"

#define BUCKETS 1024
/* Sub-cgroups deeper than this below a container's are not counted (upstream's is 3), nor
 * more than MAX_DIRS of them or more than MAX_THREADS threads: a container that makes
 * cgroups or threads without end costs the sampler a bounded time. */
#define MAX_DEPTH 6
#define MAX_DIRS 1024
#define MAX_THREADS 65536

struct entry {
	enum cg_ctrl ctrl;
	struct load_avg avg;
	unsigned running, total;
	long last_pid;
	double last_read; /* monotonic seconds */
	struct entry *next;
	char path[];
};

static struct {
	pthread_mutex_t lock;
	pthread_cond_t wake;
	struct entry *bucket[BUCKETS];
	size_t count;
	bool running, stop;
	unsigned interval_ms;
	pthread_t thread;
	int procfd;
} g = {.lock = PTHREAD_MUTEX_INITIALIZER, .wake = PTHREAD_COND_INITIALIZER, .procfd = -1};

static double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + t.tv_nsec / 1e9;
}

static size_t hash(enum cg_ctrl c, const char *path)
{
	return (size_t)(fnv1a64(FNV1A64_BASIS ^ (uint64_t)c, path, strlen(path)) % BUCKETS);
}

static struct entry **find(enum cg_ctrl c, const char *path)
{
	struct entry **pp = &g.bucket[hash(c, path)];
	while (*pp && ((*pp)->ctrl != c || strcmp((*pp)->path, path) != 0))
		pp = &(*pp)->next;
	return pp;
}

/* ------------------------------------------------------------------------ sampling */

struct count {
	unsigned running, active, total;
	unsigned dirs, seen; /* cgroups and thread ids looked at */
	long newest_tid;     /* the thread started last (pids wrap: not the highest) */
	uint64_t newest_start;
};

/* The state of thread tid: R, D, S, ... or 0 when it is gone; and its start time. */
static char thread_state(long tid, uint64_t *start)
{
	char path[32], buf[512];
	snprintf(path, sizeof(path), "%ld/stat", tid);
	int fd = openat(g.procfd, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	if (proc_stat_starttime(buf, start) < 0)
		*start = 0;
	return proc_stat_state(buf);
}

static int read_all(int dirfd, const char *name, struct strbuf *out)
{
	int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	strbuf_reset(out);
	for (;;) {
		size_t room = strbuf_space(out, 4096);
		ssize_t n = room ? read(fd, out->data + out->len, room) : -1;
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			close(fd);
			return n < 0 ? -1 : 0;
		}
		strbuf_commit(out, (size_t)n);
	}
}

/* Counts the threads of the cgroup open at dirfd and of its sub-cgroups. -1 when its own
 * list cannot be read (the cgroup is gone). */
static int count_dir(int dirfd, const char *list, int depth, struct strbuf *buf, struct count *c)
{
	if (read_all(dirfd, list, buf) < 0)
		return -1;
	c->dirs++;
	for (char *p = buf->data; p && *p && c->seen < MAX_THREADS; c->seen++) {
		char *end;
		long tid = strtol(p, &end, 10);
		if (end == p)
			break;
		p = end + strspn(end, "\n");
		uint64_t start;
		char state = thread_state(tid, &start);
		if (!state)
			continue;
		c->total++;
		c->running += state == 'R';
		c->active += state == 'R' || state == 'D';
		if (!c->newest_tid || start > c->newest_start ||
		    (start == c->newest_start && tid > c->newest_tid)) {
			c->newest_tid = tid;
			c->newest_start = start;
		}
	}
	if (depth >= MAX_DEPTH)
		return 0;
	int dup_fd = dup(dirfd);
	DIR *d = dup_fd >= 0 ? fdopendir(dup_fd) : NULL;
	if (!d) {
		if (dup_fd >= 0)
			close(dup_fd);
		return 0;
	}
	struct dirent *de;
	while (c->dirs < MAX_DIRS && (de = readdir(d))) {
		if (de->d_type != DT_DIR || de->d_name[0] == '.')
			continue;
		int sub = openat(dirfd, de->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (sub < 0)
			continue;
		count_dir(sub, list, depth + 1, buf, c);
		close(sub);
	}
	closedir(d);
	return 0;
}

/* The pid the container knows its newest thread by (the last of its NSpid line). */
static long ns_pid_of(long tid)
{
	char path[32];
	snprintf(path, sizeof(path), "%ld/status", tid);
	struct strbuf text = {0};
	pid_t ns = 0, ppid = 0;
	if (read_all(g.procfd, path, &text) < 0 ||
	    proc_status_nspid_ppid(text.data, &ns, &ppid) < 0)
		ns = (pid_t)tid;
	strbuf_free(&text);
	return ns;
}

static int sample(enum cg_ctrl ctrl, const char *path, struct count *c)
{
	memset(c, 0, sizeof(*c));
	int fd = cgroup_dir_open(ctrl, path);
	if (fd < 0)
		return -1;
	struct strbuf buf = {0};
	const char *list = cgroup_mode(ctrl) == CG_V1 ? "tasks" : "cgroup.threads";
	int ret = count_dir(fd, list, 0, &buf, c);
	strbuf_free(&buf);
	close(fd);
	if (ret == 0 && c->newest_tid)
		c->newest_tid = ns_pid_of(c->newest_tid);
	return ret;
}

static void apply(struct entry *e, const struct count *c)
{
	load_avg_step(&e->avg, c->active);
	e->running = c->running;
	e->total = c->total;
	e->last_pid = c->newest_tid;
}

static void unlink_entry(struct entry **pp)
{
	struct entry *e = *pp;
	*pp = e->next;
	free(e);
	g.count--;
}

struct key {
	enum cg_ctrl ctrl;
	char *path;
};

/* One round: the keys are copied under the lock, sampled without it (a slow /proc does not
 * hold up readers), and the results put back under it. */
static void sample_all(void)
{
	pthread_mutex_lock(&g.lock);
	size_t n = 0;
	struct key *keys = g.count ? calloc(g.count, sizeof(*keys)) : NULL;
	double now = now_s();
	for (size_t b = 0; keys && b < BUCKETS; b++) {
		for (struct entry **pp = &g.bucket[b]; *pp;) {
			if (now - (*pp)->last_read > LOAD_IDLE_SECONDS) {
				unlink_entry(pp);
				continue;
			}
			keys[n].ctrl = (*pp)->ctrl;
			keys[n].path = strdup((*pp)->path);
			if (keys[n].path)
				n++;
			pp = &(*pp)->next;
		}
	}
	pthread_mutex_unlock(&g.lock);
	for (size_t i = 0; i < n; i++) {
		struct count c;
		int ret = sample(keys[i].ctrl, keys[i].path, &c);
		pthread_mutex_lock(&g.lock);
		struct entry **pp = find(keys[i].ctrl, keys[i].path);
		if (*pp && ret < 0)
			unlink_entry(pp); /* the cgroup is gone */
		else if (*pp)
			apply(*pp, &c);
		pthread_mutex_unlock(&g.lock);
		free(keys[i].path);
	}
	free(keys);
}

static void *sampler(void *arg)
{
	pthread_mutex_lock(&g.lock);
	struct timespec next;
	clock_gettime(CLOCK_MONOTONIC, &next);
	while (!g.stop) {
		next.tv_sec += g.interval_ms / 1000;
		next.tv_nsec += (long)(g.interval_ms % 1000) * 1000000L;
		if (next.tv_nsec >= 1000000000L) {
			next.tv_sec++;
			next.tv_nsec -= 1000000000L;
		}
		int rc = 0;
		while (!g.stop && rc != ETIMEDOUT)
			rc = pthread_cond_timedwait(&g.wake, &g.lock, &next);
		if (g.stop)
			break;
		pthread_mutex_unlock(&g.lock);
		sample_all();
		pthread_mutex_lock(&g.lock);
		/* A round that took longer than the interval: start the count again from now. */
		struct timespec now;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec > next.tv_sec + 1 + (time_t)(g.interval_ms / 1000))
			next = now;
	}
	pthread_mutex_unlock(&g.lock);
	return arg;
}

int load_sampler_start(unsigned interval_ms)
{
	g.procfd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (g.procfd < 0)
		return -1;
	g.interval_ms = interval_ms ? interval_ms : 5000;
	g.stop = false;
	pthread_condattr_t attr;
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_destroy(&g.wake);
	pthread_cond_init(&g.wake, &attr);
	pthread_condattr_destroy(&attr);
	g.running = pthread_create(&g.thread, NULL, sampler, NULL) == 0;
	return g.running ? 0 : -1;
}

bool load_sampler_running(void)
{
	return g.running;
}

void load_sampler_stop(void)
{
	if (g.running) {
		pthread_mutex_lock(&g.lock);
		g.stop = true;
		pthread_cond_signal(&g.wake);
		pthread_mutex_unlock(&g.lock);
		pthread_join(g.thread, NULL);
		g.running = false;
	}
	pthread_mutex_lock(&g.lock);
	for (size_t b = 0; b < BUCKETS; b++) {
		while (g.bucket[b])
			unlink_entry(&g.bucket[b]);
	}
	pthread_mutex_unlock(&g.lock);
	if (g.procfd >= 0)
		close(g.procfd);
	g.procfd = -1;
}

size_t load_sampler_tracked(void)
{
	pthread_mutex_lock(&g.lock);
	size_t n = g.count;
	pthread_mutex_unlock(&g.lock);
	return n;
}

/* Makes room for one more: the entry read longest ago goes. Lock held. */
static void evict_oldest(void)
{
	struct entry **oldest = NULL;
	for (size_t b = 0; b < BUCKETS; b++) {
		for (struct entry **pp = &g.bucket[b]; *pp; pp = &(*pp)->next) {
			if (!oldest || (*pp)->last_read < (*oldest)->last_read)
				oldest = pp;
		}
	}
	if (oldest)
		unlink_entry(oldest);
}

int load_sampler_render(enum cg_ctrl c, const char *path, struct strbuf *out)
{
	if (!g.running || !path)
		return -1;
	pthread_mutex_lock(&g.lock);
	struct entry *e = *find(c, path);
	if (e) {
		e->last_read = now_s();
		load_avg_render(&e->avg, e->running, e->total, e->last_pid, out);
		pthread_mutex_unlock(&g.lock);
		return 0;
	}
	pthread_mutex_unlock(&g.lock);

	/* First read: sampled now, so that it shows its tasks at once. */
	struct count cnt;
	if (sample(c, path, &cnt) < 0)
		return -1;
	size_t len = strlen(path);
	struct entry *fresh = calloc(1, sizeof(*fresh) + len + 1);
	if (!fresh)
		return -1;
	fresh->ctrl = c;
	memcpy(fresh->path, path, len + 1);
	fresh->last_read = now_s();
	apply(fresh, &cnt);
	pthread_mutex_lock(&g.lock);
	struct entry **pp = find(c, path);
	if (*pp) {
		free(fresh); /* another reader tracked it meanwhile */
		fresh = *pp;
	} else {
		if (g.count >= LOAD_MAX_TRACKED)
			evict_oldest();
		pp = find(c, path); /* the eviction may have changed the chain */
		fresh->next = *pp;
		*pp = fresh;
		g.count++;
	}
	load_avg_render(&fresh->avg, fresh->running, fresh->total, fresh->last_pid, out);
	pthread_mutex_unlock(&g.lock);
	return 0;
}
