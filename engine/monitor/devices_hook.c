/* isulad-monitor devices-hook STATE_DIR FILE [--v1]: liblxc's lxc.hook.start-host that confines
 * the container's devices on cgroup v2. The container's cgroups exist and its init (LXC_PID)
 * has not run yet. FILE holds "cgroup REL" (relative to the cgroup2 mount), then the allow
 * rules (devices.allow syntax), one a line: they become a BPF device program attached to REL,
 * above everything the container can reach. Any failure fails the start, so a container is
 * never left unconfined; only with --v1 (the v1 devices controller confines it already) may
 * the init be outside the cgroup2 tree, as on hybrid hosts where liblxc leaves it alone. */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "host/bpf_devices.h"
#include "host/cgroup_v2.h"
#include "core/fileutil.h"
#include "monitor.h"
#include "core/units.h"

#define MAX_RULES 4096

/* FILE's cgroup line and rules (*cgroup and *rules malloc'd). */
static int read_rules(const char *file, char **cgroup, struct device_rule **rules, size_t *n,
                      char *err, size_t errlen)
{
	*cgroup = NULL;
	*rules = NULL;
	*n = 0;
	char *text = read_file(file, 1 << 20, NULL);
	if (!text) {
		snprintf(err, errlen, "cannot read %s: %s", file, strerror(errno));
		return -1;
	}
	char *save = NULL;
	char *first = strtok_r(text, "\n", &save);
	int ret = 0;
	if (!first || strncmp(first, "cgroup ", 7) != 0 || !first[7]) {
		snprintf(err, errlen, "%s: the first line is not \"cgroup PATH\"", file);
		ret = -1;
	} else if (!(*cgroup = strdup(first + 7)) ||
	           !(*rules = calloc(MAX_RULES, sizeof(**rules)))) {
		snprintf(err, errlen, "out of memory");
		ret = -1;
	}
	for (char *l = strtok_r(NULL, "\n", &save); l && ret == 0;
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

static int confine(const char *file, bool v1_confined, char *err, size_t errlen)
{
	const char *pid = getenv("LXC_PID");
	int64_t n_pid;
	if (!pid || parse_int64(pid, &n_pid) < 0 || n_pid <= 0) {
		snprintf(err, errlen, "LXC_PID is not set: not run as lxc.hook.start-host");
		return -1;
	}
	char *rel = NULL, *mount = NULL, *dir = NULL;
	struct device_rule *rules = NULL;
	size_t n = 0;
	int fd = -1, ret = -1;
	if (read_rules(file, &rel, &rules, &n, err, errlen) < 0)
		goto out;
	int in = init_in_cgroup(pid, rel, err, errlen);
	if (in < 0 || (in == 0 && v1_confined)) {
		ret = in;
		goto out;
	}
	if (in == 0) {
		snprintf(err, errlen,
		         "the container's init is not in the cgroup2 tree and the host has no v1 "
		         "devices controller: its devices cannot be confined");
		goto out;
	}
	mount = cgroup2_mount_point();
	dir = mount ? path_join(mount, rel) : NULL;
	fd = dir ? open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
	if (!mount)
		snprintf(err, errlen, "no cgroup2 hierarchy is mounted");
	else if (fd < 0)
		snprintf(err, errlen, "cannot open the cgroup %s: %s", dir ? dir : rel,
		         strerror(errno));
	else
		ret = bpf_devices_attach(fd, rules, n, BPF_F_ALLOW_MULTI, err, errlen);
out:
	if (fd >= 0)
		close(fd);
	free(rules);
	free(rel);
	free(dir);
	free(mount);
	return ret;
}

int monitor_devices_hook(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: isulad-monitor devices-hook STATE_DIR FILE [--v1]\n");
		return 2;
	}
	bool v1_confined = argc >= 3 && strcmp(argv[2], "--v1") == 0;
	char err[768];
	if (confine(argv[1], v1_confined, err, sizeof(err)) < 0) {
		char msg[sizeof(err) + 64];
		snprintf(msg, sizeof(msg), "cannot confine the container's devices: %s", err);
		monitor_start_error(argv[0], msg);
		return 1;
	}
	return 0;
}
