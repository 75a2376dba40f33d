#include "cgroup_info.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <linux/magic.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#define CGROUP_ROOT "/sys/fs/cgroup"

/* Files the kernel shows in every v1 cgroup but the root one. */
static bool hidden_at_root(const char *file)
{
	return strcmp(file, "pids.max") == 0 || strcmp(file, "pids.events") == 0;
}

bool cgroup_v1_has(const char *file)
{
	if (!file)
		return false;
	const char *dot = strchr(file, '.');
	if (!dot || cgroup_is_unified())
		return false;
	char path[256];
	int n = (int)(dot - file);
	snprintf(path, sizeof(path), CGROUP_ROOT "/%.*s/%s", n, file, file);
	if (access(path, F_OK) == 0)
		return true;
	/* The controller is mounted on its own v1 hierarchy (not just a same-named dir). */
	snprintf(path, sizeof(path), CGROUP_ROOT "/%.*s/cgroup.procs", n, file);
	return hidden_at_root(file) && access(path, F_OK) == 0;
}

bool cgroup_is_unified(void)
{
	struct statfs fs;
	return statfs(CGROUP_ROOT, &fs) == 0 && fs.f_type == CGROUP2_SUPER_MAGIC;
}

/* rmdir of a cgroup and the sub-cgroups below it, deepest first (cgroups hold only dirs). */
static int remove_cgroup_tree(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return errno == ENOENT ? 0 : -1;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (de->d_type != DT_DIR || strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		char sub[PATH_MAX];
		if (snprintf(sub, sizeof(sub), "%s/%s", dir, de->d_name) < (int)sizeof(sub))
			remove_cgroup_tree(sub);
	}
	closedir(d);
	return rmdir(dir) < 0 && errno != ENOENT ? -1 : 0;
}

int cgroup_remove_everywhere(const char *path)
{
	DIR *d = opendir(CGROUP_ROOT);
	if (!d)
		return 0;
	int failed = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		char full[512];
		snprintf(full, sizeof(full), CGROUP_ROOT "/%s/%s", de->d_name, path);
		if (remove_cgroup_tree(full) < 0)
			failed++;
	}
	closedir(d);
	if (cgroup_is_unified()) {
		char full[512];
		snprintf(full, sizeof(full), CGROUP_ROOT "/%s", path);
		if (remove_cgroup_tree(full) < 0)
			failed++;
	}
	return failed;
}
