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

/* v1 blkio throttling is flat: a limit binds only the processes of its own cgroup, so the
 * inner cgroup needs the rules itself (v2's io.max is hierarchical). One "MAJ:MIN VALUE" rule
 * per write; a device ruled in the inner cgroup but no longer above gets 0 (no rule). */
static const char *const v1_device_files[] = {
    "blkio.throttle.read_bps_device",
    "blkio.throttle.write_bps_device",
    "blkio.throttle.read_iops_device",
    "blkio.throttle.write_iops_device",
};

/* The next line of *text (its start, its length in *len), *text moved past it; NULL at the
 * end. */
static const char *take_line(const char **text, size_t *len)
{
	const char *l = *text;
	if (!l || !*l)
		return NULL;
	*len = strcspn(l, "\n");
	*text = l + *len + (l[*len] ? 1 : 0);
	return l;
}

/* Whether rules has a line for the device dev ("MAJ:MIN", len bytes). */
static bool has_device(const char *rules, const char *dev, size_t len)
{
	size_t n;
	for (const char *l; (l = take_line(&rules, &n));) {
		if (n > len && strncmp(l, dev, len) == 0 && l[len] == ' ')
			return true;
	}
	return false;
}

static int mirror_device_rules(const char *rel, const char *in, const char *file, char *err,
                               size_t errlen)
{
	char *want = cgroup_read("blkio", rel, file);
	if (!want)
		return 0; /* no throttling on this host */
	char *have = cgroup_read("blkio", in, file);
	int ret = 0;
	char line[96] = "";
	size_t n;
	const char *p = have;
	for (const char *l; ret == 0 && (l = take_line(&p, &n));) {
		size_t dev = strcspn(l, " \n");
		if (dev < 48 && !has_device(want, l, dev)) {
			snprintf(line, sizeof(line), "%.*s 0", (int)dev, l);
			ret = cgroup_write("blkio", in, file, line);
		}
	}
	p = want;
	for (const char *l; ret == 0 && (l = take_line(&p, &n));) {
		if (n < sizeof(line)) {
			snprintf(line, sizeof(line), "%.*s", (int)n, l);
			ret = cgroup_write("blkio", in, file, line);
		}
	}
	if (ret < 0)
		snprintf(err, errlen, "cannot copy %s to the container's cgroup (%s): %s", file,
		         line, strerror(-ret));
	free(want);
	free(have);
	return ret < 0 ? -1 : 0;
}

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
	for (size_t i = 0;
	     !v2 && ret == 0 && i < sizeof(v1_device_files) / sizeof(v1_device_files[0]); i++)
		ret = mirror_device_rules(rel, in, v1_device_files[i], err, errlen);
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
