/* A hot-plugged device in the container's device confinement: the v1 devices cgroup's
 * allow/deny files, and on the cgroup v2 tree the BPF device program the engine attached to
 * the container's cgroup, replaced by one of the engine's rules and the recorded devices. On
 * a hybrid host both apply. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/fileutil.h"
#include "host/bpf_devices.h"
#include "host/cgroup_mounts.h"
#include "hotplug/device_impl.h"

/* The container's cgroup below a v1 subtree walk: at most this deep and this many. The
 * container can make cgroups below its own: the walk is bounded, never recursive. */
#define WALK_DEPTH 8
#define WALK_MAX 256
/* The engine's rules file (engine/daemon/lxc_security.c): named on the devices hook's line of
 * the lxc config, "lxc.hook.start-host = MONITOR devices-hook STATE_DIR FILE [--v1]". */
#define BASE_RULES_HOOK " devices-hook "
#define BASE_RULES_MAX 4096

void hp_device_rule(const struct hp_device *d, char *buf, size_t len)
{
	snprintf(buf, len, "%c %lld:%lld %s", d->type, (long long)d->major, (long long)d->minor,
	         d->permissions && *d->permissions ? d->permissions : "rwm");
}

int hp_cgroup_open(const struct cgroup_hier *h, const char *cgroup)
{
	if (!h) {
		errno = ENOENT;
		return -1;
	}
	char rel[4096];
	snprintf(rel, sizeof(rel), "/%s", cgroup);
	char *dir = path_join(h->mount_point, cgroup_hier_rel(h, rel));
	if (!dir) {
		errno = ENOMEM;
		return -1;
	}
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	free(dir);
	return fd;
}

int hp_cgroup_write(int dirfd, const char *file, const char *line)
{
	int fd = openat(dirfd, file, O_WRONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = write(fd, line, strlen(line));
	int saved = errno;
	close(fd);
	errno = saved;
	return n == (ssize_t)strlen(line) ? 0 : -1;
}

/* Writes the allow rule to every cgroup below top, breadth first (parents before children),
 * within the bounds. A cgroup removed meanwhile is skipped. */
static int allow_below(int top, const char *rule, struct error *e)
{
	int queue[WALK_MAX];
	int depth[WALK_MAX];
	size_t head = 0, tail = 0;
	int ret = 0;
	queue[tail] = dup(top);
	depth[tail++] = 0;
	if (queue[0] < 0)
		return error_set(e, ERR_INTERNAL, "dup: %s", strerror(errno));
	while (head < tail) {
		int fd = queue[head];
		int d = depth[head++];
		if (ret == 0 && d > 0 && hp_cgroup_write(fd, "devices.allow", rule) < 0 &&
		    errno != ENOENT && errno != ENODEV)
			ret = error_set(e, ERR_INTERNAL,
			                "cannot allow \"%s\" in a cgroup below the "
			                "container's: %s",
			                rule, strerror(errno));
		DIR *dir = NULL;
		int dfd = ret == 0 && d < WALK_DEPTH ? dup(fd) : -1;
		if (dfd >= 0 && !(dir = fdopendir(dfd)))
			close(dfd);
		for (struct dirent *de; dir && (de = readdir(dir));) {
			if (de->d_type != DT_DIR || de->d_name[0] == '.' || tail == WALK_MAX)
				continue;
			int c =
			    openat(fd, de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (c >= 0) {
				queue[tail] = c;
				depth[tail++] = d + 1;
			}
		}
		if (dir)
			closedir(dir);
		close(fd);
	}
	return ret;
}

/* The container's lxc config (what the engine generated for its start): 0 with *text
 * malloc'd, NULL when there is none (never started); -1 with e set. */
static int read_lxc_config(const struct hotplug_target *t, char **text, struct error *e)
{
	char *path = path_join(t->dir, "config");
	*text = path ? read_file(path, 1 << 20, NULL) : NULL;
	int saved = path ? errno : ENOMEM;
	int ret = *text || saved == ENOENT ? 0
	                                   : error_set(e, ERR_INTERNAL, "cannot read %s: %s",
	                                               path ? path : "config", strerror(saved));
	free(path);
	return ret;
}

/* The rules file the lxc config's devices hook names: 0 with *path malloc'd, or NULL when
 * there is none (no config: never started; no such hook: privileged, or no cgroup2 tree);
 * -1 with e set. */
static int base_rules_path(const struct hotplug_target *t, char **path, struct error *e)
{
	static const char key[] = "lxc.hook.start-host";
	*path = NULL;
	char *text;
	if (read_lxc_config(t, &text, e) < 0)
		return -1;
	char *save = NULL;
	int ret = 0;
	for (char *l = text ? strtok_r(text, "\n", &save) : NULL; l && !*path;
	     l = strtok_r(NULL, "\n", &save)) {
		char *hook =
		    strncmp(l, key, sizeof(key) - 1) == 0 ? strstr(l, BASE_RULES_HOOK) : NULL;
		char *file = hook ? strchr(hook + strlen(BASE_RULES_HOOK), ' ') : NULL;
		if (!file || file[1] != '/')
			continue;
		file++;
		file[strcspn(file, " ")] = '\0';
		if (!(*path = strdup(file)))
			ret = error_set(e, ERR_INTERNAL, "out of memory");
	}
	free(text);
	return ret;
}

/* The engine's rules file: "cgroup REL", then its rules. *rel malloc'd; NULL when the
 * container has no such file. */
static int read_base(const struct hotplug_target *t, char **rel, struct device_rule **rules,
                     size_t *n, struct error *e)
{
	*rel = NULL;
	*rules = NULL;
	*n = 0;
	char *path = NULL;
	if (base_rules_path(t, &path, e) < 0)
		return -1;
	char *text = path ? read_file(path, 1 << 20, NULL) : NULL;
	if (!text) {
		int saved = errno;
		int ret =
		    !path || saved == ENOENT
		        ? 0
		        : error_set(e, ERR_INTERNAL, "cannot read %s: %s", path, strerror(saved));
		free(path);
		return ret;
	}
	char *save = NULL, err[512];
	char *first = strtok_r(text, "\n", &save);
	int ret = 0;
	if (!first || strncmp(first, "cgroup ", 7) != 0 || !first[7] || strstr(first, "..")) {
		ret = error_set(e, ERR_INTERNAL, "%s: the first line is not \"cgroup PATH\"", path);
	} else if (!(*rel = strdup(first + 7)) ||
	           !(*rules = calloc(BASE_RULES_MAX, sizeof(**rules)))) {
		ret = error_set(e, ERR_INTERNAL, "out of memory");
	}
	for (char *l = strtok_r(NULL, "\n", &save); l && ret == 0;
	     l = strtok_r(NULL, "\n", &save)) {
		if (*n == BASE_RULES_MAX)
			ret = error_set(e, ERR_INTERNAL, "%s: more than %d rules", path,
			                BASE_RULES_MAX);
		else if (device_rule_parse(l, &(*rules)[(*n)++], err, sizeof(err)) < 0)
			ret = error_set(e, ERR_INTERNAL, "%s: %s", path, err);
	}
	if (ret < 0) {
		free(*rel);
		free(*rules);
		*rel = NULL;
		*rules = NULL;
	}
	free(text);
	free(path);
	return ret;
}

static int device_access(const char *perms)
{
	int a = 0;
	for (const char *p = perms && *perms ? perms : "rwm"; *p; p++)
		a |= *p == 'r'   ? DEVICE_ACC_READ
		     : *p == 'w' ? DEVICE_ACC_WRITE
		     : *p == 'm' ? DEVICE_ACC_MKNOD
		                 : 0;
	return a;
}

int hp_confine_v2(const struct hotplug_target *t, const struct hotplug_record *r, struct error *e)
{
	const struct cgroup_hier *v2 = cgroup_mounts_v2(cgroup_mounts_host());
	char *rel = NULL;
	struct device_rule *rules = NULL;
	size_t n = 0;
	if (!v2)
		return 0;
	if (read_base(t, &rel, &rules, &n, e) < 0)
		return -1;
	if (!rel)
		return 0;
	int ret = -1;
	int fd = hp_cgroup_open(v2, rel);
	struct device_rule *all = realloc(rules, (n + r->n_devices + 1) * sizeof(*all));
	if (fd < 0) {
		error_set(e, ERR_INTERNAL,
		          "cannot open the container's cgroup %s on the cgroup2 tree: "
		          "%s",
		          rel, strerror(errno));
		goto out;
	}
	if (!all) {
		error_set(e, ERR_INTERNAL, "out of memory");
		goto out;
	}
	rules = all;
	int count = bpf_devices_count(fd);
	if (count < 0) {
		error_set(e, ERR_INTERNAL,
		          "cannot list the BPF device programs of the cgroup %s: %s", rel,
		          strerror(errno));
		goto out;
	}
	if (count == 0) {
		/* The engine confines it through v1 only: adding a program would not widen
		 * that, and a program of ours would deny what v1 allows. */
		ret = 0;
		goto out;
	}
	for (size_t i = 0; i < r->n_devices; i++) {
		const struct hp_device *d = &r->devices[i];
		rules[n++] =
		    (struct device_rule){d->type == 'b' ? DEVICE_TYPE_BLOCK : DEVICE_TYPE_CHAR,
		                         d->major, d->minor, device_access(d->permissions)};
	}
	char err[768];
	if (bpf_devices_replace(fd, rules, n, err, sizeof(err)) < 0)
		error_set(e, ERR_INTERNAL,
		          "cannot replace the BPF device program of the cgroup %s: "
		          "%s",
		          rel, err);
	else
		ret = 0;
out:
	if (fd >= 0)
		close(fd);
	free(rules);
	free(rel);
	return ret;
}

/* ------------------------------------------------------------------------------- v1 */

/* Writes rule to the container's v1 devices.allow (and its subtree's) or devices.deny. */
static int v1_write(const struct hotplug_target *t, const struct cgroup_hier *h, const char *rule,
                    bool allow, struct error *e)
{
	if (!t->cgroup)
		return error_set(e, ERR_INTERNAL, "the container's lxc config names no cgroup");
	int fd = hp_cgroup_open(h, t->cgroup);
	if (fd < 0)
		return error_set(e, ERR_INTERNAL,
		                 "cannot open the container's devices cgroup %s: %s", t->cgroup,
		                 strerror(errno));
	int ret = 0;
	/* A deny propagates to the children by itself; an allow does not. */
	if (hp_cgroup_write(fd, allow ? "devices.allow" : "devices.deny", rule) < 0)
		ret = error_set(e, ERR_INTERNAL,
		                "cannot write \"%s\" to devices.%s of the cgroup %s: "
		                "%s",
		                rule, allow ? "allow" : "deny", t->cgroup, strerror(errno));
	else if (allow)
		ret = allow_below(fd, rule, e);
	close(fd);
	return ret;
}

int hp_confine_v1_allow(const struct hotplug_target *t, const struct hp_device *d, struct error *e)
{
	const struct cgroup_hier *h = cgroup_mounts_v1(cgroup_mounts_host(), "devices");
	if (!h)
		return 0;
	char rule[128];
	hp_device_rule(d, rule, sizeof(rule));
	return v1_write(t, h, rule, true, e);
}

/* The access of the rules a v1 deny of the device would take away from the container: its
 * deny takes bits from the one exception of exactly its type and numbers (the access of the
 * exact rules, merged), leaves wildcard exceptions ("c 136:* rwm") alone, and on a cgroup
 * that allows everything ("a": a privileged container) adds an exception that denies. */
static int rules_grant(const struct device_rule *rules, size_t n, const struct hp_device *d)
{
	int type = d->type == 'b' ? DEVICE_TYPE_BLOCK : DEVICE_TYPE_CHAR, acc = 0;
	for (size_t i = 0; i < n; i++) {
		const struct device_rule *r = &rules[i];
		if ((r->type == type && r->major == d->major && r->minor == d->minor) ||
		    (r->type == DEVICE_TYPE_ALL && r->major == DEVICE_ANY &&
		     r->minor == DEVICE_ANY))
			acc |= r->access;
	}
	return acc;
}

/* The v1 rules liblxc applied from the container's lxc config: its lxc.cgroup.devices.allow
 * lines after the last "lxc.cgroup.devices.deny = a" ("a" alone for a privileged one). A
 * line that does not parse grants nothing. A container never started has none. */
static int config_grant(const struct hotplug_target *t, const struct hp_device *d, int *acc,
                        struct error *e)
{
	static const char allow[] = "lxc.cgroup.devices.allow", deny[] = "lxc.cgroup.devices.deny";
	char *text;
	if (read_lxc_config(t, &text, e) < 0)
		return -1;
	if (!text)
		return 0; /* never started: liblxc applied nothing */
	char *save = NULL, err[512];
	for (char *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		bool is_allow = strncmp(l, allow, sizeof(allow) - 1) == 0;
		bool is_deny = strncmp(l, deny, sizeof(deny) - 1) == 0;
		if (!is_allow && !is_deny)
			continue;
		char *v = l + (is_allow ? sizeof(allow) : sizeof(deny)) - 1;
		v += strspn(v, " \t");
		if (*v++ != '=')
			continue;
		v += strspn(v, " \t");
		struct device_rule r;
		if (is_deny && strcmp(v, "a") == 0)
			*acc = 0;
		else if (is_allow && device_rule_parse(v, &r, err, sizeof(err)) == 0)
			*acc |= rules_grant(&r, 1, d);
	}
	free(text);
	return 0;
}

int hp_confine_v1_deny(const struct hotplug_target *t, const struct hp_device *d,
                       const struct hotplug_record *keep, struct error *e)
{
	const struct cgroup_hier *h = cgroup_mounts_v1(cgroup_mounts_host(), "devices");
	if (!h)
		return 0;
	/* The engine's rules: what liblxc wrote (the lxc config) and, on a host with a cgroup2
	 * tree, <dir>/devices (the same rules, for the v2 program). */
	struct error re = {0};
	char *rel = NULL;
	struct device_rule *base = NULL;
	size_t n = 0;
	int granted = 0;
	int rc = config_grant(t, d, &granted, &re);
	if (rc == 0 && (rc = read_base(t, &rel, &base, &n, &re)) == 0)
		granted |= rules_grant(base, n, d);
	free(rel);
	free(base);
	for (size_t i = 0; keep && i < keep->n_devices; i++) {
		const struct hp_device *k = &keep->devices[i];
		if (k->type == d->type && k->major == d->major && k->minor == d->minor)
			granted |= device_access(k->permissions);
	}
	/* Unsure what the engine allowed: take back all of it (never leave a device open). */
	int take = device_access(d->permissions) & (rc < 0 ? ~0 : ~granted);
	int ret = 0;
	if (take) {
		char rule[128];
		snprintf(rule, sizeof(rule), "%c %lld:%lld %s%s%s", d->type, (long long)d->major,
		         (long long)d->minor, take & DEVICE_ACC_READ ? "r" : "",
		         take & DEVICE_ACC_WRITE ? "w" : "", take & DEVICE_ACC_MKNOD ? "m" : "");
		ret = v1_write(t, h, rule, false, e);
	}
	if (ret == 0 && rc < 0) {
		*e = re;
		ret = -1;
	}
	return ret;
}
