/* The part of --pid/--ipc/--uts that needs the store: the joined containers' init pids, at
 * start and in the lxc config (ns_modes.c holds the rest, which parsers and fuzzers link). */
#include <stdio.h>
#include <string.h>

#include "engine/lxc_conf.h"
#include "ns_modes.h"
#include "store.h"

#define JOIN_PREFIX "container:"

pid_t ns_modes_joined_pid(const char *flag, const char *mode, char *err, size_t errlen)
{
	struct error e;
	struct container *o = store_lookup(mode + strlen(JOIN_PREFIX), &e);
	if (!o) {
		snprintf(err, errlen, "%s %s: %s", flag, mode, e.msg);
		return 0;
	}
	store_lock();
	pid_t pid = o->state.status == STATUS_RUNNING ? o->state.pid : 0;
	store_unlock();
	store_put(o);
	if (pid <= 0)
		snprintf(err, errlen, "%s %s: container %s is not running", flag, mode,
		         mode + strlen(JOIN_PREFIX));
	return pid;
}

int ns_modes_check_joined(const struct ns_modes *m, char *err, size_t errlen)
{
	for (size_t k = 0; k < ns_modes_count(); k++) {
		const char *v = ns_modes_value(m, k);
		if (v && strncmp(v, JOIN_PREFIX, strlen(JOIN_PREFIX)) == 0 &&
		    ns_modes_joined_pid(ns_modes_flag(k), v, err, errlen) <= 0)
			return -1;
	}
	return 0;
}

void ns_modes_lxc_config(struct strbuf *f, const struct ns_modes *m, bool user_ns)
{
	char keep[32] = "";
	for (size_t k = 0; k < ns_modes_count(); k++) {
		const char *v = ns_modes_value(m, k);
		if (ns_modes_is_own(v))
			continue;
		if (strcmp(v, "host") == 0) {
			size_t n = strlen(keep);
			snprintf(keep + n, sizeof(keep) - n, "%s%s", n ? " " : "",
			         ns_modes_kind(k));
			continue;
		}
		char why[256];
		pid_t pid = ns_modes_joined_pid(ns_modes_flag(k), v, why, sizeof(why));
		char key[64];
		snprintf(key, sizeof(key), "lxc.namespace.share.%s", ns_modes_kind(k));
		/* A container that stopped meanwhile: the start fails on this line, named. */
		lxc_conf_line(f, key, "/proc/%d/ns/%s", pid > 0 ? (int)pid : 0, ns_modes_kind(k));
	}
	/* liblxc clones every namespace not kept, a user namespace too: without a mapping of its
	 * own (user_ns) the host's is kept with the others. */
	if (keep[0])
		lxc_conf_line(f, "lxc.namespace.keep", "%s%s", keep, user_ns ? "" : " user");
}
