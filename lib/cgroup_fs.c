#include "cgroup_fs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cgroup_info.h"
#include "fileutil.h"

#define CGROUP_ROOT "/sys/fs/cgroup"

char *cgroup_path(const char *ctrl, const char *rel, const char *file)
{
	char buf[PATH_MAX];
	int n;
	while (rel && *rel == '/')
		rel++;
	if (cgroup_is_unified())
		n = snprintf(buf, sizeof(buf), CGROUP_ROOT "/%s%s%s", rel ? rel : "",
		             file ? "/" : "", file ? file : "");
	else
		n = snprintf(buf, sizeof(buf), CGROUP_ROOT "/%s/%s%s%s", ctrl, rel ? rel : "",
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

int cgroup_walk(const char *ctrl, const char *rel, int (*fn)(const char *rel, void *arg), void *arg)
{
	int ret = fn(rel, arg);
	if (ret)
		return ret;
	char *dir = cgroup_path(ctrl, rel, NULL);
	DIR *d = dir ? opendir(dir) : NULL;
	free(dir);
	if (!d)
		return 0;
	struct dirent *de;
	while (ret == 0 && (de = readdir(d))) {
		if (de->d_type != DT_DIR || de->d_name[0] == '.')
			continue;
		char sub[PATH_MAX];
		if (snprintf(sub, sizeof(sub), "%s/%s", rel, de->d_name) < (int)sizeof(sub))
			ret = cgroup_walk(ctrl, sub, fn, arg);
	}
	closedir(d);
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
	cgroup_walk(ctrl, rel, collect_one, &l);
	if (l.failed) {
		free(l.v);
		return -1;
	}
	*pids = l.v;
	*n = l.n;
	return 0;
}
