/* -e KERNEL_MODULES=a,b for a system container: each module is loaded on the host with
 * modprobe before the container starts, as the syscontainer hook does in iSulad (here the
 * engine does it itself, so no --hook-spec is needed). A module the kernel already has,
 * loaded or built in (/sys/module/NAME), needs nothing. Modules are never unloaded. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/fileutil.h"
#include "host/kernel_modules.h"
#include "core/log.h"
#include "core/strv.h"
#include "sysopt.h"

extern char **environ;

int kernel_modules_validate(const struct container *c, char *err, size_t errlen)
{
	char **names = NULL;
	if (!c->host.system_container)
		return 0;
	int ret = kernel_modules_from_env(c->config.env, &names, err, errlen);
	strv_free(names);
	return ret;
}

static bool in_kernel(const char *name)
{
	char sys[96], path[160];
	kernel_module_sysfs_name(name, sys, sizeof(sys));
	snprintf(path, sizeof(path), "/sys/module/%s", sys);
	return path_exists(path);
}

/* Runs modprobe NAME; its stderr (first line) goes to msg. Returns its exit status, or -1
 * when no modprobe could be run. */
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
	int fds[2];
	if (pipe2(fds, O_CLOEXEC) < 0)
		return -1;
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
	posix_spawn_file_actions_adddup2(&fa, fds[1], 2);
	char *argv[] = {"modprobe", "--", (char *)name, NULL};
	pid_t pid;
	int rc = posix_spawn(&pid, prog, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(fds[1]);
	if (rc != 0) {
		close(fds[0]);
		snprintf(msg, msglen, "cannot run %s: %s", prog, strerror(rc));
		return -1;
	}
	size_t used = 0;
	ssize_t n;
	while ((n = read(fds[0], msg + used, msglen - 1 - used)) > 0 || (n < 0 && errno == EINTR)) {
		if (n > 0)
			used += (size_t)n;
		if (used >= msglen - 1)
			break;
	}
	msg[used] = '\0';
	msg[strcspn(msg, "\n")] = '\0';
	close(fds[0]);
	int status;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int kernel_modules_load(const struct container *c, char *err, size_t errlen)
{
	char **names = NULL;
	if (!c->host.system_container ||
	    kernel_modules_from_env(c->config.env, &names, err, errlen) < 0)
		return c->host.system_container ? -1 : 0;
	int ret = 0;
	for (size_t i = 0; names && names[i] && ret == 0; i++) {
		if (in_kernel(names[i]))
			continue;
		char msg[512];
		int rc = run_modprobe(names[i], msg, sizeof(msg));
		/* modprobe may not know a built-in module (no modules.builtin), yet the kernel has
		 * it. */
		if (rc == 0 || in_kernel(names[i])) {
			LOG_INFO("container %s: kernel module %s loaded", c->id, names[i]);
			continue;
		}
		snprintf(
		    err, errlen,
		    "Start container error: cannot load kernel module '%s' (KERNEL_MODULES): %s",
		    names[i], msg[0] ? msg : "modprobe failed");
		ret = -1;
	}
	strv_free(names);
	return ret;
}
