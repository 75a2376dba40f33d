#include "oci_spec.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>

#include "core/json.h"
#include "log_config.h"
#include "engine/oci_hook_exec.h"
#include "core/strv.h"

/* One "key = value" line of the lxc config. */
struct lxc_line {
	const char *key, *value;
};

struct lxc_lines {
	char *text; /* owned copy, cut into the lines */
	struct lxc_line *v;
	size_t n;
};

static int lines_parse(const char *lxc_text, struct lxc_lines *l)
{
	memset(l, 0, sizeof(*l));
	l->text = strdup(lxc_text);
	if (!l->text)
		return -1;
	size_t cap = 0;
	char *save = NULL;
	for (char *line = strtok_r(l->text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *eq = strstr(line, " = ");
		if (line[0] == '#' || !eq)
			continue;
		*eq = '\0';
		if (l->n == cap) {
			cap = cap ? cap * 2 : 64;
			struct lxc_line *nv = realloc(l->v, cap * sizeof(*nv));
			if (!nv)
				return -1;
			l->v = nv;
		}
		l->v[l->n++] = (struct lxc_line){line, eq + 3};
	}
	return 0;
}

static void lines_free(struct lxc_lines *l)
{
	free(l->v);
	free(l->text);
}

/* The last value of key (lxc: a later line wins), or NULL. */
static const char *lines_get(const struct lxc_lines *l, const char *key)
{
	const char *v = NULL;
	for (size_t i = 0; i < l->n; i++) {
		if (strcmp(l->v[i].key, key) == 0)
			v = l->v[i].value;
	}
	return v;
}

static bool has_prefix(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* ------------------------------------------------------------------------------ process */

/* "CAP_" and the upper-case lxc name, added to *out. */
static void push_cap_name(char ***out, const char *lxc_name)
{
	char name[64] = "CAP_";
	size_t i = 4;
	for (const char *p = lxc_name; *p && i < sizeof(name) - 1; p++)
		name[i++] = (char)toupper((unsigned char)*p);
	name[i] = '\0';
	strv_push(out, name);
}

/* lxc.cap.keep lists what is kept; without it every capability but lxc.cap.drop's is. */
static char **cap_list(const struct lxc_lines *l)
{
	char **keep = NULL, **drop = NULL, **out = NULL;
	bool any_keep = false;
	for (size_t i = 0; i < l->n; i++) {
		bool k = strcmp(l->v[i].key, "lxc.cap.keep") == 0;
		if (!k && strcmp(l->v[i].key, "lxc.cap.drop") != 0)
			continue;
		any_keep |= k;
		char *copy = strdup(l->v[i].value), *save = NULL;
		for (char *t = copy ? strtok_r(copy, " ", &save) : NULL; t;
		     t = strtok_r(NULL, " ", &save)) {
			if (strcmp(t, "none") != 0)
				strv_push(k ? &keep : &drop, t);
		}
		free(copy);
	}
	if (any_keep) {
		for (size_t i = 0; keep && keep[i]; i++)
			push_cap_name(&out, keep[i]);
	} else {
		for (cap_value_t c = 0; c < cap_max_bits(); c++) {
			char *name = cap_to_name(c);
			bool dropped = false;
			for (size_t i = 0; name && drop && drop[i]; i++)
				dropped |= strcasecmp(drop[i], name + 4) == 0;
			if (name && !dropped)
				push_cap_name(&out, name + 4); /* "cap_chown" */
			cap_free(name);
		}
	}
	strv_free(keep);
	strv_free(drop);
	return out;
}

/* The three sets are the same list: made once. */
static void gen_capabilities(yajl_gen g, const struct lxc_lines *l)
{
	static const char *const sets[] = {"bounding", "effective", "permitted"};
	char **caps = cap_list(l);
	jg_key(g, "capabilities");
	yajl_gen_map_open(g);
	for (size_t i = 0; i < sizeof(sets) / sizeof(sets[0]); i++) {
		jg_key(g, sets[i]);
		yajl_gen_array_open(g);
		for (size_t j = 0; caps && caps[j]; j++)
			jg_str(g, caps[j]);
		yajl_gen_array_close(g);
	}
	yajl_gen_map_close(g);
	strv_free(caps);
}

/* lxc.prlimit.nofile = soft:hard */
static void gen_rlimits(yajl_gen g, const struct lxc_lines *l)
{
	jg_key(g, "rlimits");
	yajl_gen_array_open(g);
	for (size_t i = 0; i < l->n; i++) {
		if (!has_prefix(l->v[i].key, "lxc.prlimit."))
			continue;
		char type[64] = "RLIMIT_";
		size_t n = 7;
		for (const char *p = l->v[i].key + 12; *p && n < sizeof(type) - 1; p++)
			type[n++] = (char)toupper((unsigned char)*p);
		type[n] = '\0';
		const char *colon = strchr(l->v[i].value, ':');
		yajl_gen_map_open(g);
		jg_kstr(g, "type", type);
		jg_kint(g, "soft", strtoll(l->v[i].value, NULL, 10));
		jg_kint(g, "hard", strtoll(colon ? colon + 1 : l->v[i].value, NULL, 10));
		yajl_gen_map_close(g);
	}
	yajl_gen_array_close(g);
}

static void gen_process(yajl_gen g, const struct container *c, const struct lxc_lines *l,
                        char *const *argv)
{
	const char *uid = lines_get(l, "lxc.init.uid"), *gid = lines_get(l, "lxc.init.gid");
	const char *cwd = lines_get(l, "lxc.init.cwd");
	jg_key(g, "process");
	yajl_gen_map_open(g);
	jg_kbool(g, "terminal", c->config.tty);
	jg_key(g, "user");
	yajl_gen_map_open(g);
	jg_kint(g, "uid", uid ? strtoll(uid, NULL, 10) : 0);
	jg_kint(g, "gid", gid ? strtoll(gid, NULL, 10) : 0);
	yajl_gen_map_close(g);
	jg_kstrv(g, "args", argv);
	jg_key(g, "env");
	yajl_gen_array_open(g);
	for (size_t i = 0; i < l->n; i++) {
		if (strcmp(l->v[i].key, "lxc.environment") == 0)
			jg_str(g, l->v[i].value);
	}
	yajl_gen_array_close(g);
	jg_kstr(g, "cwd", cwd ? cwd : "/");
	gen_capabilities(g, l);
	gen_rlimits(g, l);
	jg_kbool(g, "noNewPrivileges", false);
	yajl_gen_map_close(g);
}

/* ------------------------------------------------------------------------------- mounts */

static void gen_mount(yajl_gen g, const char *dst, const char *type, const char *src,
                      const char *opts)
{
	yajl_gen_map_open(g);
	jg_kstr(g, "destination", dst);
	jg_kstr(g, "type", type);
	jg_kstr(g, "source", src);
	jg_key(g, "options");
	yajl_gen_array_open(g);
	char *copy = strdup(opts), *save = NULL;
	for (char *o = copy ? strtok_r(copy, ",", &save) : NULL; o;
	     o = strtok_r(NULL, ",", &save)) {
		/* liblxc's own directives, not mount options. */
		if (!has_prefix(o, "create=") && strcmp(o, "optional") != 0)
			jg_str(g, o);
	}
	free(copy);
	yajl_gen_array_close(g);
	yajl_gen_map_close(g);
}

/* lxc.mount.auto = proc:mixed sys:ro cgroup:mixed */
static void gen_auto_mounts(yajl_gen g, const struct lxc_lines *l)
{
	const char *autos = lines_get(l, "lxc.mount.auto");
	char *copy = autos ? strdup(autos) : NULL, *save = NULL;
	for (char *t = copy ? strtok_r(copy, " ", &save) : NULL; t;
	     t = strtok_r(NULL, " ", &save)) {
		char *mode = strchr(t, ':');
		if (mode)
			*mode++ = '\0';
		bool ro = mode && (strcmp(mode, "ro") == 0 || strcmp(mode, "mixed") == 0);
		const char *opts = ro ? "nosuid,noexec,nodev,ro" : "nosuid,noexec,nodev";
		if (strcmp(t, "proc") == 0)
			gen_mount(g, "/proc", "proc", "proc", "nosuid,noexec,nodev");
		else if (strcmp(t, "sys") == 0)
			gen_mount(g, "/sys", "sysfs", "sysfs", opts);
		else if (strcmp(t, "cgroup") == 0)
			gen_mount(g, "/sys/fs/cgroup", "cgroup", "cgroup", opts);
	}
	free(copy);
}

/* lxc.mount.entry = SRC DST TYPE OPTIONS 0 0, DST relative to the rootfs. */
static void gen_entry_mount(yajl_gen g, const char *entry)
{
	char *copy = strdup(entry), *save = NULL;
	char *src = copy ? strtok_r(copy, " ", &save) : NULL;
	char *dst = src ? strtok_r(NULL, " ", &save) : NULL;
	char *type = dst ? strtok_r(NULL, " ", &save) : NULL;
	char *opts = type ? strtok_r(NULL, " ", &save) : NULL;
	if (opts) {
		char *abs = malloc(strlen(dst) + 2);
		if (abs) {
			sprintf(abs, "%s%s", dst[0] == '/' ? "" : "/", dst);
			bool bind = strstr(opts, "bind") != NULL;
			gen_mount(g, abs, bind && strcmp(type, "none") == 0 ? "bind" : type, src,
			          opts);
		}
		free(abs);
	}
	free(copy);
}

static void gen_mounts(yajl_gen g, const struct lxc_lines *l)
{
	jg_key(g, "mounts");
	yajl_gen_array_open(g);
	gen_auto_mounts(g, l);
	const char *autodev = lines_get(l, "lxc.autodev");
	if (autodev && strcmp(autodev, "1") == 0)
		gen_mount(g, "/dev", "tmpfs", "none", "size=500000,mode=755");
	const char *ptys = lines_get(l, "lxc.pty.max");
	if (ptys && atoi(ptys) > 0)
		gen_mount(g, "/dev/pts", "devpts", "devpts",
		          "nosuid,noexec,newinstance,ptmxmode=0666,mode=0620,gid=5");
	for (size_t i = 0; i < l->n; i++) {
		if (strcmp(l->v[i].key, "lxc.mount.entry") == 0)
			gen_entry_mount(g, l->v[i].value);
	}
	yajl_gen_array_close(g);
}

/* -------------------------------------------------------------------------------- linux */

/* "c 1:3 rwm", "c *:* m", "a" */
static void gen_device_rule(yajl_gen g, bool allow, const char *rule)
{
	char type = 'a';
	char major[16] = "*", minor[16] = "*", access[8] = "rwm";
	if (strcmp(rule, "a") != 0 &&
	    sscanf(rule, "%c %15[^:]:%15s %7s", &type, major, minor, access) != 4)
		return;
	yajl_gen_map_open(g);
	jg_kbool(g, "allow", allow);
	if (type != 'a') {
		char t[2] = {type, '\0'};
		jg_kstr(g, "type", t);
	}
	if (strcmp(major, "*") != 0)
		jg_kint(g, "major", strtoll(major, NULL, 10));
	if (strcmp(minor, "*") != 0)
		jg_kint(g, "minor", strtoll(minor, NULL, 10));
	jg_kstr(g, "access", access);
	yajl_gen_map_close(g);
}

static void gen_devices(yajl_gen g, const struct lxc_lines *l)
{
	jg_key(g, "devices");
	yajl_gen_array_open(g);
	for (size_t i = 0; i < l->n; i++) {
		const char *k = l->v[i].key;
		if (has_prefix(k, "lxc.cgroup.devices.") || has_prefix(k, "lxc.cgroup2.devices."))
			gen_device_rule(g, strstr(k, ".allow") != NULL, l->v[i].value);
	}
	yajl_gen_array_close(g);
}

static void gen_resources(yajl_gen g, const struct host_config *h, const struct lxc_lines *l)
{
	jg_key(g, "resources");
	yajl_gen_map_open(g);
	gen_devices(g, l);
	jg_key(g, "memory");
	yajl_gen_map_open(g);
	if (h->memory > 0)
		jg_kint(g, "limit", h->memory);
	if (h->memory_reservation > 0)
		jg_kint(g, "reservation", h->memory_reservation);
	if (h->memory_swap != 0)
		jg_kint(g, "swap", h->memory_swap);
	if (h->kernel_memory > 0)
		jg_kint(g, "kernel", h->kernel_memory);
	yajl_gen_map_close(g);
	jg_key(g, "cpu");
	yajl_gen_map_open(g);
	if (h->cpu_shares > 0)
		jg_kint(g, "shares", h->cpu_shares);
	int64_t quota, period;
	host_config_cfs(h, &quota, &period);
	if (quota != 0)
		jg_kint(g, "quota", quota);
	if (period > 0)
		jg_kint(g, "period", period);
	if (h->cpuset_cpus)
		jg_kstr(g, "cpus", h->cpuset_cpus);
	if (h->cpuset_mems)
		jg_kstr(g, "mems", h->cpuset_mems);
	yajl_gen_map_close(g);
	if (h->pids_limit > 0) {
		jg_key(g, "pids");
		yajl_gen_map_open(g);
		jg_kint(g, "limit", h->pids_limit);
		yajl_gen_map_close(g);
	}
	if (h->blkio_weight > 0) {
		jg_key(g, "blockIO");
		yajl_gen_map_open(g);
		jg_kint(g, "weight", h->blkio_weight);
		yajl_gen_map_close(g);
	}
	yajl_gen_map_close(g);
}

/* lxc.idmap = u 0 100000 65536 */
static void gen_id_mappings(yajl_gen g, const struct lxc_lines *l, char kind, const char *key)
{
	jg_key(g, key);
	yajl_gen_array_open(g);
	for (size_t i = 0; i < l->n; i++) {
		char k;
		long long inner, outer, size;
		if (strcmp(l->v[i].key, "lxc.idmap") != 0 ||
		    sscanf(l->v[i].value, "%c %lld %lld %lld", &k, &inner, &outer, &size) != 4 ||
		    k != kind)
			continue;
		yajl_gen_map_open(g);
		jg_kint(g, "containerID", inner);
		jg_kint(g, "hostID", outer);
		jg_kint(g, "size", size);
		yajl_gen_map_close(g);
	}
	yajl_gen_array_close(g);
}

static void gen_linux(yajl_gen g, const struct container *c, const struct lxc_lines *l)
{
	/* liblxc unshares all of these; a user namespace only with an id map. */
	static const char *const ns[] = {"pid", "network", "ipc", "uts", "mount", "cgroup"};
	const char *cg = lines_get(l, "lxc.cgroup.dir.container");
	jg_key(g, "linux");
	yajl_gen_map_open(g);
	if (cg) {
		char *path = malloc(strlen(cg) + 2);
		if (path) {
			sprintf(path, "/%s", cg);
			jg_kstr(g, "cgroupsPath", path);
		}
		free(path);
	}
	jg_key(g, "namespaces");
	yajl_gen_array_open(g);
	for (size_t i = 0; i < sizeof(ns) / sizeof(ns[0]); i++) {
		yajl_gen_map_open(g);
		jg_kstr(g, "type", ns[i]);
		yajl_gen_map_close(g);
	}
	if (lines_get(l, "lxc.idmap")) {
		yajl_gen_map_open(g);
		jg_kstr(g, "type", "user");
		yajl_gen_map_close(g);
	}
	yajl_gen_array_close(g);
	gen_id_mappings(g, l, 'u', "uidMappings");
	gen_id_mappings(g, l, 'g', "gidMappings");
	jg_key(g, "sysctl");
	yajl_gen_map_open(g);
	for (size_t i = 0; i < l->n; i++) {
		if (has_prefix(l->v[i].key, "lxc.sysctl."))
			jg_kstr(g, l->v[i].key + 11, l->v[i].value);
	}
	yajl_gen_map_close(g);
	gen_resources(g, &c->host, l);
	yajl_gen_map_close(g);
}

/* iSulad's annotation names for the container's log. */
static void gen_annotations(yajl_gen g, const struct container *c)
{
	struct container_log_settings ls;
	log_config_settings(&c->host, &ls);
	jg_key(g, "annotations");
	yajl_gen_map_open(g);
	/* --annotation's first: the engine's own names below win over a caller's. */
	for (size_t i = 0; c->host.annotations && c->host.annotations[i]; i++) {
		const char *kv = c->host.annotations[i], *eq = strchr(kv, '=');
		if (eq && eq > kv) {
			char *key = strndup(kv, (size_t)(eq - kv));
			if (key && !has_prefix(key, "log.console."))
				jg_kstr(g, key, eq + 1);
			free(key);
		}
	}
	jg_kstr(g, "log.console.driver", ls.disabled ? "none" : "json-file");
	if (!ls.disabled) {
		char *path = log_config_path(c->id);
		char num[32];
		jg_kstr(g, "log.console.file", path);
		free(path);
		snprintf(num, sizeof(num), "%lld", (long long)ls.max_size);
		jg_kstr(g, "log.console.filesize", num);
		snprintf(num, sizeof(num), "%d", ls.max_file);
		jg_kstr(g, "log.console.filerotate", num);
	}
	yajl_gen_map_close(g);
}

char *oci_spec_render(const struct container *c, const char *lxc_text, char *const *argv,
                      size_t *len)
{
	struct lxc_lines l;
	yajl_gen g = lines_parse(lxc_text, &l) == 0 ? yajl_gen_alloc(NULL) : NULL;
	if (!g) {
		lines_free(&l);
		return NULL;
	}
	yajl_gen_config(g, yajl_gen_beautify, 1);
	const char *rootfs = lines_get(&l, "lxc.rootfs.path");
	if (rootfs && has_prefix(rootfs, "dir:"))
		rootfs += 4;
	yajl_gen_map_open(g);
	jg_kstr(g, "ociVersion", OCI_VERSION);
	gen_process(g, c, &l, argv);
	jg_key(g, "root");
	yajl_gen_map_open(g);
	jg_kstr(g, "path", rootfs);
	jg_kbool(g, "readonly", c->host.readonly_rootfs);
	yajl_gen_map_close(g);
	jg_kstr(g, "hostname", lines_get(&l, "lxc.uts.name"));
	gen_mounts(g, &l);
	jg_key(g, "hooks");
	oci_hooks_gen(g, &c->hooks);
	gen_annotations(g, c);
	gen_linux(g, c, &l);
	yajl_gen_map_close(g);
	lines_free(&l);
	return jg_finish(g, len);
}

int oci_spec_resolve_hooks(struct container *c, const char *default_spec, char *err, size_t errlen)
{
	struct oci_hooks own;
	oci_hooks_free(&c->hooks);
	if (default_spec && *default_spec &&
	    oci_hooks_load_file(default_spec, &c->hooks, err, errlen) < 0)
		return -1;
	if (!c->host.hook_spec)
		return 0;
	if (oci_hooks_load_file(c->host.hook_spec, &own, err, errlen) < 0) {
		oci_hooks_free(&c->hooks);
		return -1;
	}
	int ret = oci_hooks_append(&c->hooks, &own);
	if (ret < 0)
		snprintf(err, errlen, "out of memory merging the hook specs");
	oci_hooks_free(&own);
	return ret;
}

int oci_spec_load_hooks(const char *bundle, struct oci_hooks *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof(*out));
	yajl_val spec;
	int ret = oci_bundle_spec(bundle, &spec, err, errlen);
	if (ret < 0)
		return ret == -ENOENT ? 0 : -1;
	char why[512];
	yajl_val hooks = json_get(spec, "hooks");
	if (hooks && oci_hooks_parse(hooks, out, why, sizeof(why)) < 0) {
		snprintf(err, errlen, "invalid hooks in %s/%s: %s", bundle, OCI_SPEC_FILE, why);
		ret = -1;
	}
	yajl_tree_free(spec);
	return ret;
}
