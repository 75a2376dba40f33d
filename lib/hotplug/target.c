/* Finding the container a hot-plug command works on (see target.h). */
#include "hotplug/target.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <yajl/yajl_tree.h>

#include "core/fileutil.h"
#include "core/http_client.h"
#include "core/json.h"
#include "core/paths.h"
#include "core/units.h"
#include "engine/engine_layout.h"

#define API_ANSWER_MAX (4 << 20)
#define LXC_CONFIG_MAX (1 << 20)

/* GET path from the daemon: the parsed JSON answer, or NULL with e. A 404 is ERR_NOT_FOUND
 * with the daemon's message. */
static yajl_val api_get(const char *host, const char *path, struct error *e)
{
	struct http_conn *c = calloc(1, sizeof(*c));
	if (!c) {
		error_set(e, ERR_INTERNAL, "out of memory");
		return NULL;
	}
	yajl_val v = NULL;
	char *body = NULL;
	size_t len = 0;
	if (http_connect(c, host) < 0) {
		error_set(e, ERR_INTERNAL,
		          "Cannot connect to the iSulad daemon at %s: %s. Is the daemon running?",
		          host, strerror(errno));
		free(c);
		return NULL;
	}
	if (http_send_request(c, "GET", path, NULL, NULL, 0) < 0 || http_read_head(c, false) < 0 ||
	    http_read_body_all(c, &body, &len) < 0) {
		error_set(e, ERR_INTERNAL, "Cannot talk to the iSulad daemon at %s: %s", host,
		          strerror(errno));
	} else if (len > API_ANSWER_MAX) {
		error_set(e, ERR_INTERNAL, "the daemon's answer to %s is too large", path);
	} else {
		char perr[256];
		v = json_parse(body, perr, sizeof(perr));
		if (c->status != 200) {
			const char *m = json_get_str(v, "message");
			error_set(e, c->status == 404 ? ERR_NOT_FOUND : ERR_INTERNAL, "%s",
			          m ? m : "the daemon refused the request");
			if (v)
				yajl_tree_free(v);
			v = NULL;
		} else if (!v) {
			error_set(e, ERR_INTERNAL, "the daemon's answer to %s is not JSON: %s",
			          path, perr);
		}
	}
	free(body);
	http_close(c);
	free(c);
	return v;
}

/* The value of the last "KEY = VALUE" line of an lxc config (malloc'd), or NULL. */
static char *config_value(const char *text, const char *key)
{
	size_t klen = strlen(key);
	char *out = NULL;
	for (const char *l = text; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
		const char *end = strchrnul(l, '\n');
		if ((size_t)(end - l) <= klen || strncmp(l, key, klen) != 0)
			continue;
		const char *p = l + klen;
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p != '=')
			continue;
		p++;
		while (*p == ' ' || *p == '\t')
			p++;
		free(out);
		out = strndup(p, (size_t)(end - p));
	}
	return out;
}

/* "u 0 100000 65536": the host id of container id 0 in *host when the map of kind has it. */
static void idmap_root(const char *text, char kind, uint32_t *host)
{
	for (const char *l = text; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
		if (strncmp(l, "lxc.idmap", 9) != 0)
			continue;
		const char *p = strchr(l, '=');
		const char *end = strchrnul(l, '\n');
		if (!p || p > end)
			continue;
		char kind_c;
		unsigned long ns_id, host_id, range;
		if (sscanf(p + 1, " %c %lu %lu %lu", &kind_c, &ns_id, &host_id, &range) == 4 &&
		    kind_c == kind && ns_id == 0 && range > 0 && host_id <= UINT32_MAX)
			*host = (uint32_t)host_id;
	}
}

int hotplug_target_read_config(struct hotplug_target *t, struct error *e)
{
	char *path = path_join(t->dir, "config");
	char *text = path ? read_file(path, LXC_CONFIG_MAX, NULL) : NULL;
	if (!text && path && errno == ENOENT) {
		/* A container never started has no lxc config yet: no cgroup, ids from the
		 * engine (hotplug_target_from_engine). */
		free(path);
		return 1;
	}
	if (!text) {
		int saved = errno;
		error_set(e, ERR_INTERNAL, "cannot read the container's lxc config %s: %s",
		          path ? path : t->dir, strerror(saved));
		free(path);
		return -1;
	}
	free(path);
	free(t->cgroup);
	t->cgroup = config_value(text, "lxc.cgroup.dir.container");
	/* Relative to each hierarchy's root, as liblxc takes it. */
	if (t->cgroup && t->cgroup[0] == '/')
		memmove(t->cgroup, t->cgroup + strspn(t->cgroup, "/"),
		        strlen(t->cgroup + strspn(t->cgroup, "/")) + 1);
	if (t->cgroup && (strstr(t->cgroup, "..") || !*t->cgroup)) {
		free(t->cgroup);
		t->cgroup = NULL;
	}
	uint32_t uid = 0, gid = 0;
	idmap_root(text, 'u', &uid);
	idmap_root(text, 'g', &gid);
	t->root_uid = uid;
	t->root_gid = gid;
	free(text);
	return 0;
}

/* True when the pinned process sits in the container's cgroup or below it (on the v2 tree or
 * a v1 hierarchy, the path anchored at the root): the pid the engine named is still that
 * container's init. */
static bool pin_in_cgroup(const struct hotplug_target *t)
{
	if (!t->cgroup)
		return true; /* nothing to check against: the pin alone holds it */
	int fd = pid_pin_openat(&t->pin, "cgroup", O_RDONLY);
	char *text = fd >= 0 ? read_fd(fd, 1 << 16, NULL) : NULL;
	if (fd >= 0)
		close(fd);
	bool ok = false;
	size_t len = strlen(t->cgroup);
	for (char *l = text; l && *l && !ok; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
		char *p = strchr(l, ':');
		p = p ? strchr(p + 1, ':') : NULL;
		if (!p || p[1] != '/')
			continue;
		/* Anchored at the hierarchy's root, as the host sees it (another container may
		 * make cgroups whose path merely contains this one's). */
		const char *path = p + 2;
		if (strncmp(path, t->cgroup, len) == 0 &&
		    (path[len] == '/' || path[len] == '\n' || path[len] == '\0'))
			ok = true;
	}
	free(text);
	return ok;
}

static int pin_init(struct hotplug_target *t, int64_t pid, struct error *e)
{
	t->pid = 0;
	t->pin.pidfd = -1;
	if (pid <= 0)
		return 0;
	if (pid_pin_open((pid_t)pid, 0, &t->pin) < 0) {
		if (errno == ESRCH)
			return 0; /* it has just exited: not running */
		return error_set(e, ERR_INTERNAL, "cannot pin the container's init (pid %lld): %s",
		                 (long long)pid, strerror(errno));
	}
	t->pid = (pid_t)pid;
	if (!pin_in_cgroup(t)) {
		pid_pin_close(&t->pin);
		t->pin.pidfd = -1;
		t->pid = 0;
		if (errno != ESRCH && kill((pid_t)pid, 0) == 0)
			return error_set(e, ERR_INTERNAL,
			                 "pid %lld is not the init of container %s (it is outside "
			                 "the cgroup %s)",
			                 (long long)pid, t->id, t->cgroup);
	}
	return 0;
}

/* --user-remap "uid:gid:offset" of a container never started: the host ids of its root (the
 * engine maps none when either id is 0). */
static void remap_root(const char *remap, struct hotplug_target *t)
{
	unsigned long uid, gid, off;
	if (remap && sscanf(remap, "%lu:%lu:%lu", &uid, &gid, &off) == 3 && uid > 0 && gid > 0 &&
	    uid <= UINT32_MAX && gid <= UINT32_MAX) {
		t->root_uid = (uid_t)uid;
		t->root_gid = (gid_t)gid;
	}
}

/* The directory of LOG_PATH when it is <graph>/engines/lcr/<id>/console.log (malloc'd), else
 * NULL. */
static char *container_dir_of_log(const char *log_path, const char *id)
{
	static const char tail[] = "/console.log", lcr[] = "/engines/lcr/";
	size_t n = log_path ? strlen(log_path) : 0, tl = strlen(tail), il = strlen(id);
	size_t ll = strlen(lcr);
	if (n < tl + il + ll + 1 || log_path[0] != '/' || strcmp(log_path + n - tl, tail) != 0)
		return NULL;
	size_t dl = n - tl; /* log_path[0..dl) is the directory */
	if (strncmp(log_path + dl - il, id, il) != 0 ||
	    strncmp(log_path + dl - il - ll, lcr, ll) != 0 || strstr(log_path, "/../") ||
	    strstr(log_path, "/./"))
		return NULL;
	return strndup(log_path, dl);
}

int hotplug_target_from_engine(const char *host, const char *ref, struct hotplug_target *t,
                               struct error *e)
{
	memset(t, 0, sizeof(*t));
	t->pin.pidfd = -1;
	if (!host || !*host)
		host = ISULAD_DEFAULT_HOST;
	char *esc = http_url_escape(ref);
	char path[512];
	if (!esc || strlen(esc) > 400) {
		free(esc);
		return error_set(e, ERR_INVALID, "Invalid container name (%s)", ref);
	}
	snprintf(path, sizeof(path), "/containers/%s/json", esc);
	free(esc);
	yajl_val c = api_get(host, path, e);
	if (!c)
		return -1;
	int ret = -1;
	const char *id = json_get_str(c, "Id");
	yajl_val state = json_get(c, "State");
	yajl_val info = NULL;
	char *dir = NULL;
	if (!id || !*id || strchr(id, '/') || strcmp(id, ".") == 0 || strcmp(id, "..") == 0) {
		error_set(e, ERR_INTERNAL, "the daemon's answer does not name the container's ID");
		goto out;
	}
	/* The container's directory holds its log: one request instead of two when the log
	 * path says where it is. */
	dir = container_dir_of_log(json_get_str(c, "LogPath"), id);
	if (!dir) {
		info = api_get(host, "/info", e);
		if (!info)
			goto out;
		const char *root = json_get_str(info, "DockerRootDir");
		char *lcr = root ? engine_lcr_dir(root) : NULL;
		dir = lcr ? path_join(lcr, id) : NULL;
		free(lcr);
		if (!dir) {
			error_set(e, ERR_INTERNAL,
			          "the daemon's answer does not name its root directory");
			goto out;
		}
	}
	t->id = strdup(id);
	t->name = strdup(ref);
	t->dir = dir;
	dir = NULL;
	if (!t->id || !t->name || !t->dir) {
		error_set(e, ERR_INTERNAL, "out of memory");
		goto out;
	}
	int rc = hotplug_target_read_config(t, e);
	if (rc < 0)
		goto out;
	if (rc > 0)
		remap_root(json_get_str(json_get(c, "HostConfig"), "UserRemap"), t);
	int64_t pid = json_get_bool(state, "Running", false) ? json_get_int(state, "Pid", 0) : 0;
	ret = pin_init(t, pid, e);
out:
	free(dir);
	if (info)
		yajl_tree_free(info);
	yajl_tree_free(c);
	if (ret < 0)
		hotplug_target_free(t);
	return ret;
}

int hotplug_target_from_hook(const struct hook_state *s, struct hotplug_target *t, struct error *e)
{
	memset(t, 0, sizeof(*t));
	t->pin.pidfd = -1;
	if (!s->bundle || !s->id)
		return error_set(e, ERR_INVALID, "the container state has no %s",
		                 s->bundle ? "id" : "bundle");
	t->id = strdup(s->id);
	t->name = strdup(s->id);
	t->dir = strdup(s->bundle);
	int ret = -1;
	if (!t->id || !t->name || !t->dir)
		error_set(e, ERR_INTERNAL, "out of memory");
	else if ((ret = hotplug_target_read_config(t, e)) > 0)
		/* The engine writes it before every start: a hook without it is not ours. */
		ret = error_set(e, ERR_INTERNAL,
		                "cannot read the container's lxc config %s/config: %s", t->dir,
		                strerror(ENOENT));
	else if (ret == 0)
		ret = pin_init(t, s->pid, e);
	if (ret < 0)
		hotplug_target_free(t);
	return ret;
}

bool hotplug_target_running(const struct hotplug_target *t)
{
	return t->pid > 0 && pid_pin_alive(&t->pin);
}

void hotplug_target_free(struct hotplug_target *t)
{
	if (t->pid > 0)
		pid_pin_close(&t->pin);
	free(t->id);
	free(t->name);
	free(t->dir);
	free(t->cgroup);
	memset(t, 0, sizeof(*t));
	t->pin.pidfd = -1;
}
