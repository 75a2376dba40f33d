#include "container_cgroup.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "host/cgroup_fs.h"
#include "host/cgroup_info.h"
#include "host/cgroup_v2_values.h"
#include "host/cgroup_view.h"
#include "core/fileutil.h"
#include "core/log.h"
#include "health.h"
#include "runtime.h"
#include "store.h"

#define FREEZE_TIMEOUT_MS 10000

char *container_cgroup_path(const struct container *c, const char *default_parent)
{
	const char *parent = c->host.cgroup_parent ? c->host.cgroup_parent : default_parent;
	if (!parent || !*parent)
		parent = "/isulad";
	while (*parent == '/')
		parent++;
	size_t plen = strlen(parent);
	while (plen > 0 && parent[plen - 1] == '/')
		plen--;
	char *out = malloc(plen + CONTAINER_ID_LEN + 2);
	if (!out)
		return NULL;
	if (plen)
		snprintf(out, plen + CONTAINER_ID_LEN + 2, "%.*s/%s", (int)plen, parent, c->id);
	else
		snprintf(out, CONTAINER_ID_LEN + 1, "%s", c->id);
	return out;
}

char *container_cgroup_rel(const struct container *c)
{
	return container_cgroup_path(c, g_runtime.default_cgroup_parent);
}

static void sleep_ms(long ms)
{
	struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000};
	nanosleep(&ts, NULL);
}

/* v1: freezer.state goes FREEZING -> FROZEN; v2: cgroup.events says "frozen 1". */
static bool freezer_reached(const char *rel, bool frozen)
{
	if (cgroup_is_unified()) {
		char *ev = cgroup_read(NULL, rel, "cgroup.events");
		bool done = ev && strstr(ev, frozen ? "frozen 1" : "frozen 0");
		free(ev);
		return done;
	}
	char *st = cgroup_read("freezer", rel, "freezer.state");
	bool done = st && strcmp(st, frozen ? "FROZEN" : "THAWED") == 0;
	free(st);
	return done;
}

static int freezer_set(const char *rel, bool frozen)
{
	if (cgroup_is_unified())
		return cgroup_write(NULL, rel, "cgroup.freeze", frozen ? "1" : "0");
	return cgroup_write("freezer", rel, "freezer.state", frozen ? "FROZEN" : "THAWED");
}

static int set_frozen(const struct container *c, bool frozen, char *err, size_t errlen)
{
	char *rel = container_cgroup_rel(c);
	if (!rel) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	const char *what = frozen ? "freeze" : "thaw";
	int ret = freezer_set(rel, frozen);
	int64_t deadline = monotonic_ms() + FREEZE_TIMEOUT_MS;
	while (ret == 0 && !freezer_reached(rel, frozen)) {
		if (monotonic_ms() > deadline) {
			ret = -ETIMEDOUT;
			break;
		}
		sleep_ms(5);
		/* A v1 freeze can stall on a task in a non-freezable sleep: ask again. */
		ret = freezer_set(rel, frozen);
	}
	if (ret < 0) {
		snprintf(err, errlen, "Failed to %s container %s: cgroup %s: %s", what, c->id, rel,
		         strerror(-ret));
		if (frozen)
			freezer_set(rel, false);
	}
	free(rel);
	return ret < 0 ? -1 : 0;
}

int container_freeze(const struct container *c, char *err, size_t errlen)
{
	return set_frozen(c, true, err, errlen);
}

int container_thaw(const struct container *c, char *err, size_t errlen)
{
	return set_frozen(c, false, err, errlen);
}

void container_thaw_if_paused(struct container *c)
{
	store_lock();
	bool paused = c->state.paused;
	store_unlock();
	if (!paused)
		return;
	char err[512];
	if (container_thaw(c, err, sizeof(err)) < 0)
		LOG_WARN("%s", err);
	store_lock();
	c->state.paused = false;
	health_paused_locked(c, false);
	store_save_state(c);
	store_broadcast();
	store_unlock();
}

bool container_cp_freeze(struct container *c)
{
	store_lock();
	bool go = c->state.status == STATUS_RUNNING && !c->state.paused;
	bool first = go && c->cp_freezes++ == 0;
	store_unlock();
	char err[512];
	if (first && container_freeze(c, err, sizeof(err)) < 0)
		LOG_WARN("cp into or out of %s runs unfrozen: %s", c->id, err);
	return go;
}

void container_cp_thaw(struct container *c, bool frozen)
{
	if (!frozen)
		return;
	store_lock();
	bool last = --c->cp_freezes == 0 && !c->state.paused;
	store_unlock();
	char err[512];
	if (last && container_thaw(c, err, sizeof(err)) < 0)
		LOG_WARN("%s", err);
}

void container_thaw_stray(struct container *c)
{
	store_lock();
	bool paused = c->state.paused;
	store_unlock();
	char *rel = paused ? NULL : container_cgroup_rel(c);
	char err[512];
	if (rel && freezer_reached(rel, true)) {
		LOG_WARN("%s was frozen though not paused (a copy cut short): thawed", c->id);
		if (container_thaw(c, err, sizeof(err)) < 0)
			LOG_WARN("%s", err);
	}
	free(rel);
}

/* The first of names that a cgroup of ctrl's hierarchy (v2: the tree) offers. Weight files
 * show only below the root: looked for in a scratch cgroup made for the probe. */
static const char *probe_child_file(const char *ctrl, const char *const *names, size_t n)
{
	char rel[64];
	snprintf(rel, sizeof(rel), "isulad-probe-%d", (int)getpid());
	char *dir = cgroup_path(ctrl, rel, NULL);
	bool made = dir && mkdir(dir, 0755) == 0;
	const char *found = NULL;
	for (size_t i = 0; dir && i < n && !found; i++) {
		char *path = path_join(dir, names[i]);
		if (path && access(path, F_OK) == 0)
			found = names[i];
		free(path);
	}
	if (made)
		rmdir(dir);
	free(dir);
	return found;
}

static const char *g_weight_file, *g_weight_device_file;
static bool g_kmem_ok;
static pthread_once_t g_weight_once = PTHREAD_ONCE_INIT;
static pthread_once_t g_kmem_once = PTHREAD_ONCE_INIT;

static void init_weight_file(void)
{
	bool v2 = cgroup_is_unified();
	const char *weight[] = {v2 ? "io.weight" : "blkio.weight",
	                        v2 ? "io.bfq.weight" : "blkio.bfq.weight"};
	/* v2: bfq's file takes the blkio range as it is (runc's choice for per-device weights). */
	const char *device[] = {v2 ? "io.bfq.weight" : "blkio.weight_device",
	                        v2 ? "io.weight" : "blkio.bfq.weight_device"};
	g_weight_file = probe_child_file(v2 ? NULL : "blkio", weight, 2);
	g_weight_device_file = probe_child_file(v2 ? NULL : "blkio", device, 2);
}

const char *cgroup_blkio_weight_file(void)
{
	pthread_once(&g_weight_once, init_weight_file);
	return g_weight_file;
}

const char *cgroup_blkio_weight_device_file(void)
{
	pthread_once(&g_weight_once, init_weight_file);
	return g_weight_device_file;
}

static void init_kmem(void)
{
	if (!cgroup_v1_has("memory.kmem.limit_in_bytes"))
		return;
	char rel[64];
	snprintf(rel, sizeof(rel), "isulad-kmem-probe-%d", (int)getpid());
	char *dir = cgroup_path("memory", rel, NULL);
	if (!dir || (mkdir(dir, 0755) < 0 && errno != EEXIST)) {
		free(dir);
		return;
	}
	const char *probe = "67108864";
	if (cgroup_write("memory", rel, "memory.kmem.limit_in_bytes", probe) == 0)
		g_kmem_ok =
		    cgroup_read_int("memory", rel, "memory.kmem.limit_in_bytes", -1) == 67108864;
	rmdir(dir);
	free(dir);
}

bool cgroup_kmem_supported(void)
{
	pthread_once(&g_kmem_once, init_kmem);
	return g_kmem_ok;
}

/* ---------------------------------------------------------------- writes with rollback */

struct undo_entry {
	char *path;
	char *old;
};

struct undo_log {
	struct undo_entry *v;
	size_t n;
};

static char *first_line(char *s)
{
	if (s) {
		char *nl = strchr(s, '\n');
		if (nl)
			*nl = '\0';
	}
	return s;
}

static int write_path(const char *path, const char *value)
{
	FILE *f = fopen(path, "we");
	if (!f)
		return -errno;
	setvbuf(f, NULL, _IONBF, 0);
	int ret = fputs(value, f) < 0 ? -errno : 0;
	if (fclose(f) != 0 && ret == 0)
		ret = -errno;
	return ret;
}

/* Writes value, remembering the old content first. */
static int logged_write(struct undo_log *log, const char *ctrl, const char *rel, const char *file,
                        const char *value, char *err, size_t errlen)
{
	char *path = cgroup_path(ctrl, rel, file);
	char *old = path ? first_line(read_file(path, 65536, NULL)) : NULL;
	struct undo_entry *nv = realloc(log->v, (log->n + 1) * sizeof(*nv));
	if (!path || !old || !nv) {
		snprintf(err, errlen, "cannot read %s: %s", path ? path : file, strerror(errno));
		free(path);
		free(old);
		if (nv)
			log->v = nv;
		return -1;
	}
	log->v = nv;
	int ret = write_path(path, value);
	if (ret < 0) {
		snprintf(err, errlen, "cannot write %s to %s: %s", value, path, strerror(-ret));
		free(path);
		free(old);
		return -1;
	}
	log->v[log->n].path = path;
	log->v[log->n].old = old;
	log->n++;
	return 0;
}

static void undo_all(struct undo_log *log)
{
	for (size_t i = log->n; i-- > 0;) {
		const char *old = log->v[i].old;
		/* cpu.max and bfq weights read back with a prefix the kernel also takes. */
		if (strncmp(old, "default ", 8) == 0)
			old += 8;
		int ret = write_path(log->v[i].path, old);
		if (ret < 0)
			LOG_ERROR("cannot restore %s to %s: %s", log->v[i].path, old,
			          strerror(-ret));
	}
}

static void undo_free(struct undo_log *log)
{
	for (size_t i = 0; i < log->n; i++) {
		free(log->v[i].path);
		free(log->v[i].old);
	}
	free(log->v);
}

struct subtree_write {
	struct undo_log *log;
	const char *file;
	const char *value;
	char **paths; /* collected top-down */
	size_t n;
};

static int collect_rel(const char *rel, void *arg)
{
	struct subtree_write *s = arg;
	char **nv = realloc(s->paths, (s->n + 1) * sizeof(*nv));
	if (!nv)
		return -1;
	s->paths = nv;
	s->paths[s->n] = strdup(rel);
	return s->paths[s->n++] ? 0 : -1;
}

/* v1 cpusets: every child must stay a subset of its parent, and the processes sit in the
 * children. Widen the whole subtree top-down to the parent cgroup's set, then narrow it
 * bottom-up to the new one; the undo log, replayed backwards, is valid the same way. */
static int write_cpuset_subtree(struct undo_log *log, const char *rel, const char *file,
                                const char *value, char *err, size_t errlen)
{
	struct subtree_write s = {.log = log, .file = file, .value = value};
	char *parent = strdup(rel);
	char *slash = parent ? strrchr(parent, '/') : NULL;
	if (slash)
		*slash = '\0';
	char *wide = cgroup_read("cpuset", slash ? parent : "", file);
	free(parent);
	int ret = -1;
	if (!wide || cgroup_walk("cpuset", rel, collect_rel, &s) != 0) {
		snprintf(err, errlen, "cannot read the cpuset cgroups of %s: %s", rel,
		         cgroup_walk_strerror(errno));
		goto out;
	}
	for (size_t i = 0; i < s.n; i++) {
		if (logged_write(log, "cpuset", s.paths[i], file, wide, err, errlen) < 0)
			goto out;
	}
	for (size_t i = s.n; i-- > 0;) {
		if (logged_write(log, "cpuset", s.paths[i], file, value, err, errlen) < 0)
			goto out;
	}
	ret = 0;
out:
	for (size_t i = 0; i < s.n; i++)
		free(s.paths[i]);
	free(s.paths);
	free(wide);
	return ret;
}

static void fmt_i64(char *buf, size_t len, int64_t v)
{
	snprintf(buf, len, "%lld", (long long)v);
}

static int apply_cpu(struct undo_log *log, const char *rel, const struct host_config *o,
                     const struct host_config *n, char *err, size_t errlen)
{
	bool v2 = cgroup_is_unified();
	char val[64];
	const char *sets[] = {"cpuset.cpus", "cpuset.mems"};
	const char *olds[] = {o->cpuset_cpus, o->cpuset_mems};
	const char *news[] = {n->cpuset_cpus, n->cpuset_mems};
	for (size_t i = 0; i < 2; i++) {
		if (!news[i] || (olds[i] && strcmp(olds[i], news[i]) == 0))
			continue;
		int ret = v2 ? logged_write(log, NULL, rel, sets[i], news[i], err, errlen)
		             : write_cpuset_subtree(log, rel, sets[i], news[i], err, errlen);
		if (ret < 0)
			return -1;
	}
	if (n->cpu_shares != o->cpu_shares && n->cpu_shares > 0) {
		fmt_i64(val, sizeof(val), v2 ? cgroup_v2_cpu_weight(n->cpu_shares) : n->cpu_shares);
		if (logged_write(log, "cpu", rel, v2 ? "cpu.weight" : "cpu.shares", val, err,
		                 errlen) < 0)
			return -1;
	}
	int64_t nq, np, oq, op;
	host_config_cfs(n, &nq, &np);
	host_config_cfs(o, &oq, &op);
	bool period = np != op && np > 0;
	bool quota = nq != oq && nq != 0;
	if (v2 && (period || quota)) {
		cgroup_v2_cpu_max(nq, np, val, sizeof(val));
		return logged_write(log, NULL, rel, "cpu.max", val, err, errlen);
	}
	if (period) {
		fmt_i64(val, sizeof(val), np);
		if (logged_write(log, "cpu", rel, "cpu.cfs_period_us", val, err, errlen) < 0)
			return -1;
	}
	if (quota) {
		fmt_i64(val, sizeof(val), nq);
		if (logged_write(log, "cpu", rel, "cpu.cfs_quota_us", val, err, errlen) < 0)
			return -1;
	}
	return 0;
}

static int apply_memory_v1(struct undo_log *log, const char *rel, const struct host_config *o,
                           const struct host_config *n, char *err, size_t errlen)
{
	char val[64];
	bool mem = n->memory != o->memory && n->memory > 0;
	bool swap = n->memory_swap != o->memory_swap && n->memory_swap != 0;
	/* memory.limit_in_bytes may never exceed memsw.limit_in_bytes: raise memsw first when
	 * the memory limit grows, lower the memory limit first when it shrinks. */
	bool grow = o->memory <= 0 || n->memory > o->memory;
	for (int step = 0; step < 2; step++) {
		bool swap_now = grow ? step == 0 : step == 1;
		if (swap_now && swap) {
			fmt_i64(val, sizeof(val), n->memory_swap > 0 ? n->memory_swap : -1);
			if (logged_write(log, "memory", rel, "memory.memsw.limit_in_bytes", val,
			                 err, errlen) < 0)
				return -1;
		} else if (!swap_now && mem) {
			fmt_i64(val, sizeof(val), n->memory);
			if (logged_write(log, "memory", rel, "memory.limit_in_bytes", val, err,
			                 errlen) < 0)
				return -1;
		}
	}
	if (n->memory_reservation != o->memory_reservation && n->memory_reservation > 0) {
		fmt_i64(val, sizeof(val), n->memory_reservation);
		if (logged_write(log, "memory", rel, "memory.soft_limit_in_bytes", val, err,
		                 errlen) < 0)
			return -1;
	}
	if (n->kernel_memory != o->kernel_memory && n->kernel_memory > 0) {
		fmt_i64(val, sizeof(val), n->kernel_memory);
		if (logged_write(log, "memory", rel, "memory.kmem.limit_in_bytes", val, err,
		                 errlen) < 0)
			return -1;
	}
	return 0;
}

static int apply_memory_v2(struct undo_log *log, const char *rel, const struct host_config *o,
                           const struct host_config *n, char *err, size_t errlen)
{
	char val[64];
	if (n->memory != o->memory && n->memory > 0) {
		fmt_i64(val, sizeof(val), n->memory);
		if (logged_write(log, NULL, rel, "memory.max", val, err, errlen) < 0)
			return -1;
	}
	if ((n->memory_swap != o->memory_swap || n->memory != o->memory) && n->memory_swap != 0) {
		if (n->memory_swap > 0)
			fmt_i64(val, sizeof(val), n->memory_swap - n->memory);
		else
			snprintf(val, sizeof(val), "max");
		if (logged_write(log, NULL, rel, "memory.swap.max", val, err, errlen) < 0)
			return -1;
	}
	if (n->memory_reservation != o->memory_reservation && n->memory_reservation > 0) {
		fmt_i64(val, sizeof(val), n->memory_reservation);
		if (logged_write(log, NULL, rel, "memory.low", val, err, errlen) < 0)
			return -1;
	}
	return 0;
}

static int apply_other(struct undo_log *log, const char *rel, const struct host_config *o,
                       const struct host_config *n, char *err, size_t errlen)
{
	char val[64];
	if (n->pids_limit != o->pids_limit) {
		if (n->pids_limit > 0)
			fmt_i64(val, sizeof(val), n->pids_limit);
		else
			snprintf(val, sizeof(val), "max");
		if (logged_write(log, "pids", rel, "pids.max", val, err, errlen) < 0)
			return -1;
	}
	if (n->blkio_weight != o->blkio_weight && n->blkio_weight > 0) {
		const char *file = cgroup_blkio_weight_file();
		bool io_weight = file && strcmp(file, "io.weight") == 0;
		fmt_i64(val, sizeof(val),
		        io_weight ? cgroup_v2_io_weight(n->blkio_weight) : n->blkio_weight);
		if (!file) {
			snprintf(err, errlen, "this kernel has no blkio weight file");
			return -1;
		}
		if (logged_write(log, "blkio", rel, file, val, err, errlen) < 0)
			return -1;
	}
	return 0;
}

int container_cgroup_apply(const struct container *c, const struct host_config *old,
                           const struct host_config *new, char *err, size_t errlen)
{
	char *rel = container_cgroup_rel(c);
	if (!rel) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	struct undo_log log = {0};
	bool v2 = cgroup_is_unified();
	int ret = -1;
	/* A lower quota on rel would be refused under the one copied below it. */
	cgroup_view_release_quota(rel, CGROUP_VIEW_INNER);
	if (apply_cpu(&log, rel, old, new, err, errlen) == 0 &&
	    (v2 ? apply_memory_v2 : apply_memory_v1)(&log, rel, old, new, err, errlen) == 0 &&
	    apply_other(&log, rel, old, new, err, errlen) == 0)
		ret = 0;
	if (ret < 0)
		undo_all(&log);
	undo_free(&log);
	/* What the container reads follows, whichever way it went (the undo too). */
	char view_err[512];
	if (cgroup_view_mirror(rel, CGROUP_VIEW_INNER, view_err, sizeof(view_err)) < 0)
		LOG_WARN("container %s: %s", c->id, view_err);
	free(rel);
	return ret;
}
