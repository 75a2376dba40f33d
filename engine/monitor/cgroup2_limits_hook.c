/* isulad-monitor cgroup2-limits-hook FILE: liblxc's lxc.hook.start-host for the limits of a
 * controller that only the v2 tree of a hybrid host has (hugetlb beside v1 hierarchies):
 * liblxc ignores lxc.cgroup2 lines there. FILE's first line is the container's cgroup (below
 * the hierarchy roots), each next one "FILE VALUE"; written before the init runs, the
 * controller turned on down to the container's cgroup first. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/fileutil.h"
#include "host/cgroup_fs.h"
#include "monitor.h"

int monitor_cgroup2_limits_hook(const char *file)
{
	char *text = read_file(file, 1 << 16, NULL);
	if (!text) {
		fprintf(stderr, "cgroup2-limits-hook: cannot read %s: %s\n", file, strerror(errno));
		return 1;
	}
	char *save = NULL;
	char *rel = strtok_r(text, "\n", &save);
	int ret = rel ? 0 : 1;
	for (char *l = strtok_r(NULL, "\n", &save); l && ret == 0;
	     l = strtok_r(NULL, "\n", &save)) {
		char *value = strchr(l, ' ');
		if (!value) {
			fprintf(stderr, "cgroup2-limits-hook: bad line in %s: %s\n", file, l);
			ret = 1;
			break;
		}
		*value++ = '\0';
		const char *where = l;
		int rc = cgroup2_write_delegated(rel, l, value, &where);
		if (rc < 0) {
			fprintf(stderr,
			        "cgroup2-limits-hook: cannot write %s of %s (for %s %s): %s\n",
			        where, rel, l, value, strerror(-rc));
			ret = 1;
		}
	}
	free(text);
	return ret;
}
