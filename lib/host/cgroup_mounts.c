#include "host/cgroup_mounts.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/fileutil.h"
#include "host/mountinfo.h"

bool word_list_has(const char *list, const char *word)
{
	size_t n = strlen(word);
	for (const char *p = list; p && *p;) {
		size_t len = strcspn(p, ", \n");
		if (len == n && strncmp(p, word, n) == 0)
			return true;
		p += len;
		if (*p)
			p++;
	}
	return false;
}

static void hier_free(struct cgroup_hier *h)
{
	free(h->mount_point);
	free(h->root);
	free(h->options);
	*h = (struct cgroup_hier){0};
}

static int hier_set(struct cgroup_hier *h, const struct mountinfo_entry *e)
{
	h->mount_point = strdup(e->mount_point);
	h->root = strdup(e->root);
	h->options = strdup(e->super_options);
	if (!h->mount_point || !h->root || !h->options) {
		hier_free(h);
		return -1;
	}
	return 0;
}

static bool whole(const struct cgroup_hier *h)
{
	return strcmp(h->root, "/") == 0;
}

void cgroup_mounts_free(struct cgroup_mounts *m)
{
	for (size_t i = 0; i < m->nv1; i++)
		hier_free(&m->v1[i]);
	free(m->v1);
	hier_free(&m->v2);
	*m = (struct cgroup_mounts){0};
}

int cgroup_mounts_parse(const char *mountinfo, struct cgroup_mounts *m)
{
	*m = (struct cgroup_mounts){0};
	char *copy = strdup(mountinfo);
	if (!copy)
		return -1;
	int ret = 0;
	char *save = NULL;
	for (char *l = strtok_r(copy, "\n", &save); l && ret == 0;
	     l = strtok_r(NULL, "\n", &save)) {
		struct mountinfo_entry e;
		if (mountinfo_parse_line(l, &e) < 0)
			continue;
		if (strcmp(e.fs_type, "cgroup2") == 0) {
			/* The first mount of the whole tree, else the first mount. */
			if (m->v2.mount_point && (whole(&m->v2) || strcmp(e.root, "/") != 0))
				continue;
			hier_free(&m->v2);
			ret = hier_set(&m->v2, &e);
		} else if (strcmp(e.fs_type, "cgroup") == 0) {
			struct cgroup_hier *nv = realloc(m->v1, (m->nv1 + 1) * sizeof(*nv));
			if (!nv) {
				ret = -1;
				break;
			}
			m->v1 = nv;
			ret = hier_set(&m->v1[m->nv1], &e);
			if (ret == 0)
				m->nv1++;
		}
	}
	free(copy);
	if (ret < 0) {
		cgroup_mounts_free(m);
		errno = ENOMEM;
	}
	return ret;
}

int cgroup_mounts_read(struct cgroup_mounts *m)
{
	*m = (struct cgroup_mounts){0};
	char *text = read_file("/proc/self/mountinfo", 16 << 20, NULL);
	if (!text)
		return -1;
	int ret = cgroup_mounts_parse(text, m);
	free(text);
	return ret;
}

/* A v1 hierarchy's super options name its controllers beside flags, SELinux labels and
 * "key=value" options ("name=systemd", "release_agent=..."). */
static bool controller_word(const char *w, size_t len)
{
	static const char *const not_ctrl[] = {"rw",
	                                       "ro",
	                                       "xattr",
	                                       "seclabel",
	                                       "noprefix",
	                                       "none",
	                                       "clone_children",
	                                       "all",
	                                       "cpuset_v2_mode",
	                                       "favordynmods",
	                                       NULL};
	if (len == 0 || memchr(w, '=', len))
		return false;
	for (size_t i = 0; not_ctrl[i]; i++) {
		if (strlen(not_ctrl[i]) == len && strncmp(w, not_ctrl[i], len) == 0)
			return false;
	}
	return true;
}

static struct cgroup_mounts g_host;
static pthread_once_t g_host_once = PTHREAD_ONCE_INIT;

static void read_host(void)
{
	cgroup_mounts_read(&g_host);
}

const struct cgroup_mounts *cgroup_mounts_host(void)
{
	pthread_once(&g_host_once, read_host);
	return &g_host;
}

const struct cgroup_hier *cgroup_mounts_v1(const struct cgroup_mounts *m, const char *ctrl)
{
	const struct cgroup_hier *found = NULL;
	if (!ctrl || !controller_word(ctrl, strlen(ctrl)))
		return NULL;
	for (size_t i = 0; i < m->nv1; i++) {
		const struct cgroup_hier *h = &m->v1[i];
		if (!word_list_has(h->options, ctrl))
			continue;
		if (whole(h))
			return h;
		if (!found)
			found = h;
	}
	return found;
}

const struct cgroup_hier *cgroup_mounts_v2(const struct cgroup_mounts *m)
{
	return m->v2.mount_point ? &m->v2 : NULL;
}

static bool has_controller(const struct cgroup_hier *h)
{
	for (const char *p = h->options; *p;) {
		size_t len = strcspn(p, ",");
		if (controller_word(p, len))
			return true;
		p += len;
		if (*p)
			p++;
	}
	return false;
}

bool cgroup_mounts_unified(const struct cgroup_mounts *m)
{
	if (!m->v2.mount_point)
		return false;
	for (size_t i = 0; i < m->nv1; i++) {
		if (has_controller(&m->v1[i]))
			return false;
	}
	return true;
}

const struct cgroup_hier *cgroup_mounts_of(const struct cgroup_mounts *m, const char *ctrl)
{
	if (!ctrl || cgroup_mounts_unified(m))
		return cgroup_mounts_v2(m);
	return cgroup_mounts_v1(m, ctrl);
}

const char *cgroup_hier_rel(const struct cgroup_hier *h, const char *path)
{
	size_t rl = strlen(h->root);
	if (rl > 1 && strncmp(path, h->root, rl) == 0 && (path[rl] == '/' || !path[rl]))
		path += rl;
	while (*path == '/')
		path++;
	return path;
}
