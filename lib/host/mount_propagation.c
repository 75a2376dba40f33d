#include "host/mount_propagation.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/fileutil.h"
#include "host/mountinfo.h"

/* mnt is path or a parent directory of it. */
static bool holds(const char *mnt, const char *path)
{
	size_t len = strlen(mnt);
	if (strcmp(mnt, "/") == 0)
		return true;
	return strncmp(path, mnt, len) == 0 && (path[len] == '\0' || path[len] == '/');
}

static bool has_tag(const char *optional, const char *tag)
{
	size_t len = strlen(tag);
	for (const char *p = optional; p && *p;) {
		while (*p == ' ')
			p++;
		if (strncmp(p, tag, len) == 0)
			return true;
		p = strchr(p, ' ');
	}
	return false;
}

int mount_propagation_of(const char *mountinfo, const char *path, struct mount_propagation *out)
{
	size_t best = 0;
	bool found = false;
	for (const char *line = mountinfo; line && *line;) {
		const char *nl = strchr(line, '\n');
		size_t l = nl ? (size_t)(nl - line) : strlen(line);
		char *copy = strndup(line, l);
		struct mountinfo_entry e;
		if (copy && mountinfo_parse_line(copy, &e) == 0 && holds(e.mount_point, path) &&
		    strlen(e.mount_point) >= best &&
		    strlen(e.mount_point) < sizeof(out->mount_point)) {
			best = strlen(e.mount_point);
			snprintf(out->mount_point, sizeof(out->mount_point), "%s", e.mount_point);
			out->shared = has_tag(e.optional, "shared:");
			out->slave = has_tag(e.optional, "master:");
			found = true;
		}
		free(copy);
		line += l + (nl ? 1 : 0);
	}
	return found ? 0 : -1;
}

int mount_propagation_check(const char *src, const char *prop, char *err, size_t errlen)
{
	bool want_shared = prop && (strcmp(prop, "shared") == 0 || strcmp(prop, "rshared") == 0);
	bool want_slave = prop && (strcmp(prop, "slave") == 0 || strcmp(prop, "rslave") == 0);
	if (!want_shared && !want_slave)
		return 0;
	char real[PATH_MAX];
	if (!realpath(src, real)) {
		snprintf(err, errlen, "cannot resolve bind source %s: %s", src, strerror(errno));
		return -1;
	}
	char *text = read_file("/proc/self/mountinfo", 16 << 20, NULL);
	struct mount_propagation mp;
	int found = text ? mount_propagation_of(text, real, &mp) : -1;
	free(text);
	if (found < 0) {
		snprintf(err, errlen, "cannot find the mount of bind source %s", src);
		return -1;
	}
	if (want_shared && !mp.shared) {
		snprintf(err, errlen,
		         "path %s is mounted on %s but it is not a shared mount: %s propagation "
		         "needs it (mount --make-shared %s)",
		         src, mp.mount_point, prop, mp.mount_point);
		return -1;
	}
	if (want_slave && !mp.shared && !mp.slave) {
		snprintf(err, errlen,
		         "path %s is mounted on %s but it is not a shared or slave mount: %s "
		         "propagation needs it (mount --make-shared %s)",
		         src, mp.mount_point, prop, mp.mount_point);
		return -1;
	}
	return 0;
}
