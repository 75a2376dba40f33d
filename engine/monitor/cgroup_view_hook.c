/* isulad-monitor cgroup-view-hook FILE: liblxc's lxc.hook.start-host that copies the limits of
 * the container's cgroup (FILE's first line: its path below the hierarchy roots) into the
 * cgroup its init runs in ("ns"), before the init reads them (host/cgroup_view.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/fileutil.h"
#include "host/cgroup_view.h"
#include "monitor.h"

int monitor_cgroup_view_hook(const char *file)
{
	char *rel = read_file(file, 4096, NULL);
	if (!rel) {
		fprintf(stderr, "cgroup-view-hook: cannot read %s: %s\n", file, strerror(errno));
		return 1;
	}
	rel[strcspn(rel, "\n")] = '\0';
	char err[512];
	int ret = cgroup_view_mirror(rel, CGROUP_VIEW_INNER, err, sizeof(err));
	if (ret < 0)
		fprintf(stderr, "cgroup-view-hook: %s\n", err);
	free(rel);
	return ret < 0 ? 1 : 0;
}
