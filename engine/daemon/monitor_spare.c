#include "monitor_spare.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/log.h"
#include "core/proc_spawn.h"
#include "core/strv.h"
#include "engine/monitor_job.h"
#include "host/proc_title.h"

static struct {
	pthread_mutex_t lock;
	bool refilling, stopped;
	char *path, *lxcpath;
	char *room; /* PROC_TITLE_ROOM_VAR=... */
	pid_t pid;  /* 0: none ready */
	int sock, pidfd;
} g_spare = {.lock = PTHREAD_MUTEX_INITIALIZER};

static void reap(pid_t pid, int sock, int pidfd)
{
	close(sock); /* EOF: a spare still waiting exits */
	close(pidfd);
	waitpid(pid, NULL, 0);
}

/* A spare: 0 with its pid, socket and pidfd, or -1. */
static int spawn_spare(pid_t *pid, int *sock, int *pidfd)
{
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return -1;
	int null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	char *argv[] = {"isulad-monitor", "start", MONITOR_STANDBY_ARG, g_spare.lxcpath, NULL};
	int fds[MONITOR_JOB_FD + 1] = {null_fd, null_fd, null_fd, sv[1]};
	/* Room for the job's command line, which it shows (proc_title_set). */
	char **env = strv_dup(environ);
	*pid = null_fd < 0 || !env || strv_push(&env, g_spare.room) < 0
	           ? -1
	           : spawn_with_fds_env(g_spare.path, argv, env, fds, MONITOR_JOB_FD + 1);
	int saved = errno;
	strv_free(env);
	if (null_fd >= 0)
		close(null_fd);
	close(sv[1]);
	*pidfd = *pid > 0 ? (int)syscall(SYS_pidfd_open, *pid, 0) : -1;
	if (*pidfd < 0) {
		saved = *pid > 0 ? errno : saved;
		close(sv[0]);
		if (*pid > 0)
			waitpid(*pid, NULL, 0); /* it sees EOF and exits */
		errno = saved;
		return -1;
	}
	*sock = sv[0];
	return 0;
}

int monitor_spare_start(const char *monitor_path, const char *lxcpath)
{
	g_spare.path = strdup(monitor_path);
	g_spare.lxcpath = strdup(lxcpath);
	g_spare.room = malloc(sizeof(PROC_TITLE_ROOM_VAR) + PROC_TITLE_ROOM + 1);
	if (!g_spare.path || !g_spare.lxcpath || !g_spare.room)
		return -1;
	size_t vlen = strlen(PROC_TITLE_ROOM_VAR);
	memcpy(g_spare.room, PROC_TITLE_ROOM_VAR "=", vlen + 1);
	memset(g_spare.room + vlen + 1, ' ', PROC_TITLE_ROOM);
	g_spare.room[vlen + 1 + PROC_TITLE_ROOM] = '\0';
	return monitor_spare_refill();
}

int monitor_spare_refill(void)
{
	pthread_mutex_lock(&g_spare.lock);
	bool skip = g_spare.pid > 0 || g_spare.refilling || g_spare.stopped || !g_spare.path;
	if (!skip)
		g_spare.refilling = true;
	pthread_mutex_unlock(&g_spare.lock);
	if (skip)
		return 0;
	pid_t pid;
	int sock, pidfd;
	int ret = spawn_spare(&pid, &sock, &pidfd);
	if (ret < 0)
		LOG_WARN("cannot spawn a spare container monitor: %s", strerror(errno));
	pthread_mutex_lock(&g_spare.lock);
	bool keep = ret == 0 && !g_spare.stopped;
	if (keep) {
		g_spare.pid = pid;
		g_spare.sock = sock;
		g_spare.pidfd = pidfd;
	}
	g_spare.refilling = false;
	pthread_mutex_unlock(&g_spare.lock);
	if (ret == 0 && !keep)
		reap(pid, sock, pidfd);
	return ret;
}

pid_t monitor_spare_take(int *sock, int *pidfd)
{
	pthread_mutex_lock(&g_spare.lock);
	pid_t pid = g_spare.pid;
	int s = g_spare.sock, pfd = g_spare.pidfd;
	g_spare.pid = 0;
	pthread_mutex_unlock(&g_spare.lock);
	if (pid <= 0)
		return -1;
	/* Gone meanwhile (killed): its zombie waits for us; the start spawns its own. */
	struct pollfd p = {.fd = pfd, .events = POLLIN};
	if (poll(&p, 1, 0) != 0) {
		reap(pid, s, pfd);
		return -1;
	}
	*sock = s;
	*pidfd = pfd;
	return pid;
}

void monitor_spare_stop(void)
{
	pthread_mutex_lock(&g_spare.lock);
	g_spare.stopped = true;
	pid_t pid = g_spare.pid;
	int s = g_spare.sock, pfd = g_spare.pidfd;
	g_spare.pid = 0;
	pthread_mutex_unlock(&g_spare.lock);
	if (pid > 0)
		reap(pid, s, pfd);
	/* The paths stay: a start still running may refill (and finds it stopped). */
}
