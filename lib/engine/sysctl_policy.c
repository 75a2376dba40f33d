#include "engine/sysctl_policy.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ALLOWED_TEXT                                                                               \
	"kernel.msgmax, kernel.msgmnb, kernel.msgmni, kernel.sem, kernel.shmall, "                 \
	"kernel.shmmax, kernel.shmmni, kernel.shm_rmid_forced, kernel.pid_max, net.* and "         \
	"fs.mqueue.*"

/* The IPC-namespaced kernel.* names of the whitelist. */
static const char *const g_ipc_names[] = {
    "kernel.msgmax", "kernel.msgmnb", "kernel.msgmni",          "kernel.sem", "kernel.shmall",
    "kernel.shmmax", "kernel.shmmni", "kernel.shm_rmid_forced", NULL,
};

static bool key_well_formed(const char *key)
{
	bool word_start = true;
	for (const char *p = key; *p; p++) {
		if (*p == '.') {
			if (word_start)
				return false;
			word_start = true;
			continue;
		}
		if (!isalnum((unsigned char)*p) && *p != '_' && *p != '-')
			return false;
		word_start = false;
	}
	return *key && !word_start;
}

static bool is_ipc_key(const char *key)
{
	for (size_t i = 0; g_ipc_names[i]; i++) {
		if (strcmp(key, g_ipc_names[i]) == 0)
			return true;
	}
	return strncmp(key, "fs.mqueue.", 10) == 0;
}

int sysctl_check(const char *key, const char *value, const struct sysctl_context *ctx, char *err,
                 size_t errlen)
{
	if (!key_well_formed(key)) {
		snprintf(
		    err, errlen,
		    "Invalid sysctl key \"%s\": expected dot-separated words of letters, digits, "
		    "_ and - (e.g. kernel.msgmax)",
		    key);
		return -1;
	}
	if (!value || strpbrk(value, "\r\n")) {
		snprintf(err, errlen, "Invalid value for sysctl %s: it must be one line", key);
		return -1;
	}
	if (is_ipc_key(key)) {
		if (ctx->own_ipcns)
			return 0;
		snprintf(err, errlen,
		         "Sysctl %s=%s is not allowed: the container shares the host's IPC "
		         "namespace",
		         key, value);
		return -1;
	}
	if (strncmp(key, "net.", 4) == 0) {
		if (ctx->own_netns)
			return 0;
		snprintf(err, errlen,
		         "Sysctl %s=%s is not allowed: the container shares the host's network "
		         "namespace",
		         key, value);
		return -1;
	}
	if (strcmp(key, "kernel.pid_max") == 0) {
		if (ctx->pid_max_namespaced)
			return 0;
		snprintf(
		    err, errlen,
		    "Sysctl kernel.pid_max=%s is not allowed: kernel.pid_max is not namespaced "
		    "on this kernel (Linux 6.14 or later is needed), so it would change the "
		    "host's value",
		    value);
		return -1;
	}
	snprintf(err, errlen, "Sysctl %s=%s is not allowed in a container: only " ALLOWED_TEXT, key,
	         value);
	return -1;
}

int sysctl_split(const char *kv, char **buf, const char **key, const char **value, char *err,
                 size_t errlen)
{
	*buf = NULL;
	const char *eq = strchr(kv, '=');
	if (!eq || eq == kv) {
		snprintf(err, errlen,
		         "Invalid sysctl \"%s\": expected KEY=VALUE (e.g. "
		         "kernel.msgmax=65536)",
		         kv);
		return -1;
	}
	*buf = strdup(kv);
	if (!*buf) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	(*buf)[eq - kv] = '\0';
	*key = *buf;
	*value = *buf + (eq - kv) + 1;
	return 0;
}

bool sysctl_pid_max_namespaced_release(const char *release)
{
	char *end;
	long major = strtol(release, &end, 10);
	if (end == release || *end != '.')
		return false;
	long minor = strtol(end + 1, NULL, 10);
	return major > 6 || (major == 6 && minor >= 14);
}
