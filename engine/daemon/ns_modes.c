#include "ns_modes.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "engine/lxc_conf.h"
#include "store.h"

#define JOIN_PREFIX "container:"

static const struct {
	const char *kind, *flag, *key;
	size_t off;
} g_kinds[] = {
    {"pid", "--pid", "PidMode", offsetof(struct ns_modes, pid)},
    {"ipc", "--ipc", "IpcMode", offsetof(struct ns_modes, ipc)},
    {"uts", "--uts", "UTSMode", offsetof(struct ns_modes, uts)},
};
#define N_KINDS (sizeof(g_kinds) / sizeof(g_kinds[0]))

static char *const *slot(const struct ns_modes *m, size_t k)
{
	return (char *const *)((const char *)m + g_kinds[k].off);
}

static bool is_own(const char *v)
{
	return !v || !*v || strcmp(v, "private") == 0 || strcmp(v, "shareable") == 0;
}

void ns_modes_gen(yajl_gen g, const struct ns_modes *m)
{
	for (size_t k = 0; k < N_KINDS; k++)
		jg_kstr(g, g_kinds[k].key, *slot(m, k) ? *slot(m, k) : "");
}

void ns_modes_parse(yajl_val hostconfig, struct ns_modes *m)
{
	for (size_t k = 0; k < N_KINDS; k++) {
		const char *v = json_get_str(hostconfig, g_kinds[k].key);
		*(char **)((char *)m + g_kinds[k].off) = v && *v ? strdup(v) : NULL;
	}
}

void ns_modes_free(struct ns_modes *m)
{
	free(m->pid);
	free(m->ipc);
	free(m->uts);
	memset(m, 0, sizeof(*m));
}

int ns_modes_validate(const struct ns_modes *m, bool system_container, char *err, size_t errlen)
{
	for (size_t k = 0; k < N_KINDS; k++) {
		const char *v = *slot(m, k);
		bool ipc = strcmp(g_kinds[k].kind, "ipc") == 0;
		bool join = v && strncmp(v, JOIN_PREFIX, strlen(JOIN_PREFIX)) == 0 &&
		            v[strlen(JOIN_PREFIX)] != '\0';
		if (!v || !*v || join || strcmp(v, "host") == 0 ||
		    (ipc && (strcmp(v, "private") == 0 || strcmp(v, "shareable") == 0)))
			continue;
		snprintf(err, errlen, "Invalid %s value \"%s\": expected host or container:NAME%s",
		         g_kinds[k].flag, v, ipc ? " (or private, shareable)" : "");
		return -1;
	}
	if (system_container && !is_own(m->uts)) {
		snprintf(err, errlen,
		         "--uts %s cannot be used with --system-container: its init sets the "
		         "hostname of the UTS namespace it is in",
		         m->uts);
		return -1;
	}
	if (system_container && !is_own(m->pid)) {
		snprintf(err, errlen,
		         "--pid %s cannot be used with --system-container: its init must be pid 1 "
		         "of a pid namespace of its own",
		         m->pid);
		return -1;
	}
	return 0;
}

/* The init pid of the running container NAME, or 0 with err. */
static pid_t joined_pid(const char *flag, const char *mode, char *err, size_t errlen)
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
	for (size_t k = 0; k < N_KINDS; k++) {
		const char *v = *slot(m, k);
		if (v && strncmp(v, JOIN_PREFIX, strlen(JOIN_PREFIX)) == 0 &&
		    joined_pid(g_kinds[k].flag, v, err, errlen) <= 0)
			return -1;
	}
	return 0;
}

void ns_modes_lxc_config(struct strbuf *f, const struct ns_modes *m, bool user_ns)
{
	char keep[32] = "";
	for (size_t k = 0; k < N_KINDS; k++) {
		const char *v = *slot(m, k);
		if (is_own(v))
			continue;
		if (strcmp(v, "host") == 0) {
			size_t n = strlen(keep);
			snprintf(keep + n, sizeof(keep) - n, "%s%s", n ? " " : "", g_kinds[k].kind);
			continue;
		}
		char why[256];
		pid_t pid = joined_pid(g_kinds[k].flag, v, why, sizeof(why));
		char key[64];
		snprintf(key, sizeof(key), "lxc.namespace.share.%s", g_kinds[k].kind);
		/* A container that stopped meanwhile: the start fails on this line, named. */
		lxc_conf_line(f, key, "/proc/%d/ns/%s", pid > 0 ? (int)pid : 0, g_kinds[k].kind);
	}
	/* liblxc clones every namespace not kept, a user namespace too: without a mapping of its
	 * own (user_ns) the host's is kept with the others. */
	if (keep[0])
		lxc_conf_line(f, "lxc.namespace.keep", "%s%s", keep, user_ns ? "" : " user");
}

bool ns_modes_own_uts(const struct ns_modes *m)
{
	return is_own(m->uts);
}
