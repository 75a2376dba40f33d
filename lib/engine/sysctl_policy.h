/* Which kernel parameters a container may set with --sysctl (seed 000 §2.4.1 whitelist):
 * kernel.msgmax, kernel.msgmnb, kernel.msgmni, kernel.sem, kernel.shmall, kernel.shmmax,
 * kernel.shmmni, kernel.shm_rmid_forced, kernel.pid_max, net.* and fs.mqueue.*; each only
 * where the container has its own namespace for it, so the host's value never changes. */
#ifndef LIB_ENGINE_SYSCTL_POLICY_H
#define LIB_ENGINE_SYSCTL_POLICY_H

#include <stdbool.h>
#include <stddef.h>

struct sysctl_context {
	bool own_netns;          /* net.*: the container has its own network namespace */
	bool own_ipcns;          /* kernel.msg*, kernel.sem, kernel.shm*, fs.mqueue.* */
	bool pid_max_namespaced; /* kernel.pid_max is per pid namespace (Linux >= 6.14) */
};

/* 0 if key=value may be applied in such a container; else -1 with err naming the key and
 * what is allowed. Also refuses malformed keys (anything but dot-separated [A-Za-z0-9_-]
 * words) and values with a line break. */
int sysctl_check(const char *key, const char *value, const struct sysctl_context *ctx, char *err,
                 size_t errlen);

/* Splits "key=value" (from --sysctl) at the first '='; -1 with err if there is none or the
 * key is empty. key and value point into a copy owned by the caller (*buf, to free). */
int sysctl_split(const char *kv, char **buf, const char **key, const char **value, char *err,
                 size_t errlen);

/* True if a kernel of this release ("6.18.4-foo", from uname) has a per-pid-namespace
 * kernel.pid_max. */
bool sysctl_pid_max_namespaced_release(const char *release);

#endif
