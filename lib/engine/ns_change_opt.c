#include "engine/ns_change_opt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The seed's lists: all of /proc/sys/net; for ipc the SysV IPC and POSIX mqueue knobs. */
static const char *const g_net_files[] = {"/proc/sys/net", NULL};
static const char *const g_ipc_files[] = {
    "/proc/sys/kernel/shmmax", "/proc/sys/kernel/shmmni",
    "/proc/sys/kernel/shmall", "/proc/sys/kernel/shm_rmid_forced",
    "/proc/sys/kernel/msgmax", "/proc/sys/kernel/msgmni",
    "/proc/sys/kernel/msgmnb", "/proc/sys/kernel/sem",
    "/proc/sys/fs/mqueue",     NULL,
};

int ns_change_opt_parse(const char *spec, unsigned *mask, char *err, size_t errlen)
{
	unsigned m = 0;
	const char *p = spec ? spec : "";
	for (;;) {
		size_t len = strcspn(p, ",");
		if (len == 3 && strncmp(p, "net", 3) == 0)
			m |= NS_CHANGE_NET;
		else if (len == 3 && strncmp(p, "ipc", 3) == 0)
			m |= NS_CHANGE_IPC;
		else
			goto bad;
		if (p[len] == '\0')
			break;
		p += len + 1;
	}
	*mask = m;
	return 0;
bad:
	snprintf(err, errlen,
	         "Invalid --ns-change-opt value '%s': allowed are net and ipc, separated by a "
	         "comma (net,ipc)",
	         spec ? spec : "");
	return -1;
}

size_t ns_change_files(unsigned mask, const char **out)
{
	size_t n = 0;
	for (size_t i = 0; (mask & NS_CHANGE_NET) && g_net_files[i]; i++)
		out[n++] = g_net_files[i];
	for (size_t i = 0; (mask & NS_CHANGE_IPC) && g_ipc_files[i]; i++)
		out[n++] = g_ipc_files[i];
	out[n] = NULL;
	return n;
}
