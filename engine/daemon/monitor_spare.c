#include "monitor_spare.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
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
#include "host/proc_traced.h"

static struct {
	pthread_mutex_t lock;
	pthread_cond_t wake;
	pthread_t thread;
	bool running, stopping;
	char *path, *lxcpath;
	char *room; /* PROC_TITLE_ROOM_VAR=... */
	pid_t pid; /* 0: none ready */
	int sock, pidfd;
	unsigned failures; /* spawns that failed in a row: the refiller waits longer */
} g_spare = {.lock = PTHREAD_MUTEX_INITIALIZER, .wake = PTHREAD_COND_INITIALIZER};

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
		saved = errno;
		if (*pid > 0) {
			close(sv[0]);
			waitpid(*pid, NULL, 0);
		} else {
			close(sv[0]);
		}
		errno = saved;
		return -1;
	}
	*sock = sv[0];
	return 0;
}

static void *refiller(void *arg)
{
	(void)arg;
	/* Spares are spawned from here at SCHED_IDLE (the child of posix_spawn has this
	 * thread's policy): its exec and loading take no cpu a start needs. A start never
	 * waits for this thread (monitor_spare_take only tries the lock). */
	struct sched_param none = {0};
	if (sched_setscheduler((pid_t)gettid(), SCHED_IDLE, &none) < 0)
		LOG_WARN("spare monitors spawn at the daemon's priority: %s", strerror(errno));
	pthread_mutex_lock(&g_spare.lock);
	while (!g_spare.stopping) {
		if (g_spare.pid > 0) {
			pthread_cond_wait(&g_spare.wake, &g_spare.lock);
			continue;
		}
		/* Not while a tracer is attached: strace -f was seen to wedge the daemon on the
		 * vfork of a spawn in a thread of its own while other threads were traced. */
		if (proc_traced()) {
			struct timespec until;
			clock_gettime(CLOCK_REALTIME, &until);
			until.tv_sec += 1;
			pthread_cond_timedwait(&g_spare.wake, &g_spare.lock, &until);
			continue;
		}
		pthread_mutex_unlock(&g_spare.lock);
		pid_t pid;
		int sock, pidfd;
		int ret = spawn_spare(&pid, &sock, &pidfd);
		if (ret < 0)
			LOG_WARN("cannot spawn a spare container monitor: %s", strerror(errno));
		pthread_mutex_lock(&g_spare.lock);
		if (ret == 0 && !g_spare.stopping) {
			g_spare.pid = pid;
			g_spare.sock = sock;
			g_spare.pidfd = pidfd;
			g_spare.failures = 0;
		} else if (ret == 0) {
			pthread_mutex_unlock(&g_spare.lock);
			reap(pid, sock, pidfd);
			pthread_mutex_lock(&g_spare.lock);
		} else {
			/* Starts spawn their own meanwhile; try again later, not in a loop. */
			g_spare.failures++;
			struct timespec until;
			clock_gettime(CLOCK_REALTIME, &until);
			until.tv_sec += g_spare.failures < 10 ? g_spare.failures : 10;
			pthread_cond_timedwait(&g_spare.wake, &g_spare.lock, &until);
		}
	}
	pthread_mutex_unlock(&g_spare.lock);
	return NULL;
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
	/* The default mask of the daemon's threads: the stop signals are for main's sigwait. */
	if (pthread_create(&g_spare.thread, NULL, refiller, NULL) != 0)
		return -1;
	g_spare.running = true;
	return 0;
}

pid_t monitor_spare_take(int *sock, int *pidfd)
{
	if (pthread_mutex_trylock(&g_spare.lock) != 0)
		return -1; /* the refiller has it: the start spawns its own */
	pid_t pid = g_spare.pid;
	int s = g_spare.sock, pfd = g_spare.pidfd;
	g_spare.pid = 0;
	if (pid > 0)
		pthread_cond_signal(&g_spare.wake);
	pthread_mutex_unlock(&g_spare.lock);
	if (pid <= 0)
		return -1;
	/* Gone meanwhile (killed): its zombie waits for us; the start spawns its own. Else it
	 * leaves SCHED_IDLE now, whether or not its exec is done: on a busy host an idle-class
	 * process may wait long for a cpu, and the start waits for it. */
	struct pollfd p = {.fd = pfd, .events = POLLIN};
	struct sched_param none = {0};
	if (poll(&p, 1, 0) != 0 || sched_setscheduler(pid, SCHED_OTHER, &none) < 0) {
		reap(pid, s, pfd);
		return -1;
	}
	*sock = s;
	*pidfd = pfd;
	return pid;
}

void monitor_spare_stop(void)
{
	if (!g_spare.running)
		return;
	pthread_mutex_lock(&g_spare.lock);
	g_spare.stopping = true;
	pthread_cond_signal(&g_spare.wake);
	pthread_mutex_unlock(&g_spare.lock);
	pthread_join(g_spare.thread, NULL);
	g_spare.running = false;
	if (g_spare.pid > 0)
		reap(g_spare.pid, g_spare.sock, g_spare.pidfd);
	g_spare.pid = 0;
	free(g_spare.path);
	free(g_spare.lxcpath);
	free(g_spare.room);
	g_spare.path = g_spare.lxcpath = g_spare.room = NULL;
}
