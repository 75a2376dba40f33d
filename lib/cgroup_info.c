#include "cgroup_info.h"

#include <dirent.h>
#include <linux/magic.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#define CGROUP_ROOT "/sys/fs/cgroup"

bool cgroup_v1_has(const char *file)
{
	if (!file)
		return false;
	const char *dot = strchr(file, '.');
	if (!dot || cgroup_is_unified())
		return false;
	char path[256];
	snprintf(path, sizeof(path), CGROUP_ROOT "/%.*s/%s", (int)(dot - file), file, file);
	return access(path, F_OK) == 0;
}

bool cgroup_is_unified(void)
{
	struct statfs fs;
	return statfs(CGROUP_ROOT, &fs) == 0 && fs.f_type == CGROUP2_SUPER_MAGIC;
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
		if (rmdir(full) < 0 && access(full, F_OK) == 0)
			failed++;
	}
	closedir(d);
	if (cgroup_is_unified()) {
		char full[512];
		snprintf(full, sizeof(full), CGROUP_ROOT "/%s", path);
		if (rmdir(full) < 0 && access(full, F_OK) == 0)
			failed++;
	}
	return failed;
}
