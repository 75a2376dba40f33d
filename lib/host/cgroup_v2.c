#include "host/cgroup_v2.h"

#include <stdlib.h>
#include <string.h>

#include "host/cgroup_mounts.h"

char *cgroup2_mount_in(const char *mountinfo)
{
	struct cgroup_mounts m;
	if (cgroup_mounts_parse(mountinfo, &m) < 0)
		return NULL;
	char *found = m.v2.mount_point ? strdup(m.v2.mount_point) : NULL;
	cgroup_mounts_free(&m);
	return found;
}

char *cgroup2_mount_point(void)
{
	/* The layout read once per process (each start asks). */
	const struct cgroup_mounts *m = cgroup_mounts_host();
	return m->v2.mount_point ? strdup(m->v2.mount_point) : NULL;
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
