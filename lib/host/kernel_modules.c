#include "host/kernel_modules.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/fileutil.h"
#include "core/proc_spawn.h"
#include "core/strv.h"

#define KEY "KERNEL_MODULES="
#define MODULE_NAME_MAX 55 /* the kernel's MODULE_NAME_LEN less its NUL */

static int valid_name(const char *s, size_t len)
{
	if (len == 0 || len > MODULE_NAME_MAX)
		return 0;
	for (size_t i = 0; i < len; i++) {
		if (!isalnum((unsigned char)s[i]) && s[i] != '_' && s[i] != '-')
			return 0;
	}
	return 1;
}

int kernel_modules_from_env(char *const *env, char ***names, char *err, size_t errlen)
{
	*names = NULL;
	int idx = -1; /* the last one wins, as for any repeated -e */
	for (size_t i = 0; env && env[i]; i++) {
		if (strncmp(env[i], KEY, strlen(KEY)) == 0)
			idx = (int)i;
	}
	if (idx < 0)
		return 0;
	const char *p = env[idx] + strlen(KEY);
	while (*p) {
		size_t len = strcspn(p, ",");
		if (len > 0 && !valid_name(p, len)) {
			snprintf(err, errlen,
			         "Invalid KERNEL_MODULES entry '%.*s': a module name is 1 to %d "
			         "letters, digits, '-' or '_'",
			         (int)(len > 200 ? 200 : len), p, MODULE_NAME_MAX);
			strv_free(*names);
			*names = NULL;
			return -1;
		}
		if (len > 0) {
			char name[MODULE_NAME_MAX + 1];
			snprintf(name, sizeof(name), "%.*s", (int)len, p);
			strv_push(names, name);
		}
		p += len;
		if (*p == ',')
			p++;
	}
	return 0;
}

void kernel_module_sysfs_name(const char *name, char *buf, size_t len)
{
	snprintf(buf, len, "%s", name);
	for (char *c = buf; *c; c++) {
		if (*c == '-')
			*c = '_';
	}
}

bool kernel_module_present(const char *name)
{
	char sys[96], path[160];
	kernel_module_sysfs_name(name, sys, sizeof(sys));
	snprintf(path, sizeof(path), "/sys/module/%s", sys);
	return path_exists(path);
}

/* Runs modprobe NAME; the first line of what it writes goes to msg. Returns its exit status,
 * or -1 when no modprobe could be run. */
static int run_modprobe(const char *name, char *msg, size_t msglen)
{
	static const char *const paths[] = {"/usr/sbin/modprobe", "/sbin/modprobe",
	                                    "/usr/bin/modprobe", "/bin/modprobe", NULL};
	const char *prog = NULL;
	for (size_t i = 0; paths[i] && !prog; i++)
		prog = access(paths[i], X_OK) == 0 ? paths[i] : NULL;
	msg[0] = '\0';
	if (!prog) {
		snprintf(msg, msglen, "modprobe is not installed (package kmod)");
		return -1;
	}
	char *argv[] = {"modprobe", "--", (char *)name, NULL};
	struct spawn_capture cap;
	if (spawn_capture(prog, argv, SPAWN_STDERR_TO_OUT, msglen - 1, 0, &cap) < 0) {
		snprintf(msg, msglen, "cannot run %s: %s", prog, strerror(errno));
		return -1;
	}
	snprintf(msg, msglen, "%.*s", (int)strcspn(cap.out, "\n"), cap.out);
	int status = cap.status;
	spawn_capture_free(&cap);
	return status;
}

int kernel_module_load(const char *name, char *msg, size_t msglen)
{
	msg[0] = '\0';
	if (kernel_module_present(name))
		return 0;
	int rc = run_modprobe(name, msg, msglen);
	/* modprobe may not know a built-in module (no modules.builtin), yet the kernel has it. */
	return rc == 0 || kernel_module_present(name) ? 0 : -1;
}
