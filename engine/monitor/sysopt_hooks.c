/* What the monitor does for the system-container options (see engine/daemon/sysopt.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include "core/fileutil.h"
#include "monitor.h"

#define PROC_SYS "/proc/sys/"

int proc_rw_hook(int argc, char **argv)
{
	const char *root = getenv("LXC_ROOTFS_MOUNT");
	if (!root || !*root) {
		fprintf(stderr,
		        "proc-rw-hook: LXC_ROOTFS_MOUNT is not set (run as lxc.hook.mount)\n");
		return 1;
	}
	/* liblxc appends the container name, "lxc" and the hook type: not paths. */
	for (int i = 0; i < argc; i++) {
		if (strncmp(argv[i], PROC_SYS, strlen(PROC_SYS)) != 0 || strstr(argv[i], ".."))
			continue;
		char *target = path_join(root, argv[i]);
		/* A bind of a path under the read-only /proc/sys is read-only until remounted. */
		int ret = target ? mount(target, target, NULL, MS_BIND, NULL) : -1;
		if (ret == 0)
			ret = mount(NULL, target, NULL,
			            MS_REMOUNT | MS_BIND | MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
		if (ret < 0) {
			fprintf(stderr, "proc-rw-hook: cannot make %s writable: %s\n", argv[i],
			        strerror(errno));
			free(target);
			return 1;
		}
		free(target);
	}
	return 0;
}

/* Whether dir holds an executable named name. */
static bool has_tool(const char *dir, const char *name)
{
	char *p = path_join(dir, name);
	bool ok = p && access(p, X_OK) == 0;
	free(p);
	return ok;
}

void idmap_write_directly(void)
{
	/* liblxc maps ids through newuidmap/newgidmap whenever they are on PATH, and those
	 * insist on /etc/subuid ranges even for root. The monitor runs as root and may write
	 * the maps itself; the engine leaves /etc/subuid alone. */
	const char *path = getenv("PATH");
	if (!path)
		return;
	char *copy = strdup(path), *out = calloc(1, strlen(path) + 1);
	char *save = NULL;
	for (char *d = copy ? strtok_r(copy, ":", &save) : NULL; d && out;
	     d = strtok_r(NULL, ":", &save)) {
		if (has_tool(d, "newuidmap") || has_tool(d, "newgidmap"))
			continue;
		if (*out)
			strcat(out, ":");
		strcat(out, d);
	}
	if (out)
		setenv("PATH", *out ? out : "/nonexistent", 1);
	free(copy);
	free(out);
}
