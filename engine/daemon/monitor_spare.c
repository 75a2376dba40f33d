#include "monitor_spare.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/fd_pass.h"
#include "core/log.h"
#include "core/proc_spawn.h"
#include "core/strv.h"
#include "engine/monitor_job.h"
#include "host/pid_pin.h"
#include "host/proc_title.h"

/* How long the forker may take to answer (a fork, under load) before it is given up. */
#define FORKER_REPLY_MS 5000
/* A forker that fails this many times in a row is not spawned again: spares are spawned. */
#define FORKER_MAX_FAILURES 3

static struct {
	pthread_mutex_t lock;
	bool refilling, stopped;
	char *path, *lxcpath;
	char *room; /* PROC_TITLE_ROOM_VAR=... */
	pid_t pid;  /* 0: none ready */
	int sock, pidfd;
} g_spare = {.lock = PTHREAD_MUTEX_INITIALIZER};

/* The forker: one request and its answer at a time. */
static struct {
	pthread_mutex_t lock;
	bool stopped;
	pid_t pid;
	int sock, failures;
} g_forker = {.lock = PTHREAD_MUTEX_INITIALIZER, .sock = -1};

void monitor_wait_gone(pid_t pid, int pidfd)
{
	int ret;
	do
		ret = waitpid(pid, NULL, 0);
	while (ret < 0 && errno == EINTR);
	if (ret >= 0 || errno != ECHILD || pidfd < 0)
		return;
	/* Not the daemon's child (a spare the forker made, which reaps it): gone once its pidfd
	 * says so. */
	struct pid_pin pin = {.pidfd = pidfd, .pid = pid};
	pid_pin_wait_exit(&pin, -1);
}

static void reap(pid_t pid, int sock, int pidfd)
{
	close(sock); /* EOF: a spare still waiting exits */
	monitor_wait_gone(pid, pidfd);
	close(pidfd);
}

/* isulad-monitor with argv, a new socket's end as MONITOR_JOB_FD and room for a job's command
 * line (proc_title_set): 0 with its pid and the daemon's end, or -1. */
static int spawn_monitor_with_sock(char *const argv[], pid_t *pid, int *sock)
{
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return -1;
	int null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	int fds[MONITOR_JOB_FD + 1] = {null_fd, null_fd, null_fd, sv[1]};
	char **env = strv_dup(environ);
	*pid = null_fd < 0 || !env || strv_push(&env, g_spare.room) < 0
	           ? -1
	           : spawn_with_fds_env(g_spare.path, argv, env, fds, MONITOR_JOB_FD + 1);
	int saved = errno;
	strv_free(env);
	if (null_fd >= 0)
		close(null_fd);
	close(sv[1]);
	if (*pid < 0) {
		close(sv[0]);
		errno = saved;
		return -1;
	}
	*sock = sv[0];
	return 0;
}

/* A spare of its own exec: 0 with its pid, socket and pidfd, or -1. */
static int spawn_spare(pid_t *pid, int *sock, int *pidfd)
{
	char *argv[] = {"isulad-monitor", "start", MONITOR_STANDBY_ARG, g_spare.lxcpath, NULL};
	if (spawn_monitor_with_sock(argv, pid, sock) < 0)
		return -1;
	*pidfd = (int)syscall(SYS_pidfd_open, *pid, 0);
	if (*pidfd < 0) {
		int saved = errno;
		close(*sock);
		waitpid(*pid, NULL, 0); /* it sees EOF and exits */
		errno = saved;
		return -1;
	}
	return 0;
}

/* EOF: the forker reaps the spares that ended and exits; one that does not within grace_ms
 * (stopped, stuck), or whose end cannot be watched, is killed. */
static void forker_close(int grace_ms)
{
	if (g_forker.sock < 0)
		return;
	close(g_forker.sock);
	g_forker.sock = -1;
	struct pid_pin pin = {.pidfd = (int)syscall(SYS_pidfd_open, g_forker.pid, 0),
	                      .pid = g_forker.pid};
	if (pin.pidfd < 0 || pid_pin_wait_exit(&pin, grace_ms) < 0)
		kill(g_forker.pid, SIGKILL);
	while (waitpid(g_forker.pid, NULL, 0) < 0 && errno == EINTR)
		;
	pid_pin_close(&pin);
	g_forker.pid = 0;
}

/* Asks the forker (spawned first when there is none) for a spare: 0 with its pid, socket and
 * pidfd; 1 when the forker did not answer (it is gone: killed, or stuck); -1. */
static int ask_forker(pid_t *pid, int *sock, int *pidfd)
{
	char *argv[] = {"isulad-monitor", MONITOR_FORKER_CMD, g_spare.lxcpath, NULL};
	if (g_forker.sock < 0 && spawn_monitor_with_sock(argv, &g_forker.pid, &g_forker.sock) < 0)
		return -1;
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return -1;
	char req = MONITOR_FORK_REQUEST;
	struct monitor_forked born = {0};
	int fds[FD_PASS_MAX];
	size_t nfds = 0;
	struct pollfd p = {.fd = g_forker.sock, .events = POLLIN};
	bool answered =
	    fd_pass_send(g_forker.sock, &req, 1, &sv[1], 1) == 0 &&
	    poll(&p, 1, FORKER_REPLY_MS) == 1 &&
	    fd_pass_recv(g_forker.sock, &born, sizeof(born), fds, &nfds) == (ssize_t)sizeof(born);
	close(sv[1]);
	if (answered && born.pid > 0 && nfds == 1) {
		*pid = born.pid;
		*sock = sv[0];
		*pidfd = fds[0];
		return 0;
	}
	for (size_t i = 0; i < nfds; i++)
		close(fds[i]);
	close(sv[0]);
	if (!answered) {
		forker_close(0); /* it had its time to answer */
		return 1;
	}
	errno = born.err;
	return -1;
}

/* A spare forked by the forker, which is spawned again once when it did not answer: 0 with its
 * pid, socket and pidfd, or -1 (the caller spawns one). */
static int fork_spare(pid_t *pid, int *sock, int *pidfd)
{
	pthread_mutex_lock(&g_forker.lock);
	int ret = 1;
	for (int tries = 0; ret == 1 && tries < 2; tries++) {
		if (g_forker.stopped || g_forker.failures >= FORKER_MAX_FAILURES) {
			errno = ECHILD;
			ret = -1;
			break;
		}
		ret = ask_forker(pid, sock, pidfd);
		if (ret != 0)
			g_forker.failures++;
		if (ret == 1)
			LOG_WARN("the spare monitors' forker did not answer: spawned again");
	}
	if (ret == 0)
		g_forker.failures = 0;
	pthread_mutex_unlock(&g_forker.lock);
	return ret == 0 ? 0 : -1;
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
	int ret = fork_spare(&pid, &sock, &pidfd);
	if (ret < 0)
		ret = spawn_spare(&pid, &sock, &pidfd);
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
	bool stopped = g_spare.stopped || !g_spare.path;
	pthread_mutex_unlock(&g_spare.lock);
	if (pid > 0) {
		/* Gone meanwhile (killed): one forked now instead. */
		struct pollfd p = {.fd = pfd, .events = POLLIN};
		if (poll(&p, 1, 0) == 0) {
			*sock = s;
			*pidfd = pfd;
			return pid;
		}
		reap(pid, s, pfd);
	}
	/* None ready (starts at once take spares faster than one is readied): forked for this
	 * start, a tenth of the exec the caller would do. */
	if (stopped || fork_spare(&pid, sock, pidfd) < 0)
		return -1;
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
	pthread_mutex_lock(&g_forker.lock);
	g_forker.stopped = true;
	forker_close(1000);
	pthread_mutex_unlock(&g_forker.lock);
	/* The paths stay: a start still running may refill (and finds it stopped). */
}
