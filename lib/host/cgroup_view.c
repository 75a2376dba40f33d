#include "host/cgroup_view.h"

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/fileutil.h"
#include "host/cgroup_fs.h"
#include "host/cgroup_info.h"

struct limit_file {
	const char *ctrl; /* v1 controller; NULL on the v2 tree */
	const char *file;
	bool may_fail; /* a first try whose order may be wrong (memsw below memory) */
};

/* v1: memsw must stay >= the memory limit in the inner cgroup: tried before the memory limit
 * (right when it grows) and again after it (right when it shrinks). */
static const struct limit_file v1_files[] = {
    {"memory", "memory.memsw.limit_in_bytes", true},
    {"memory", "memory.limit_in_bytes", false},
    {"memory", "memory.memsw.limit_in_bytes", false},
    {"memory", "memory.soft_limit_in_bytes", false},
    {"cpu", "cpu.shares", false},
    {"cpu", "cpu.cfs_period_us", false},
    {"cpu", "cpu.cfs_quota_us", false},
    {"pids", "pids.max", false},
};

static const struct limit_file v2_files[] = {
    {NULL, "memory.max", false}, {NULL, "memory.swap.max", false}, {NULL, "memory.low", false},
    {NULL, "cpu.max", false},    {NULL, "cpu.weight", false},      {NULL, "pids.max", false},
};

int cgroup_view_mirror(const char *rel, const char *inner, char *err, size_t errlen)
{
	bool v2 = cgroup_is_unified();
	const struct limit_file *files = v2 ? v2_files : v1_files;
	size_t n =
	    v2 ? sizeof(v2_files) / sizeof(v2_files[0]) : sizeof(v1_files) / sizeof(v1_files[0]);
	char *in = path_join(rel, inner);
	if (!in) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	/* The period may change under a quota already copied: the quota goes last, again. */
	if (!v2)
		cgroup_write("cpu", in, "cpu.cfs_quota_us", "-1");
	int ret = 0;
	for (size_t i = 0; i < n && ret == 0; i++) {
		char *value = cgroup_read(files[i].ctrl, rel, files[i].file);
		if (!value)
			continue; /* not on this host (no swap accounting, no pids hierarchy) */
		int rc = cgroup_write(files[i].ctrl, in, files[i].file, value);
		if (rc < 0 && rc != -ENOENT && !files[i].may_fail) {
			snprintf(err, errlen,
			         "cannot copy %s to the container's cgroup view (%s): %s",
			         files[i].file, value, strerror(-rc));
			ret = -1;
		}
		free(value);
	}
	free(in);
	return ret;
}

void cgroup_view_release_quota(const char *rel, const char *inner)
{
	if (cgroup_is_unified())
		return; /* v2 does not compare cpu.max across levels */
	char *in = path_join(rel, inner);
	if (in)
		cgroup_write("cpu", in, "cpu.cfs_quota_us", "-1");
	free(in);
}
