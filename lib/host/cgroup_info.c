#include "host/cgroup_info.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "host/cgroup_mounts.h"

/* Removal gives up after about this many cgroups (a tree that keeps growing). */
#define CGROUP_REMOVE_MAX_NODES 65536

/* Files the kernel shows in every v1 cgroup but the root one. */
static bool hidden_at_root(const char *file)
{
	return strcmp(file, "pids.max") == 0 || strcmp(file, "pids.events") == 0;
}

/* Answers kept: the hierarchies are read once per process (cgroup_mounts_host) and which
 * files their roots show does not change while it runs; a container's config asks a dozen
 * times at every create and start. */
#define V1_HAS_KEPT 32
static struct {
	char file[64];
	bool has;
} g_v1_kept[V1_HAS_KEPT];
static size_t g_v1_nkept;
static pthread_mutex_t g_v1_kept_lock = PTHREAD_MUTEX_INITIALIZER;

static bool v1_has_uncached(const char *file);

bool cgroup_v1_has(const char *file)
{
	if (!file)
		return false;
	bool found = false, has = false;
	pthread_mutex_lock(&g_v1_kept_lock);
	for (size_t i = 0; i < g_v1_nkept && !found; i++) {
		found = strcmp(g_v1_kept[i].file, file) == 0;
		has = g_v1_kept[i].has;
	}
	pthread_mutex_unlock(&g_v1_kept_lock);
	if (found)
		return has;
	has = v1_has_uncached(file);
	pthread_mutex_lock(&g_v1_kept_lock);
	if (g_v1_nkept < V1_HAS_KEPT && strlen(file) < sizeof(g_v1_kept[0].file)) {
		snprintf(g_v1_kept[g_v1_nkept].file, sizeof(g_v1_kept[0].file), "%s", file);
		g_v1_kept[g_v1_nkept++].has = has;
	}
	pthread_mutex_unlock(&g_v1_kept_lock);
	return has;
}

static bool v1_has_uncached(const char *file)
{
	const char *dot = strchr(file, '.');
	const struct cgroup_mounts *m = cgroup_mounts_host();
	if (!dot || cgroup_mounts_unified(m))
		return false;
	char ctrl[64];
	snprintf(ctrl, sizeof(ctrl), "%.*s", (int)(dot - file), file);
	const struct cgroup_hier *h = cgroup_mounts_v1(m, ctrl);
	if (!h)
		return false;
	char path[PATH_MAX];
	snprintf(path, sizeof(path), "%s/%s", h->mount_point, file);
	if (access(path, F_OK) == 0)
		return true;
	/* The controller's hierarchy is mounted, but it hides the file at its root. */
	return hidden_at_root(file);
}

bool cgroup_is_unified(void)
{
	return cgroup_mounts_unified(cgroup_mounts_host());
}

/* The name of a sub-directory of the directory fd (a malloc'd copy), NULL when it has none. */
static char *first_subdir(int fd)
{
	int dup_fd = openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = dup_fd >= 0 ? fdopendir(dup_fd) : NULL;
	if (!d) {
		if (dup_fd >= 0)
			close(dup_fd);
		return NULL;
	}
	char *name = NULL;
	struct dirent *de;
	while (!name && (de = readdir(d))) {
		if (de->d_type == DT_DIR && strcmp(de->d_name, ".") != 0 &&
		    strcmp(de->d_name, "..") != 0)
			name = strdup(de->d_name);
	}
	closedir(d);
	return name;
}

/* rmdir of a cgroup and the sub-cgroups below it, deepest first (cgroups hold only dirs).
 * The container shapes this tree: no recursion and one open directory at a time, whatever
 * its depth (even beyond PATH_MAX): descend into a sub-directory by name, remove a leaf from
 * its parent ("..", never a symlink: O_NOFOLLOW on the way down), repeat. */
static int remove_cgroup_tree(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? 0 : -1;
	char **names = NULL; /* the path below dir, one name per level */
	size_t depth = 0, cap = 0, steps = 0;
	int ret = 0;
	while (depth > 0 || ret == 0) {
		char *sub = NULL;
		/* Bounded: a tree that keeps changing must not keep the daemon here. */
		if (++steps > 4 * CGROUP_REMOVE_MAX_NODES) {
			ret = -1;
		} else if ((sub = first_subdir(fd))) {
			int child =
			    openat(fd, sub, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (child >= 0 && depth == cap) {
				size_t ncap = cap ? cap * 2 : 64;
				char **nn = realloc(names, ncap * sizeof(*nn));
				if (nn) {
					names = nn;
					cap = ncap;
				}
			}
			if (child >= 0 && depth < cap) {
				close(fd);
				fd = child;
				names[depth++] = sub;
				continue;
			}
			if (child >= 0)
				close(child);
			free(sub);
			ret = -1; /* cannot go down: the rest stays */
		}
		if (depth == 0)
			break;
		/* fd is a leaf (or cannot be emptied): up one level and rmdir it there. */
		int parent = openat(fd, "..", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		char *leaf = names[--depth];
		if (parent < 0) {
			free(leaf);
			ret = -1;
			break;
		}
		close(fd);
		fd = parent;
		if (unlinkat(fd, leaf, AT_REMOVEDIR) < 0 && errno != ENOENT)
			ret = -1;
		free(leaf);
		if (ret < 0)
			break;
	}
	while (depth > 0)
		free(names[--depth]);
	free(names);
	close(fd);
	if (ret < 0)
		return -1;
	return rmdir(dir) < 0 && errno != ENOENT ? -1 : 0;
}

static int remove_in(const struct cgroup_hier *h, const char *path)
{
	char full[PATH_MAX];
	const char *rel = cgroup_hier_rel(h, path);
	int n = snprintf(full, sizeof(full), "%s/%s", h->mount_point, rel);
	if (n < 0 || (size_t)n >= sizeof(full) || !*rel)
		return -1;
	return remove_cgroup_tree(full);
}

int cgroup_remove_everywhere(const char *path)
{
	const struct cgroup_mounts *m = cgroup_mounts_host();
	int failed = 0;
	for (size_t i = 0; i < m->nv1; i++) {
		if (remove_in(&m->v1[i], path) < 0)
			failed++;
	}
	if (cgroup_mounts_v2(m) && remove_in(cgroup_mounts_v2(m), path) < 0)
		failed++;
	return failed;
}
