#include "core/proc_spawn.h"

#include <errno.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <unistd.h>

extern char **environ;

pid_t spawn_with_stdio(const char *path, char *const argv[], const int stdio[3])
{
	return spawn_with_fds(path, argv, stdio, 3);
}

pid_t spawn_with_fds(const char *path, char *const argv[], const int *fds, int n)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t none, pipe_sig;
	sigemptyset(&none);
	sigemptyset(&pipe_sig);
	sigaddset(&pipe_sig, SIGPIPE);
	posix_spawn_file_actions_init(&fa);
	posix_spawnattr_init(&attr);
	posix_spawnattr_setsigmask(&attr, &none);
	posix_spawnattr_setsigdefault(&attr, &pipe_sig);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
	/* dup2 clears close-on-exec on the copies. */
	for (int i = 0; i < n; i++)
		posix_spawn_file_actions_adddup2(&fa, fds[i], i);
	posix_spawn_file_actions_addclosefrom_np(&fa, n);
	pid_t pid;
	int ret = posix_spawn(&pid, path, &fa, &attr, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	if (ret != 0) {
		errno = ret;
		return -1;
	}
	return pid;
}

void proc_restore_nofile(void)
{
	const char *v = getenv(NOFILE_ENV);
	char *end = NULL;
	unsigned long long soft = v ? strtoull(v, &end, 10) : 0;
	struct rlimit rl;
	if (v && end != v && !*end && getrlimit(RLIMIT_NOFILE, &rl) == 0 && soft < rl.rlim_cur) {
		rl.rlim_cur = (rlim_t)soft;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	unsetenv(NOFILE_ENV);
}
