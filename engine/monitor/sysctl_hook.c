/* isulad-monitor sysctl-hook FILE: liblxc's lxc.hook.start-host for --sysctl. The container's
 * namespaces exist (its init is LXC_PID) and its init has not run yet: the "key=value" lines
 * of FILE are written in its IPC, network and PID namespaces. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/fileutil.h"
#include "monitor.h"
#include "core/strv.h"
#include "host/sysctl_apply.h"

int monitor_sysctl_hook(const char *file)
{
	long long pid = monitor_hook_pid("sysctl-hook");
	if (pid < 0)
		return 1;
	char *text = read_file(file, 1 << 20, NULL);
	if (!text) {
		perror(file);
		return 1;
	}
	char **kv = NULL;
	char *save = NULL;
	for (char *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save))
		strv_push(&kv, l);
	char err[512];
	int ret = sysctl_apply(kv, (pid_t)pid, err, sizeof(err));
	if (ret < 0)
		fprintf(stderr, "sysctl-hook: %s\n", err);
	strv_free(kv);
	free(text);
	return ret < 0 ? 1 : 0;
}
