#include "ns_modes.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"

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

bool ns_modes_is_own(const char *v)
{
	return !v || !*v || strcmp(v, "private") == 0 || strcmp(v, "shareable") == 0 ||
	       strcmp(v, "none") == 0;
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
		    (ipc && (strcmp(v, "private") == 0 || strcmp(v, "shareable") == 0 ||
		             strcmp(v, "none") == 0)))
			continue;
		snprintf(err, errlen, "Invalid %s value \"%s\": expected host or container:NAME%s",
		         g_kinds[k].flag, v, ipc ? " (or private, shareable, none)" : "");
		return -1;
	}
	if (system_container && !ns_modes_is_own(m->uts)) {
		snprintf(err, errlen,
		         "--uts %s cannot be used with --system-container: its init sets the "
		         "hostname of the UTS namespace it is in",
		         m->uts);
		return -1;
	}
	if (system_container && !ns_modes_is_own(m->pid)) {
		snprintf(err, errlen,
		         "--pid %s cannot be used with --system-container: its init must be pid 1 "
		         "of a pid namespace of its own",
		         m->pid);
		return -1;
	}
	return 0;
}

bool ns_modes_own_uts(const struct ns_modes *m)
{
	return ns_modes_is_own(m->uts);
}

size_t ns_modes_count(void)
{
	return N_KINDS;
}

const char *ns_modes_kind(size_t k)
{
	return g_kinds[k].kind;
}

const char *ns_modes_flag(size_t k)
{
	return g_kinds[k].flag;
}

const char *ns_modes_value(const struct ns_modes *m, size_t k)
{
	return *slot(m, k);
}
