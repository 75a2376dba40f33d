#include "host/cgroup_v2.h"

#include <stdlib.h>
#include <string.h>

#include "core/fileutil.h"
#include "host/mountinfo.h"

char *cgroup2_mount_in(const char *mountinfo)
{
	char *copy = strdup(mountinfo);
	if (!copy)
		return NULL;
	char *found = NULL, *save = NULL;
	for (char *l = strtok_r(copy, "\n", &save); l && !found; l = strtok_r(NULL, "\n", &save)) {
		struct mountinfo_entry e;
		if (mountinfo_parse_line(l, &e) == 0 && strcmp(e.fs_type, "cgroup2") == 0)
			found = strdup(e.mount_point);
	}
	free(copy);
	return found;
}

char *cgroup2_mount_point(void)
{
	char *text = read_file("/proc/self/mountinfo", 4 << 20, NULL);
	char *mp = text ? cgroup2_mount_in(text) : NULL;
	free(text);
	return mp;
}

/* The last "0::" line: the kernel prints it last, and a v1 cgroup named with a newline could
 * forge an earlier one. */
char *cgroup2_path_in(const char *proc_cgroup)
{
	const char *found = NULL;
	size_t found_len = 0;
	for (const char *l = proc_cgroup; l && *l;) {
		const char *end = strchr(l, '\n');
		size_t len = end ? (size_t)(end - l) : strlen(l);
		if (len >= 3 && strncmp(l, "0::", 3) == 0) {
			found = l + 3;
			found_len = len - 3;
		}
		l = end ? end + 1 : NULL;
	}
	return found ? strndup(found, found_len) : NULL;
}
