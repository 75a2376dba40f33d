/* isulad-monitor devices-hook STATE_DIR FILE CGROUP [--v1]: liblxc's lxc.hook.start-host that
 * confines the container's devices on cgroup v2. The container's cgroups exist and its init
 * (LXC_PID) has not run yet: the allow rules of FILE (one per line, devices.allow syntax) become a
 * BPF device program attached to CGROUP (relative to the cgroup2 mount), above everything the
 * container can reach. Any failure fails the start, so a container is never left unconfined;
 * only with --v1 (the v1 devices controller confines it already) may the init be outside the
 * cgroup2 tree, as on hybrid hosts where liblxc leaves it alone. */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bpf_devices.h"
#include "cgroup_v2.h"
#include "fileutil.h"
#include "monitor.h"
#include "units.h"

#define MAX_RULES 4096

static int read_rules(const char *file, struct device_rule **rules, size_t *n, char *err,
                      size_t errlen)
{
	char *text = read_file(file, 1 << 20, NULL);
	if (!text) {
		snprintf(err, errlen, "cannot read %s: %s", file, strerror(errno));
		return -1;
	}
	*rules = calloc(MAX_RULES, sizeof(**rules));
	*n = 0;
	int ret = *rules ? 0 : -1;
	if (ret < 0)
		snprintf(err, errlen, "out of memory");
	char *save = NULL;
	for (char *l = strtok_r(text, "\n", &save); l && ret == 0;
	     l = strtok_r(NULL, "\n", &save)) {
		if (*n == MAX_RULES) {
			snprintf(err, errlen, "%s: more than %d rules", file, MAX_RULES);
			ret = -1;
		} else {
			ret = device_rule_parse(l, &(*rules)[(*n)++], err, errlen);
		}
	}
	free(text);
	return ret;
}

/* 1 when the init sits in rel or below it on the cgroup2 tree, 0 when it is not in that tree
 * at all ("/"), -1 (err) when it sits elsewhere. */
static int init_in_cgroup(const char *pid, const char *rel, char *err, size_t errlen)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%s/cgroup", pid);
	char *text = read_file(path, 1 << 16, NULL);
	char *v2 = text ? cgroup2_path_in(text) : NULL;
	free(text);
	if (!v2) {
		snprintf(err, errlen, "cannot read the cgroup2 path of the container's init in %s",
		         path);
		return -1;
	}
	size_t len = strlen(rel);
	int ret;
	if (strcmp(v2, "/") == 0)
		ret = 0;
	else if (v2[0] == '/' && strncmp(v2 + 1, rel, len) == 0 &&
	         (v2[len + 1] == '\0' || v2[len + 1] == '/'))
		ret = 1;
	else {
		snprintf(err, errlen, "the container's init is in the cgroup %s, not below /%s", v2,
		         rel);
		ret = -1;
	}
	free(v2);
	return ret;
}

static int confine(const char *file, const char *rel, bool v1_confined, char *err, size_t errlen)
{
	const char *pid = getenv("LXC_PID");
	int64_t n_pid;
	if (!pid || parse_int64(pid, &n_pid) < 0 || n_pid <= 0) {
		snprintf(err, errlen, "LXC_PID is not set: not run as lxc.hook.start-host");
		return -1;
	}
	int in = init_in_cgroup(pid, rel, err, errlen);
	if (in < 0 || (in == 0 && v1_confined))
		return in;
	if (in == 0) {
		snprintf(err, errlen,
		         "the container's init is not in the cgroup2 tree and the host has no v1 "
		         "devices controller: its devices cannot be confined");
		return -1;
	}
	struct device_rule *rules = NULL;
	size_t n = 0;
	char *mount = cgroup2_mount_point();
	char *dir = mount ? path_join(mount, rel) : NULL;
	int fd = dir ? open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
	int ret = -1;
	if (!mount)
		snprintf(err, errlen, "no cgroup2 hierarchy is mounted");
	else if (fd < 0)
		snprintf(err, errlen, "cannot open the cgroup %s: %s", dir ? dir : rel,
		         strerror(errno));
	else if (read_rules(file, &rules, &n, err, errlen) == 0)
		ret = bpf_devices_attach(fd, rules, n, BPF_F_ALLOW_MULTI, err, errlen);
	if (fd >= 0)
		close(fd);
	free(rules);
	free(dir);
	free(mount);
	return ret;
}

int monitor_devices_hook(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr,
		        "usage: isulad-monitor devices-hook STATE_DIR FILE CGROUP [--v1]\n");
		return 2;
	}
	bool v1_confined = argc >= 4 && strcmp(argv[3], "--v1") == 0;
	char err[768];
	if (confine(argv[1], argv[2], v1_confined, err, sizeof(err)) < 0) {
		char msg[sizeof(err) + 64];
		snprintf(msg, sizeof(msg), "cannot confine the container's devices: %s", err);
		monitor_start_error(argv[0], msg);
		return 1;
	}
	return 0;
}
