#include "store.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "engine/container_ref.h"
#include "core/durable_batch.h"
#include "core/fileutil.h"
#include "core/hash.h"
#include "host/dir_spread.h"
#include "core/json.h"
#include "core/log.h"
#include "oci_spec.h"
#include "core/timeutil.h"
#include "core/utf8.h"
#include "engine/engine_layout.h"

struct store_paths g_paths;

static struct {
	pthread_mutex_t lock;
	pthread_cond_t changed;
	struct container **items;
	size_t n, cap;
} g_store = {.lock = PTHREAD_MUTEX_INITIALIZER};

int64_t monotonic_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int store_init(const char *graph, const char *state)
{
	pthread_condattr_t attr;
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&g_store.changed, &attr);
	pthread_condattr_destroy(&attr);
	g_paths.graph = strdup(graph);
	g_paths.state = strdup(state);
	g_paths.lxcpath = engine_lcr_dir(graph);
	if (!g_paths.graph || !g_paths.state || !g_paths.lxcpath)
		return -1;
	if (mkdir_p(g_paths.lxcpath, 0700) < 0 || mkdir_p(g_paths.state, 0700) < 0) {
		LOG_ERROR("cannot create %s or %s: %s", g_paths.lxcpath, g_paths.state,
		          strerror(errno));
		return -1;
	}
	/* One container's dir and files per block group of the filesystem's choosing, not all in
	 * one (host/dir_spread.h): a hint, where the filesystem takes it. */
	if (dir_spread_subdirs(g_paths.lxcpath) < 0 && errno != ENOTTY && errno != EOPNOTSUPP &&
	    errno != EINVAL)
		LOG_WARN("cannot mark %s to spread its subdirectories: %s", g_paths.lxcpath,
		         strerror(errno));
	return 0;
}

/* Containers this thread saved while holding the lock (each referenced): written by its
 * store_unlock, after the lock is released. */
#define PENDING_MAX 64
static _Thread_local struct container *tl_pending[PENDING_MAX];
static _Thread_local size_t tl_npending;

static void flush_pending(void);

void store_lock(void)
{
	pthread_mutex_lock(&g_store.lock);
}

void store_unlock(void)
{
	pthread_mutex_unlock(&g_store.lock);
	if (tl_npending)
		flush_pending();
}

void store_broadcast(void)
{
	pthread_cond_broadcast(&g_store.changed);
}

void store_wait_change(int64_t deadline_ms)
{
	if (deadline_ms < 0) {
		pthread_cond_wait(&g_store.changed, &g_store.lock);
		return;
	}
	struct timespec ts = {.tv_sec = deadline_ms / 1000,
	                      .tv_nsec = (deadline_ms % 1000) * 1000000};
	pthread_cond_timedwait(&g_store.changed, &g_store.lock, &ts);
}

static const char *item_id(const void *ctx, size_t i)
{
	return g_store.items[i]->id;
}

static const char *item_name(const void *ctx, size_t i)
{
	return g_store.items[i]->name;
}

static struct container *find_locked(const char *ref, struct error *e)
{
	struct container_ref_list l = {.n = g_store.n, .id_at = item_id, .name_at = item_name};
	long i = container_ref_find(&l, ref, e);
	return i < 0 ? NULL : g_store.items[i];
}

struct container *store_lookup(const char *ref, struct error *e)
{
	store_lock();
	struct container *c = find_locked(ref, e);
	if (c)
		c->refs++;
	store_unlock();
	return c;
}

void store_put(struct container *c)
{
	if (!c)
		return;
	/* The raw lock: store_put also runs inside flush_pending. */
	pthread_mutex_lock(&g_store.lock);
	bool last = --c->refs == 0;
	pthread_mutex_unlock(&g_store.lock);
	if (last)
		container_free(c);
}

/* Lock held: fails with iSulad's conflict message when name is taken by another. */
static int check_name_free(const char *name, const struct container *self, char *err, size_t errlen)
{
	for (size_t i = 0; i < g_store.n; i++) {
		if (g_store.items[i] != self && strcmp(g_store.items[i]->name, name) == 0) {
			snprintf(
			    err, errlen,
			    "Conflict. The name \"%s\" is already in use by container %s. You "
			    "have to remove (or rename) that container to be able to reuse that "
			    "name.",
			    name, g_store.items[i]->id);
			return -1;
		}
	}
	return 0;
}

int store_rename(struct container *c, const char *name, char **old_name, char *err, size_t errlen)
{
	char *copy = strdup(name);
	if (!copy) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	store_lock();
	if (c->removed || check_name_free(name, c, err, errlen) < 0) {
		if (c->removed)
			snprintf(err, errlen, "No such container: %s", c->id);
		store_unlock();
		free(copy);
		return c->removed ? -ENOENT : -EEXIST;
	}
	char *old = c->name;
	c->name = copy;
	store_save_state(c);
	store_unlock(); /* writes config.v2.json */
	if (store_save_result(c) < 0) {
		int saved = errno;
		store_lock();
		if (c->name == copy) {
			c->name = old;
			old = copy;
			store_save_state(c);
		}
		store_unlock();
		free(old);
		snprintf(err, errlen, "cannot save the new name: %s", strerror(saved));
		return -EIO;
	}
	/* The rename of config.v2.json into place lasts a power loss once its dir is synced
	 * (a state save does not sync it: the state of a run does not outlive the boot). */
	char *dir = store_container_dir(c->id);
	if (dir && fsync_dir(dir) < 0 && errno != ENOENT)
		LOG_WARN("cannot sync %s: %s", dir, strerror(errno));
	free(dir);
	store_lock();
	store_broadcast();
	store_unlock();
	*old_name = old;
	return 0;
}

int store_add(struct container *c, char *err, size_t errlen)
{
	store_lock();
	if (check_name_free(c->name, NULL, err, errlen) < 0) {
		store_unlock();
		return -1;
	}
	if (g_store.n == g_store.cap) {
		size_t cap = g_store.cap ? g_store.cap * 2 : 64;
		struct container **items = realloc(g_store.items, cap * sizeof(*items));
		if (!items) {
			store_unlock();
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		g_store.items = items;
		g_store.cap = cap;
	}
	c->refs = 2; /* the store's and the caller's */
	g_store.items[g_store.n++] = c;
	store_unlock();
	return 0;
}

void store_remove(struct container *c)
{
	bool last = false;
	store_lock();
	for (size_t i = 0; i < g_store.n; i++) {
		if (g_store.items[i] == c) {
			g_store.items[i] = g_store.items[--g_store.n];
			c->removed = true;
			last = --c->refs == 0;
			break;
		}
	}
	store_broadcast();
	store_unlock();
	if (last)
		container_free(c);
}

struct container **store_list(size_t *n)
{
	store_lock();
	struct container **v = malloc((g_store.n + 1) * sizeof(*v));
	*n = 0;
	if (v) {
		for (size_t i = 0; i < g_store.n; i++) {
			v[i] = g_store.items[i];
			v[i]->refs++;
		}
		*n = g_store.n;
	}
	store_unlock();
	return v;
}

void store_put_all(struct container **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		store_put(v[i]);
	free(v);
}

char *store_container_dir(const char *id)
{
	return path_join(g_paths.lxcpath, id);
}

char *store_state_dir(const char *id)
{
	return path_join(g_paths.state, id);
}

static int write_json_in(const char *dir, const char *file, const char *data, size_t len,
                         bool synced)
{
	char *path = path_join(dir, file);
	/* Synced: through FILE.prev, with no file made or deleted per save. */
	int ret = !path    ? -1
	          : synced ? atomic_write_file_swap(path, data, len, 0600)
	                   : atomic_replace_file(path, data, len, 0600);
	int saved = errno;
	/* rm moved the dir away meanwhile (a save racing the removal): nothing is lost. */
	if (ret < 0 && !(saved == ENOENT && !is_directory(dir)))
		LOG_ERROR("cannot write %s: %s", path ? path : file, strerror(saved));
	free(path);
	errno = saved;
	return ret;
}

/* A container's dir, made one at a time: ext4 makes a dir holding its parent's lock, which
 * concurrent creates spun on in the kernel (a tenth of a run's daemon CPU with fifty at once);
 * here they sleep. */
static int make_container_dir(const char *dir)
{
	static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
	pthread_mutex_lock(&lock);
	int ret = mkdir_p(dir, 0700);
	int saved = errno;
	pthread_mutex_unlock(&lock);
	errno = saved;
	return ret;
}

/* Writes hostconfig.json (when host) then config.v2.json, which is what makes the container
 * exist (see runtime_recover_dirs); a full save also syncs the dir. Only a full save (create,
 * update) makes the dir: a state save must not bring back the dir of a removed container. */
static int write_files(const char *id, const char *config, size_t len, const char *host,
                       size_t hlen, bool synced)
{
	char *dir = store_container_dir(id);
	int ret = -1;
	/* A state save after rm moved the dir away (an exit recorded late): nothing to keep. */
	if (dir && !host && !is_directory(dir))
		ret = 0;
	else if (dir && (!host || make_container_dir(dir) == 0) &&
	         (!host || write_json_in(dir, "hostconfig.json", host, hlen, true) == 0) &&
	         (!config || write_json_in(dir, "config.v2.json", config, len, synced) == 0) &&
	         (!host || fsync_dir(dir) == 0))
		ret = 0;
	int saved = errno;
	free(dir);
	errno = saved;
	return ret;
}

static int sync_state_file(const char *id);

/* Whether a snapshot of len bytes hashing to hash is what config.v2.json already holds,
 * synced (save_lock held). */
static bool already_synced(const struct container *c, size_t len, uint64_t hash)
{
	return c->saved_synced && c->saved_len == len && c->saved_hash == hash;
}

/* Writes c's newest pending files, if any (store lock not held); with sync_anyway, synced,
 * and when none is pending, fsyncs config.v2.json as it is. save_lock orders the writers:
 * the files are taken under it, so an older snapshot never lands after a newer. -1 with
 * errno when the write or sync failed. */
static int write_pending(struct container *c, bool sync_anyway)
{
	pthread_mutex_lock(&c->save_lock);
	pthread_mutex_lock(&g_store.lock);
	char *config = c->save_config, *host = c->save_host;
	size_t len = c->save_config_len, hlen = c->save_host_len;
	bool synced = sync_anyway || !c->save_unsynced;
	c->save_config = c->save_host = NULL;
	c->save_unsynced = false;
	pthread_mutex_unlock(&g_store.lock);
	int ret = 0;
	/* What tells a snapshot from the one last written. */
	uint64_t hash = config ? fnv1a64(FNV1A64_BASIS, config, len) : 0;
	/* A synced snapshot written before (a stop's exit, foreseen) is not written again. */
	if (config && !host && synced && already_synced(c, len, hash)) {
		free(config);
		config = NULL;
	} else if (config || host) {
		ret = write_files(c->id, config, len, host, hlen, synced);
		if (config) {
			/* In a durable batch the write is durable only at its commit. */
			c->saved_synced = ret == 0 && synced && !durable_batch_open();
			c->saved_len = len;
			c->saved_hash = hash;
		}
	} else if (sync_anyway) {
		ret = sync_state_file(c->id);
	}
	if (config || host || sync_anyway)
		c->save_errno = ret == 0 ? 0 : errno;
	pthread_mutex_unlock(&c->save_lock);
	free(config);
	free(host);
	return ret;
}

static void flush_pending(void)
{
	while (tl_npending) {
		struct container *c = tl_pending[--tl_npending];
		pthread_mutex_lock(&g_store.lock);
		c->save_queued = false;
		pthread_mutex_unlock(&g_store.lock);
		write_pending(c, false);
		store_put(c);
	}
}

/* Renders config.v2.json (state and config) and, with host_too, hostconfig.json, and queues
 * them for this thread's store_unlock (lock held). A newer snapshot replaces an unwritten
 * older one; an unwritten hostconfig.json is kept. */
static int save_files(struct container *c, bool host_too, bool synced, bool queue)
{
	/* A broken container's files are what is left of it: never overwritten; a removed one's
	 * are gone and must stay so (an update that waited for an rm's op_lock). */
	if (c->broken || c->removed)
		return 0;
	char created[64];
	time_format_rfc3339(&c->created, created, sizeof(created));
	yajl_gen g = yajl_gen_alloc(NULL);
	yajl_gen_map_open(g);
	jg_kstr(g, "ID", c->id);
	jg_kstr(g, "Name", c->name);
	jg_kstr(g, "Created", created);
	jg_key(g, "State");
	container_state_gen(g, c, true);
	jg_key(g, "Config");
	container_config_gen(g, &c->config);
	yajl_gen_map_close(g);
	size_t len, hlen = 0;
	char *config = jg_finish(g, &len);
	char *host = NULL;
	if (host_too) {
		g = yajl_gen_alloc(NULL);
		host_config_gen(g, &c->host);
		host = jg_finish(g, &hlen);
	}
	if (!config || (host_too && !host)) {
		free(config);
		free(host);
		errno = ENOMEM;
		return -1;
	}
	/* Unsynced only while every snapshot pending asked for no sync. */
	c->save_unsynced = !synced && (!c->save_config || c->save_unsynced);
	free(c->save_config);
	c->save_config = config;
	c->save_config_len = len;
	if (host) {
		free(c->save_host);
		c->save_host = host;
		c->save_host_len = hlen;
	}
	if (queue && !c->save_queued) {
		if (tl_npending == PENDING_MAX) {
			/* Not expected (a locked section saves one or two): c's next save writes
			 * it. */
			LOG_ERROR("too many saves in one locked section; %s is saved later", c->id);
			errno = ENOBUFS;
			return -1;
		}
		c->save_queued = true;
		c->refs++;
		tl_pending[tl_npending++] = c;
	}
	return 0;
}

int store_save(struct container *c)
{
	return save_files(c, true, true, true);
}

int store_save_state(struct container *c)
{
	return save_files(c, false, true, true);
}

int store_save_state_unsynced(struct container *c)
{
	return save_files(c, false, false, true);
}

int store_save_state_for_sync(struct container *c)
{
	return save_files(c, false, true, false);
}

/* config.v2.json as it is on disk made durable: the file, then its directory entry. */
static int sync_state_file(const char *id)
{
	char *dir = store_container_dir(id);
	char *path = dir ? path_join(dir, "config.v2.json") : NULL;
	int fd = path ? open(path, O_RDONLY | O_CLOEXEC) : -1;
	int ret = fd >= 0 && fsync(fd) == 0 && fsync_dir(dir) == 0 ? 0 : -1;
	int saved = errno;
	if (fd >= 0)
		close(fd);
	/* rm moved the dir away meanwhile: nothing to keep. */
	if (ret < 0 && saved == ENOENT && dir && !is_directory(dir))
		ret = 0;
	free(path);
	free(dir);
	errno = saved;
	return ret;
}

int store_sync_state(struct container *c)
{
	/* A snapshot still pending is written (synced) here; its queue entry finds nothing. */
	return write_pending(c, true);
}

int store_save_result(struct container *c)
{
	pthread_mutex_lock(&c->save_lock);
	int err = c->save_errno;
	pthread_mutex_unlock(&c->save_lock);
	errno = err;
	return err ? -1 : 0;
}

int store_save_host_config(struct container *c)
{
	yajl_gen g = yajl_gen_alloc(NULL);
	host_config_gen(g, &c->host);
	size_t hlen = 0;
	char *host = jg_finish(g, &hlen);
	pthread_mutex_lock(&c->save_lock);
	int ret = host ? write_files(c->id, NULL, 0, host, hlen, true) : -1;
	pthread_mutex_unlock(&c->save_lock);
	free(host);
	return ret;
}

/* The JSON of a state file; invalid UTF-8 (written by versions that did not repair it) is
 * repaired first rather than losing the container. NULL with why set. */
static yajl_val parse_state_file(const char *path, char *why, size_t whylen)
{
	size_t len = 0;
	char *text = read_file(path, 16 << 20, &len);
	if (!text) {
		snprintf(why, whylen, "cannot read %s: %s", path, strerror(errno));
		return NULL;
	}
	char err[256] = "";
	yajl_val v = NULL;
	if (strlen(text) != len) {
		snprintf(err, sizeof(err), "it contains a NUL byte");
	} else if (!utf8_valid(text, len)) {
		char *fixed = utf8_repair(text, len, NULL);
		v = fixed ? json_parse(fixed, err, sizeof(err)) : NULL;
		if (v)
			LOG_WARN("%s: invalid UTF-8 replaced by U+FFFD", path);
		free(fixed);
	} else {
		v = json_parse(text, err, sizeof(err));
	}
	if (!v) {
		/* yajl's message spans lines (it quotes the text): its first line is enough. */
		err[strcspn(err, "\n")] = '\0';
		snprintf(why, whylen, "%s is not valid JSON: %s", path, err[0] ? err : "?");
	}
	free(text);
	return v;
}

/* The "Name" of an unparsable config.v2.json, when it can still be told: the name stays
 * taken while the broken container is there. */
static char *salvage_name(const char *dir)
{
	char *path = path_join(dir, "config.v2.json");
	char *text = path ? read_file(path, 16 << 20, NULL) : NULL;
	char *name = NULL;
	const char *p = text ? strstr(text, "\"Name\":\"") : NULL;
	if (p) {
		p += 8;
		size_t n = strcspn(p, "\"\\");
		name = p[n] == '"' ? strndup(p, n) : NULL;
		char err[256];
		if (name && container_name_check(name, err, sizeof(err)) < 0) {
			free(name);
			name = NULL;
		}
	}
	free(text);
	free(path);
	return name;
}

/* A container whose state files cannot be used: kept in the table (status "broken", its
 * name taken) so that it is seen and can be removed, never silently dropped. */
static struct container *broken_container(const char *dir, const char *why)
{
	const char *id = strrchr(dir, '/') ? strrchr(dir, '/') + 1 : dir;
	LOG_ERROR("container %s is broken: %s", id, why);
	struct container *c = container_new(id);
	if (!c)
		return NULL;
	c->name = salvage_name(dir);
	if (!c->name)
		c->name = strdup(c->id);
	c->broken = strdup(why);
	struct stat st;
	if (stat(dir, &st) == 0)
		c->created = st.st_mtim;
	if (!c->name || !c->broken) {
		container_free(c);
		return NULL;
	}
	return c;
}

static struct container *load_one(const char *dir)
{
	char why[512] = "", err[256] = "";
	char *cpath = path_join(dir, "config.v2.json");
	char *hpath = path_join(dir, "hostconfig.json");
	yajl_val cj = cpath ? parse_state_file(cpath, why, sizeof(why)) : NULL;
	yajl_val hj = cj && hpath ? parse_state_file(hpath, why, sizeof(why)) : NULL;
	struct container *c = NULL;
	const char *id = json_get_str(cj, "ID");
	const char *name = json_get_str(cj, "Name");
	if (!cj || !hj)
		goto out;
	if (!id || !name || !idgen_is_full_id(id) || strcmp(id, strrchr(dir, '/') + 1) != 0) {
		snprintf(why, sizeof(why), "%s: no ID (or not its directory's) or no Name", cpath);
		goto out;
	}
	c = container_new(id);
	if (!c)
		goto out;
	c->name = strdup(name);
	const char *created = json_get_str(cj, "Created");
	if (created)
		time_parse_rfc3339(created, &c->created);
	if (container_config_parse(json_get(cj, "Config"), &c->config, err, sizeof(err)) < 0 ||
	    host_config_parse(hj, &c->host, err, sizeof(err)) < 0 ||
	    container_state_parse(json_get(cj, "State"), &c->state) < 0 ||
	    oci_spec_load_hooks(dir, &c->hooks, err, sizeof(err)) < 0) {
		snprintf(why, sizeof(why), "%s", err[0] ? err : "incomplete state");
		container_free(c);
		c = NULL;
	}
out:
	if (!c)
		c = broken_container(dir, why[0] ? why : "unreadable state");
	if (cj)
		yajl_tree_free(cj);
	if (hj)
		yajl_tree_free(hj);
	free(cpath);
	free(hpath);
	return c;
}

int store_load_all(void)
{
	DIR *d = opendir(g_paths.lxcpath);
	if (!d)
		return -1;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (!idgen_is_full_id(de->d_name))
			continue;
		char *dir = path_join(g_paths.lxcpath, de->d_name);
		struct container *c = dir ? load_one(dir) : NULL;
		free(dir);
		char err[512];
		if (c && store_add(c, err, sizeof(err)) < 0) {
			LOG_WARN("skipping %s: %s", de->d_name, err);
			container_free(c);
		} else if (c) {
			/* store_add's reference for its caller: the store keeps its own. */
			store_put(c);
		}
	}
	closedir(d);
	return 0;
}
