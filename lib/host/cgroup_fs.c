#include "host/cgroup_fs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "host/cgroup_mounts.h"
#include "core/fileutil.h"

char *cgroup_path(const char *ctrl, const char *rel, const char *file)
{
	const struct cgroup_hier *h = cgroup_mounts_of(cgroup_mounts_host(), ctrl);
	if (!h) {
		errno = ENOENT; /* the host has no such controller */
		return NULL;
	}
	rel = rel ? cgroup_hier_rel(h, rel) : "";
	char buf[PATH_MAX];
	int n = snprintf(buf, sizeof(buf), "%s%s%s%s%s", h->mount_point, *rel ? "/" : "", rel,
	                 file ? "/" : "", file ? file : "");
	if (n < 0 || (size_t)n >= sizeof(buf)) {
		errno = ENAMETOOLONG;
		return NULL;
	}
	return strdup(buf);
}

char *cgroup_read(const char *ctrl, const char *rel, const char *file)
{
	char *path = cgroup_path(ctrl, rel, file);
	char *text = path ? read_file(path, 1 << 20, NULL) : NULL;
	int saved = errno;
	free(path);
	if (text) {
		size_t len = strlen(text);
		while (len > 0 && text[len - 1] == '\n')
			text[--len] = '\0';
	}
	errno = saved;
	return text;
}

int64_t cgroup_read_int(const char *ctrl, const char *rel, const char *file, int64_t dflt)
{
	char *text = cgroup_read(ctrl, rel, file);
	if (!text)
		return dflt;
	char *end;
	errno = 0;
	long long v = strtoll(text, &end, 10);
	int64_t out = (end == text || errno) ? dflt : (int64_t)v;
	free(text);
	return out;
}

int cgroup_write(const char *ctrl, const char *rel, const char *file, const char *value)
{
	char *path = cgroup_path(ctrl, rel, file);
	if (!path)
		return -errno;
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	free(path);
	if (fd < 0)
		return -errno;
	size_t len = strlen(value);
	ssize_t n = write(fd, value, len);
	int ret = n == (ssize_t)len ? 0 : (n < 0 ? -errno : -EIO);
	close(fd);
	return ret;
}

int cgroup2_write_delegated(const char *rel, const char *file, const char *value,
                            const char **where)
{
	char ctrl[32] = "+";
	size_t n = strcspn(file, ".");
	*where = file;
	if (n == 0 || n + 2 > sizeof(ctrl) || !file[n])
		return -EINVAL;
	memcpy(ctrl + 1, file, n);
	ctrl[n + 1] = '\0';
	/* The root, then each ancestor: the prefixes of rel before each '/'. */
	int ret = cgroup_write(NULL, "", "cgroup.subtree_control", ctrl);
	for (const char *p = strchr(rel, '/'); ret == 0 && p; p = strchr(p + 1, '/')) {
		char anc[PATH_MAX];
		snprintf(anc, sizeof(anc), "%.*s", (int)(p - rel), rel);
		ret = cgroup_write(NULL, anc, "cgroup.subtree_control", ctrl);
	}
	if (ret < 0) {
		*where = "cgroup.subtree_control";
		return ret;
	}
	return cgroup_write(NULL, rel, file, value);
}

struct walk_item {
	char *rel;
	unsigned depth;
};

int cgroup_walk(const char *ctrl, const char *rel, int (*fn)(const char *rel, void *arg), void *arg)
{
	/* The tree is the container's to shape (its cgroupfs is writable): an explicit heap
	 * stack instead of recursion, and bounds on depth and size. */
	struct walk_item *stack = malloc(sizeof(*stack));
	size_t n = 0, cap = 1, visited = 0;
	int ret = 0;
	if (!stack || !(stack[0].rel = strdup(rel))) {
		free(stack);
		errno = ENOMEM;
		return -1;
	}
	stack[n++].depth = 0;
	while (n > 0 && ret == 0) {
		struct walk_item it = stack[--n];
		if (it.depth > CGROUP_WALK_MAX_DEPTH || ++visited > CGROUP_WALK_MAX_NODES) {
			free(it.rel);
			errno = ELOOP;
			ret = -1;
			break;
		}
		ret = fn(it.rel, arg);
		char *dir = ret == 0 ? cgroup_path(ctrl, it.rel, NULL) : NULL;
		if (ret == 0 && !dir && errno != ENOENT)
			ret = -1; /* ENAMETOOLONG: the rest of the tree cannot be seen */
		DIR *d = dir ? opendir(dir) : NULL;
		free(dir);
		struct dirent *de;
		while (d && ret == 0 && (de = readdir(d))) {
			if (de->d_type != DT_DIR || de->d_name[0] == '.')
				continue;
			if (n == cap) {
				struct walk_item *ns = realloc(stack, cap * 2 * sizeof(*ns));
				if (!ns) {
					errno = ENOMEM;
					ret = -1;
					break;
				}
				stack = ns;
				cap *= 2;
			}
			size_t len = strlen(it.rel) + strlen(de->d_name) + 2;
			char *sub = malloc(len);
			if (!sub) {
				errno = ENOMEM;
				ret = -1;
				break;
			}
			snprintf(sub, len, "%s/%s", it.rel, de->d_name);
			stack[n].rel = sub;
			stack[n++].depth = it.depth + 1;
		}
		if (d)
			closedir(d);
		free(it.rel);
	}
	while (n > 0)
		free(stack[--n].rel);
	free(stack);
	return ret;
}

struct pid_list {
	const char *ctrl;
	pid_t *v;
	size_t n, cap;
	bool failed;
};

static int collect_one(const char *rel, void *arg)
{
	struct pid_list *l = arg;
	char *text = cgroup_read(l->ctrl, rel, "cgroup.procs");
	for (char *p = text, *end; p && *p; p = end) {
		long v = strtol(p, &end, 10);
		if (end == p)
			break;
		if (l->n == l->cap) {
			size_t cap = l->cap ? l->cap * 2 : 32;
			pid_t *nv = realloc(l->v, cap * sizeof(*nv));
			if (!nv) {
				l->failed = true;
				break;
			}
			l->v = nv;
			l->cap = cap;
		}
		l->v[l->n++] = (pid_t)v;
	}
	free(text);
	return 0;
}

int cgroup_collect_pids(const char *ctrl, const char *rel, pid_t **pids, size_t *n)
{
	struct pid_list l = {.ctrl = ctrl};
	if (cgroup_walk(ctrl, rel, collect_one, &l) != 0 || l.failed) {
		free(l.v);
		return -1;
	}
	*pids = l.v;
	*n = l.n;
	return 0;
}

const char *cgroup_walk_strerror(int err)
{
	if (err == ELOOP)
		return "the cgroup tree is deeper than 1024 levels or has more than 65536 cgroups";
	if (err == ENAMETOOLONG)
		return "the cgroup tree has a path longer than PATH_MAX";
	return strerror(err);
}
