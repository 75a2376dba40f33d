/* isulad-monitor ro-remount-hook FILE: liblxc's lxc.hook.start-host for read-only binds onto
 * the trees liblxc itself sets up after the mount entries (/dev, /proc, /sys: devpts, ptmx,
 * the device nodes). Those binds are mounted read-write, and this hook, run once the container
 * is set up and before its init, makes each path FILE lists (one per line, as the container
 * sees it; its init is LXC_PID) read-only, keeping the mount's other flags. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/fileutil.h"
#include "monitor.h"

/* The flags a bind remount must repeat (the kernel refuses to drop locked ones). */
static unsigned long kept_flags(const struct statvfs *sv)
{
	static const struct {
		unsigned long st, ms;
	} map[] = {{ST_NOSUID, MS_NOSUID},         {ST_NODEV, MS_NODEV},
	           {ST_NOEXEC, MS_NOEXEC},         {ST_NOATIME, MS_NOATIME},
	           {ST_NODIRATIME, MS_NODIRATIME}, {ST_RELATIME, MS_RELATIME}};
	unsigned long f = 0;
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		if (sv->f_flag & map[i].st)
			f |= map[i].ms;
	}
	return f;
}

/* In the container's mount namespace (its init is pid): each listed path read-only. */
static int remount_all(char *list, long long pid)
{
	char ns[64];
	snprintf(ns, sizeof(ns), "/proc/%lld/ns/mnt", pid);
	int fd = open(ns, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || setns(fd, CLONE_NEWNS) < 0) {
		fprintf(stderr, "ro-remount-hook: cannot enter %s: %s\n", ns, strerror(errno));
		return 1;
	}
	close(fd);
	char *save = NULL;
	for (char *p = strtok_r(list, "\n", &save); p; p = strtok_r(NULL, "\n", &save)) {
		struct statvfs sv;
		if (p[0] != '/' || statvfs(p, &sv) < 0 ||
		    mount(NULL, p, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY | kept_flags(&sv), NULL) <
		        0) {
			fprintf(stderr, "ro-remount-hook: cannot make %s read-only: %s\n", p,
			        p[0] == '/' ? strerror(errno) : "not an absolute path");
			return 1;
		}
	}
	return 0;
}

int monitor_ro_remount_hook(const char *file)
{
	long long pid = monitor_hook_pid("ro-remount-hook");
	if (pid < 0)
		return 1;
	char *list = read_file(file, 1 << 20, NULL);
	if (!list) {
		fprintf(stderr, "ro-remount-hook: cannot read %s: %s\n", file, strerror(errno));
		return 1;
	}
	/* The remounts happen in a child: this process keeps the host's mount namespace (and
	 * /proc), where the sanitizers' exit-time leak check must look. */
	pid_t child = fork();
	if (child == 0)
		_exit(remount_all(list, pid));
	int status = 0, ret = 1;
	if (child < 0)
		fprintf(stderr, "ro-remount-hook: fork: %s\n", strerror(errno));
	else if (waitpid(child, &status, 0) == child && WIFEXITED(status))
		ret = WEXITSTATUS(status);
	free(list);
	return ret;
}
