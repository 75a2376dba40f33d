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
/* The engine's rules file (engine/daemon/lxc_security.c). */
#define BASE_RULES_FILE "devices"
#define BASE_RULES_MAX 4096

void hp_device_rule(const struct hp_device *d, char *buf, size_t len)
{
	snprintf(buf, len, "%c %lld:%lld %s", d->type, (long long)d->major, (long long)d->minor,
	         d->permissions && *d->permissions ? d->permissions : "rwm");
}

/* The container's directory of a hierarchy: its fd, or -1 (errno). */
static int open_cgroup(const struct cgroup_hier *h, const char *cgroup)
{
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

static int write_at(int dirfd, const char *file, const char *line)
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
		if (ret == 0 && d > 0 && write_at(fd, "devices.allow", rule) < 0 &&
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

int hp_confine_v1(const struct hotplug_target *t, const struct hp_device *d, bool allow,
                  struct error *e)
{
	const struct cgroup_hier *h = cgroup_mounts_v1(cgroup_mounts_host(), "devices");
	if (!h)
		return 0;
	if (!t->cgroup)
		return error_set(e, ERR_INTERNAL, "the container's lxc config names no cgroup");
	char rule[128];
	hp_device_rule(d, rule, sizeof(rule));
	int fd = open_cgroup(h, t->cgroup);
	if (fd < 0)
		return error_set(e, ERR_INTERNAL,
		                 "cannot open the container's devices cgroup %s: %s", t->cgroup,
		                 strerror(errno));
	int ret = 0;
	/* A deny propagates to the children by itself; an allow does not. */
	if (write_at(fd, allow ? "devices.allow" : "devices.deny", rule) < 0)
		ret = error_set(e, ERR_INTERNAL,
		                "cannot write \"%s\" to devices.%s of the cgroup %s: "
		                "%s",
		                rule, allow ? "allow" : "deny", t->cgroup, strerror(errno));
	else if (allow)
		ret = allow_below(fd, rule, e);
	close(fd);
	return ret;
}

/* The engine's rules file: "cgroup REL", then its rules. *rel malloc'd; NULL when the
 * container has no such file (privileged, or no cgroup2 tree when it was configured). */
static int read_base(const struct hotplug_target *t, char **rel, struct device_rule **rules,
                     size_t *n, struct error *e)
{
	*rel = NULL;
	*rules = NULL;
	*n = 0;
	char *path = path_join(t->dir, BASE_RULES_FILE);
	char *text = path ? read_file(path, 1 << 20, NULL) : NULL;
	if (!text) {
		int saved = path ? errno : ENOMEM;
		int ret = saved == ENOENT
		              ? 0
		              : error_set(e, ERR_INTERNAL, "cannot read %s: %s",
		                          path ? path : BASE_RULES_FILE, strerror(saved));
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
	int fd = open_cgroup(v2, rel);
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
