/* device_hook.json: load, render, save, lock (see record.h). */
#include "core/utf8.h"
#include "hotplug/record.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "core/fileutil.h"
#include "core/json.h"
#include "host/ns_exec.h"

#define STRING_MAX 4096
#define LOCK_POLL_MS 10

static const char *const g_qos_keys[HP_QOS_KINDS] = {"readIops", "writeIops", "readBps", "writeBps",
                                                     "blkioWeight"};

const char *hp_qos_key(enum hp_qos_kind k)
{
	return k < HP_QOS_KINDS ? g_qos_keys[k] : "";
}

int hotplug_record_lock(const char *dir, int timeout_ms, struct error *e)
{
	char *path = path_join(dir, HOTPLUG_LOCK_FILE);
	int fd = path ? open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600) : -1;
	if (fd < 0) {
		int saved = errno;
		error_set(e, ERR_INTERNAL, "cannot open the lock %s: %s", path ? path : dir,
		          strerror(saved));
		free(path);
		return -1;
	}
	/* Polled, not blocking: a holder that hangs must not hang every later command and the
	 * container's next start with it. */
	int ret, waited = 0;
	while ((ret = flock(fd, LOCK_EX | LOCK_NB)) < 0 &&
	       (errno == EWOULDBLOCK || errno == EINTR) && waited < timeout_ms) {
		usleep(LOCK_POLL_MS * 1000);
		waited += LOCK_POLL_MS;
	}
	if (ret < 0) {
		if (errno == EWOULDBLOCK)
			error_set(e, ERR_CONFLICT,
			          "%s is held by another isulad-tools command or the container's "
			          "start hook: gave up after %d s",
			          path, timeout_ms / 1000);
		else
			error_set(e, ERR_INTERNAL, "cannot lock %s: %s", path, strerror(errno));
		close(fd);
		fd = -1;
	} else if (ns_exec_close_in_children(fd) < 0) {
		/* A helper child that hangs in the container must not keep the lock. */
		error_set(e, ERR_INTERNAL, "too many locks held");
		close(fd);
		fd = -1;
	}
	free(path);
	return fd;
}

void hotplug_record_unlock(int fd)
{
	if (fd >= 0) {
		ns_exec_forget_fd(fd);
		close(fd); /* releases the flock */
	}
}

int hp_array_push(void *arr, size_t *n, size_t size, const void *item)
{
	void **a = arr;
	char *grown = realloc(*a, (*n + 1) * size);
	if (!grown)
		return -1;
	memcpy(grown + *n * size, item, size);
	*a = grown;
	(*n)++;
	return 0;
}

void hp_array_remove(void *arr, size_t *n, size_t size, size_t i)
{
	char *a = *(void **)arr;
	if (i >= *n)
		return;
	memmove(a + i * size, a + (i + 1) * size, (*n - i - 1) * size);
	(*n)--;
}

/* A string member: absent or null is NULL; any other non-string, an over-long string or one
 * with a control character is an error. */
static int get_string(yajl_val obj, const char *key, const char *what, char **out, struct error *e)
{
	*out = NULL;
	yajl_val v = json_get(obj, key);
	if (!v || YAJL_IS_NULL(v))
		return 0;
	if (!YAJL_IS_STRING(v))
		return error_set(e, ERR_INVALID, "%s: \"%s\" is not a string", what, key);
	const char *s = YAJL_GET_STRING(v);
	size_t len = strlen(s);
	if (len > STRING_MAX)
		return error_set(e, ERR_INVALID, "%s: \"%s\" is longer than %d bytes", what, key,
		                 STRING_MAX);
	if (str_has_control(s))
		return error_set(e, ERR_INVALID, "%s: \"%s\" holds a control character", what, key);
	if (len == 0)
		return 0;
	if (!(*out = strdup(s)))
		return error_set(e, ERR_INTERNAL, "out of memory");
	return 0;
}

/* An integer member in [lo, hi]; absent is dflt. */
static int get_int(yajl_val obj, const char *key, const char *what, int64_t lo, int64_t hi,
                   int64_t dflt, int64_t *out, struct error *e)
{
	yajl_val v = json_get(obj, key);
	*out = dflt;
	if (!v || YAJL_IS_NULL(v))
		return 0;
	if (!YAJL_IS_INTEGER(v) || YAJL_GET_INTEGER(v) < lo || YAJL_GET_INTEGER(v) > hi)
		return error_set(e, ERR_INVALID, "%s: \"%s\" is not an integer from %lld to %lld",
		                 what, key, (long long)lo, (long long)hi);
	*out = YAJL_GET_INTEGER(v);
	return 0;
}

/* The array member key (absent: n = 0), at most max entries. */
static int get_array(yajl_val root, const char *key, size_t max, yajl_val *arr, size_t *n,
                     struct error *e)
{
	*arr = json_get(root, key);
	*n = 0;
	if (!*arr || YAJL_IS_NULL(*arr))
		return 0;
	if (!YAJL_IS_ARRAY(*arr))
		return error_set(e, ERR_INVALID, "\"%s\" is not a list", key);
	*n = YAJL_GET_ARRAY(*arr)->len;
	if (*n > max)
		return error_set(e, ERR_INVALID, "\"%s\" has %zu entries, more than %zu", key, *n,
		                 max);
	for (size_t i = 0; i < *n; i++)
		if (!YAJL_IS_OBJECT(YAJL_GET_ARRAY(*arr)->values[i]) &&
		    strcmp(key, "bindToAdd") != 0)
			return error_set(e, ERR_INVALID, "\"%s\" entry %zu is not an object", key,
			                 i);
	return 0;
}

#define ITEM(arr, i) (YAJL_GET_ARRAY(arr)->values[i])

static int parse_devices(yajl_val root, struct hotplug_record *r, struct error *e)
{
	yajl_val arr;
	size_t n;
	if (get_array(root, "deviceToAdd", HOTPLUG_MAX_DEVICES, &arr, &n, e) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		yajl_val o = ITEM(arr, i);
		struct hp_device d = {0};
		char *type = NULL;
		int ret = get_string(o, "Type", "deviceToAdd", &type, e);
		if (ret == 0 && (!type || (strcmp(type, "b") != 0 && strcmp(type, "c") != 0)))
			ret = error_set(e, ERR_INVALID,
			                "deviceToAdd: \"Type\" is not \"b\" or \"c\"");
		if (ret == 0) {
			d.type = type[0];
			ret = get_int(o, "Major", "deviceToAdd", 0, UINT32_MAX, 0, &d.major, e);
		}
		if (ret == 0)
			ret = get_int(o, "Minor", "deviceToAdd", 0, UINT32_MAX, 0, &d.minor, e);
		free(type);
		if (ret == 0)
			ret = get_string(o, "PathOnHost", "deviceToAdd", &d.path_on_host, e);
		if (ret == 0)
			ret = get_string(o, "PathInContainer", "deviceToAdd", &d.path_in_container,
			                 e);
		if (ret == 0)
			ret = get_string(o, "CgroupPermissions", "deviceToAdd", &d.permissions, e);
		if (ret == 0)
			ret = get_string(o, "Parent", "deviceToAdd", &d.parent, e);
		if (ret == 0 && (!d.path_on_host || !d.path_in_container))
			ret =
			    error_set(e, ERR_INVALID,
			              "deviceToAdd: an entry lacks PathOnHost or PathInContainer");
		if (ret == 0 && !d.permissions && !(d.permissions = strdup("rwm")))
			ret = error_set(e, ERR_INTERNAL, "out of memory");
		if (ret == 0 && hp_array_push(&r->devices, &r->n_devices, sizeof(d), &d) < 0)
			ret = error_set(e, ERR_INTERNAL, "out of memory");
		if (ret < 0) {
			hp_device_free(&d);
			return -1;
		}
	}
	return 0;
}

static int parse_qos(yajl_val root, enum hp_qos_kind k, struct hotplug_record *r, struct error *e)
{
	yajl_val arr;
	size_t n;
	if (get_array(root, g_qos_keys[k], HOTPLUG_MAX_DEVICES, &arr, &n, e) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		yajl_val o = ITEM(arr, i);
		struct hp_qos q = {0};
		char *value = NULL, *end = NULL;
		int ret = get_string(o, "path", g_qos_keys[k], &q.path, e);
		if (ret == 0)
			ret = get_int(o, "major", g_qos_keys[k], 0, UINT32_MAX, 0, &q.major, e);
		if (ret == 0)
			ret = get_int(o, "minor", g_qos_keys[k], 0, UINT32_MAX, 0, &q.minor, e);
		if (ret == 0)
			ret = get_string(o, "value", g_qos_keys[k], &value, e);
		if (ret == 0) {
			errno = 0;
			q.value = value ? strtoull(value, &end, 10) : 0;
			if (!value || !*value || *end || errno || value[0] == '-' ||
			    !(value[0] >= '0' && value[0] <= '9'))
				ret = error_set(e, ERR_INVALID, "%s: \"value\" is not a number",
				                g_qos_keys[k]);
		}
		free(value);
		if (ret == 0 && !q.path)
			ret = error_set(e, ERR_INVALID, "%s: an entry has no path", g_qos_keys[k]);
		if (ret == 0 && hp_array_push(&r->qos[k], &r->n_qos[k], sizeof(q), &q) < 0)
			ret = error_set(e, ERR_INTERNAL, "out of memory");
		if (ret < 0) {
			hp_qos_free(&q);
			return -1;
		}
	}
	return 0;
}

static int parse_nics(yajl_val root, struct hotplug_record *r, struct error *e)
{
	yajl_val arr;
	size_t n;
	if (get_array(root, "networkInterfaces", HOTPLUG_MAX_NICS, &arr, &n, e) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		yajl_val o = ITEM(arr, i);
		struct hp_nic c = {0};
		int64_t mtu = 0, qlen = -1;
		const char *w = "networkInterfaces";
		int ret = get_string(o, "Ip", w, &c.ip, e);
		if (ret == 0)
			ret = get_string(o, "Mac", w, &c.mac, e);
		if (ret == 0)
			ret = get_int(o, "Mtu", w, 0, 65535, 0, &mtu, e);
		if (ret == 0)
			ret = get_int(o, "Qlen", w, -1, INT32_MAX, -1, &qlen, e);
		if (ret == 0)
			ret = get_string(o, "Type", w, &c.type, e);
		if (ret == 0)
			ret = get_string(o, "Bridge", w, &c.bridge, e);
		if (ret == 0)
			ret = get_string(o, "HostNicName", w, &c.host_name, e);
		if (ret == 0)
			ret = get_string(o, "CtrNicName", w, &c.ctr_name, e);
		c.mtu = (int)mtu;
		c.qlen = (int)qlen;
		if (ret == 0 &&
		    (!c.type || (strcmp(c.type, "veth") != 0 && strcmp(c.type, "eth") != 0)))
			ret =
			    error_set(e, ERR_INVALID, "%s: \"Type\" is not \"veth\" or \"eth\"", w);
		if (ret == 0 && (!c.host_name || !c.ctr_name))
			ret = error_set(e, ERR_INVALID,
			                "%s: an entry lacks HostNicName or CtrNicName", w);
		if (ret == 0 && hp_array_push(&r->nics, &r->n_nics, sizeof(c), &c) < 0)
			ret = error_set(e, ERR_INTERNAL, "out of memory");
		if (ret < 0) {
			hp_nic_free(&c);
			return -1;
		}
	}
	return 0;
}

static int parse_routes(yajl_val root, struct hotplug_record *r, struct error *e)
{
	yajl_val arr;
	size_t n;
	if (get_array(root, "networkRoute", HOTPLUG_MAX_ROUTES, &arr, &n, e) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		yajl_val o = ITEM(arr, i);
		struct hp_route t = {0};
		const char *w = "networkRoute";
		int ret = get_string(o, "dest", w, &t.dest, e);
		if (ret == 0)
			ret = get_string(o, "src", w, &t.src, e);
		if (ret == 0)
			ret = get_string(o, "gw", w, &t.gw, e);
		if (ret == 0)
			ret = get_string(o, "dev", w, &t.dev, e);
		if (ret == 0 && hp_array_push(&r->routes, &r->n_routes, sizeof(t), &t) < 0)
			ret = error_set(e, ERR_INTERNAL, "out of memory");
		if (ret < 0) {
			hp_route_free(&t);
			return -1;
		}
	}
	return 0;
}

static int parse_binds(yajl_val root, struct hotplug_record *r, struct error *e)
{
	yajl_val arr;
	size_t n;
	if (get_array(root, "bindToAdd", HOTPLUG_MAX_PATHS, &arr, &n, e) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		yajl_val v = ITEM(arr, i);
		if (!YAJL_IS_STRING(v))
			return error_set(e, ERR_INVALID, "bindToAdd: entry %zu is not a string", i);
		char *s = NULL;
		const char *text = YAJL_GET_STRING(v);
		size_t len = strlen(text);
		if (len == 0 || len > STRING_MAX)
			return error_set(e, ERR_INVALID,
			                 "bindToAdd: entry %zu is empty or too long", i);
		if (str_has_control(text))
			return error_set(e, ERR_INVALID,
			                 "bindToAdd: entry %zu holds a control character", i);
		if (!(s = strdup(text)) ||
		    hp_array_push(&r->binds, &r->n_binds, sizeof(s), &s) < 0) {
			free(s);
			return error_set(e, ERR_INTERNAL, "out of memory");
		}
	}
	return 0;
}

int hotplug_record_parse(const char *text, struct hotplug_record *r, struct error *e)
{
	memset(r, 0, sizeof(*r));
	char perr[256];
	yajl_val root = json_parse(text, perr, sizeof(perr));
	if (!root)
		return error_set(e, ERR_INVALID, "%s is not JSON: %s", HOTPLUG_RECORD_FILE, perr);
	int ret = 0;
	if (!YAJL_IS_OBJECT(root))
		ret = error_set(e, ERR_INVALID, "%s is not a JSON object", HOTPLUG_RECORD_FILE);
	if (ret == 0)
		ret = parse_devices(root, r, e);
	for (int k = 0; ret == 0 && k < HP_QOS_KINDS; k++)
		ret = parse_qos(root, (enum hp_qos_kind)k, r, e);
	if (ret == 0)
		ret = parse_nics(root, r, e);
	if (ret == 0)
		ret = parse_routes(root, r, e);
	if (ret == 0)
		ret = parse_binds(root, r, e);
	yajl_tree_free(root);
	if (ret < 0)
		hotplug_record_free(r);
	return ret;
}

int hotplug_record_load(const char *dir, struct hotplug_record *r, struct error *e)
{
	memset(r, 0, sizeof(*r));
	char *path = path_join(dir, HOTPLUG_RECORD_FILE);
	if (!path)
		return error_set(e, ERR_INTERNAL, "out of memory");
	size_t len = 0;
	char *text = read_file(path, HOTPLUG_RECORD_MAX, &len);
	int ret = 0;
	if (!text && errno != ENOENT)
		ret = error_set(e, ERR_INTERNAL, "cannot read %s: %s", path, strerror(errno));
	else if (text && strlen(text) != len)
		ret = error_set(e, ERR_INVALID, "%s holds a NUL byte", path);
	else if (text && hotplug_record_parse(text, r, e) < 0) {
		char why[ERROR_MSG_LEN];
		snprintf(why, sizeof(why), "%s", e->msg);
		ret = error_set(e, ERR_INVALID, "%s: %s", path, why);
	}
	free(text);
	free(path);
	return ret;
}

void hp_device_gen(yajl_gen g, const struct hp_device *d)
{
	char type[2] = {d->type, 0};
	yajl_gen_map_open(g);
	jg_kstr(g, "Type", type);
	jg_kint(g, "Minor", d->minor);
	jg_kint(g, "Major", d->major);
	jg_kstr(g, "PathOnHost", d->path_on_host);
	jg_kstr(g, "PathInContainer", d->path_in_container);
	jg_kstr(g, "CgroupPermissions", d->permissions ? d->permissions : "");
	jg_kstr(g, "Parent", d->parent ? d->parent : "");
	yajl_gen_map_close(g);
}

static void render_devices(yajl_gen g, const struct hotplug_record *r)
{
	if (!r->n_devices)
		return;
	jg_key(g, "deviceToAdd");
	yajl_gen_array_open(g);
	for (size_t i = 0; i < r->n_devices; i++)
		hp_device_gen(g, &r->devices[i]);
	yajl_gen_array_close(g);
}

static void render_qos(yajl_gen g, const struct hotplug_record *r, enum hp_qos_kind k)
{
	if (!r->n_qos[k])
		return;
	jg_key(g, g_qos_keys[k]);
	yajl_gen_array_open(g);
	for (size_t i = 0; i < r->n_qos[k]; i++) {
		const struct hp_qos *q = &r->qos[k][i];
		char value[32];
		snprintf(value, sizeof(value), "%" PRIu64, q->value);
		yajl_gen_map_open(g);
		jg_kint(g, "major", q->major);
		jg_kint(g, "minor", q->minor);
		jg_kstr(g, "path", q->path);
		jg_kstr(g, "value", value);
		yajl_gen_map_close(g);
	}
	yajl_gen_array_close(g);
}

static void kstr_opt(yajl_gen g, const char *key, const char *v)
{
	jg_kstr(g, key, v ? v : "");
}

static void render_nics(yajl_gen g, const struct hotplug_record *r)
{
	if (!r->n_nics)
		return;
	jg_key(g, "networkInterfaces");
	yajl_gen_array_open(g);
	for (size_t i = 0; i < r->n_nics; i++) {
		const struct hp_nic *c = &r->nics[i];
		yajl_gen_map_open(g);
		kstr_opt(g, "Ip", c->ip);
		kstr_opt(g, "Mac", c->mac);
		jg_kint(g, "Mtu", c->mtu);
		jg_kint(g, "Qlen", c->qlen);
		kstr_opt(g, "Type", c->type);
		kstr_opt(g, "Bridge", c->bridge);
		kstr_opt(g, "HostNicName", c->host_name);
		kstr_opt(g, "CtrNicName", c->ctr_name);
		yajl_gen_map_close(g);
	}
	yajl_gen_array_close(g);
}

static void render_routes(yajl_gen g, const struct hotplug_record *r)
{
	if (!r->n_routes)
		return;
	jg_key(g, "networkRoute");
	yajl_gen_array_open(g);
	for (size_t i = 0; i < r->n_routes; i++) {
		const struct hp_route *t = &r->routes[i];
		yajl_gen_map_open(g);
		kstr_opt(g, "dest", t->dest);
		kstr_opt(g, "src", t->src);
		kstr_opt(g, "gw", t->gw);
		kstr_opt(g, "dev", t->dev);
		yajl_gen_map_close(g);
	}
	yajl_gen_array_close(g);
}

char *hotplug_record_render(const struct hotplug_record *r)
{
	yajl_gen g = yajl_gen_alloc(NULL);
	if (!g)
		return NULL;
	yajl_gen_map_open(g);
	if (r->n_binds) {
		jg_key(g, "bindToAdd");
		yajl_gen_array_open(g);
		for (size_t i = 0; i < r->n_binds; i++)
			jg_str(g, r->binds[i]);
		yajl_gen_array_close(g);
	}
	render_devices(g, r);
	for (int k = 0; k < HP_QOS_KINDS; k++)
		render_qos(g, r, (enum hp_qos_kind)k);
	render_nics(g, r);
	render_routes(g, r);
	yajl_gen_map_close(g);
	return jg_finish_line(g);
}

int hotplug_record_save(const char *dir, const struct hotplug_record *r, struct error *e)
{
	char *text = hotplug_record_render(r);
	char *path = path_join(dir, HOTPLUG_RECORD_FILE);
	int ret = 0;
	if (!text || !path)
		ret = error_set(e, ERR_INTERNAL, "out of memory");
	/* Nothing recorded and no file yet: a container never hot-plugged into keeps no file. */
	else if (strcmp(text, "{}\n") == 0 && access(path, F_OK) < 0 && errno == ENOENT)
		ret = 0;
	/* Unchanged (the hook saves at every start): no write, no fsync. */
	else if (write_file_if_changed(path, text, strlen(text), 0600) < 0)
		ret = error_set(e, ERR_INTERNAL, "cannot write %s: %s", path, strerror(errno));
	free(text);
	free(path);
	return ret;
}

void hp_device_free(struct hp_device *d)
{
	free(d->path_on_host);
	free(d->path_in_container);
	free(d->permissions);
	free(d->parent);
	memset(d, 0, sizeof(*d));
}

void hp_qos_free(struct hp_qos *q)
{
	free(q->path);
	memset(q, 0, sizeof(*q));
}

void hp_nic_free(struct hp_nic *n)
{
	free(n->ip);
	free(n->mac);
	free(n->type);
	free(n->bridge);
	free(n->host_name);
	free(n->ctr_name);
	memset(n, 0, sizeof(*n));
}

void hp_route_free(struct hp_route *r)
{
	free(r->dest);
	free(r->src);
	free(r->gw);
	free(r->dev);
	memset(r, 0, sizeof(*r));
}

void hotplug_record_free(struct hotplug_record *r)
{
	for (size_t i = 0; i < r->n_devices; i++)
		hp_device_free(&r->devices[i]);
	free(r->devices);
	for (int k = 0; k < HP_QOS_KINDS; k++) {
		for (size_t i = 0; i < r->n_qos[k]; i++)
			hp_qos_free(&r->qos[k][i]);
		free(r->qos[k]);
	}
	for (size_t i = 0; i < r->n_nics; i++)
		hp_nic_free(&r->nics[i]);
	free(r->nics);
	for (size_t i = 0; i < r->n_routes; i++)
		hp_route_free(&r->routes[i]);
	free(r->routes);
	for (size_t i = 0; i < r->n_binds; i++)
		free(r->binds[i]);
	free(r->binds);
	memset(r, 0, sizeof(*r));
}
