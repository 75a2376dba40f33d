/* --files-limit N. Where the kernel has the files cgroup (openEuler's CONFIG_CGROUP_FILES) it
 * is files.limit of the container's cgroup. Elsewhere (mainline kernels, this project's test
 * machines) the engine falls back to RLIMIT_NOFILE for every process of the container
 * (liblxc's lxc.prlimit.nofile, inherited by the init's children and applied to exec'd
 * commands): a real limit, but per process rather than a total for the container. */
#include <stdlib.h>
#include <string.h>

#include "engine/lxc_conf.h"
#include "host/cgroup_fs.h"
#include "host/cgroup_info.h"
#include "core/fileutil.h"
#include "store.h"
#include "sysopt.h"
#include "core/units.h"

static bool has_files_cgroup(void)
{
	if (cgroup_v1_has("files.limit"))
		return true;
	char *path = cgroup_is_unified() ? cgroup_path(NULL, "", "cgroup.controllers") : NULL;
	char *ctl = path ? read_file(path, 4096, NULL) : NULL;
	free(path);
	bool found = false;
	for (char *w = ctl ? strtok(ctl, " \n") : NULL; w && !found; w = strtok(NULL, " \n"))
		found = strcmp(w, "files") == 0;
	free(ctl);
	return found;
}

/* fs.nr_open: the largest RLIMIT_NOFILE the kernel accepts. */
static int64_t nr_open(void)
{
	char *text = read_file("/proc/sys/fs/nr_open", 64, NULL);
	int64_t n = 1048576;
	if (text) {
		text[strcspn(text, "\n")] = '\0';
		if (parse_int64(text, &n) < 0)
			n = 1048576;
	}
	free(text);
	return n;
}

static bool files_limit_is_rlimit(const struct host_config *h)
{
	return h->sys.files_limit > 0 && !has_files_cgroup();
}

int files_limit_validate(const struct host_config *h, char *err, size_t errlen)
{
	int64_t n = h->sys.files_limit;
	if (n < -1) {
		snprintf(
		    err, errlen,
		    "Invalid --files-limit %lld: must be a positive integer, or 0 or -1 for no "
		    "limit",
		    (long long)n);
		return -1;
	}
	if (files_limit_is_rlimit(h) && n > nr_open()) {
		snprintf(
		    err, errlen,
		    "Invalid --files-limit %lld: this kernel has no files cgroup, so the limit "
		    "is each process's open files limit (RLIMIT_NOFILE), at most fs.nr_open = "
		    "%lld",
		    (long long)n, (long long)nr_open());
		return -1;
	}
	return 0;
}

void files_limit_lxc_config(struct strbuf *f, const struct host_config *h)
{
	int64_t n = h->sys.files_limit;
	if (n <= 0)
		return;
	if (!files_limit_is_rlimit(h)) {
		lxc_conf_line(f,
		              cgroup_v1_has("files.limit") ? "lxc.cgroup.files.limit"
		                                           : "lxc.cgroup2.files.limit",
		              "%lld", (long long)n);
		return;
	}
	/* After --ulimit's lines: liblxc keeps the last value of a resource, so a --ulimit
	 * nofile is kept only where it is lower. */
	int64_t soft = n, hard = n;
	for (size_t i = 0; i < h->n_ulimits; i++) {
		if (strcmp(h->ulimits[i].name, "nofile") != 0)
			continue;
		if (h->ulimits[i].soft >= 0 && h->ulimits[i].soft < soft)
			soft = h->ulimits[i].soft;
		if (h->ulimits[i].hard >= 0 && h->ulimits[i].hard < hard)
			hard = h->ulimits[i].hard;
	}
	if (soft > hard)
		soft = hard;
	lxc_conf_line(f, "lxc.prlimit.nofile", "%lld:%lld", (long long)soft, (long long)hard);
}

void files_limit_start_failed(const struct container *c, char *err, size_t errlen)
{
	/* liblxc needs some dozens of descriptors of its own to set the container up; its last
	 * error line is then a consequence, not the cause. */
	if (!files_limit_is_rlimit(&c->host))
		return;
	char *dir = store_state_dir(c->id);
	char *log = dir ? path_join(dir, "lxc.log") : NULL;
	char *text = log ? read_file(log, 1 << 20, NULL) : NULL;
	if (text && strstr(text, "Too many open files"))
		snprintf(
		    err, errlen,
		    "Start container error: --files-limit %lld is too small for the container to "
		    "start: liblxc ran out of file descriptors setting it up (Too many open "
		    "files); with no files cgroup on this kernel the limit applies to each "
		    "process",
		    (long long)c->host.sys.files_limit);
	free(text);
	free(log);
	free(dir);
}
