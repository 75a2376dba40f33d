/* isulad-monitor spare-forker LXCPATH: forks the daemon's spare monitors (monitor_job.h). An
 * exec of isulad-monitor that loads liblxc costs about 1 ms of CPU (half of it the linking of
 * liblxc and its libraries); a fork of this process, which did that once, a tenth of it. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/fd_pass.h"
#include "engine/monitor_job.h"
#include "host/proc_title.h"
#include "liblxc_dl.h"
#include "monitor.h"

/* The forked spare: its job socket as MONITOR_JOB_FD, shown as a spare spawned for the job
 * would be, then standing by as one. */
static int become_spare(int job_sock, const sigset_t *mask, char **argv)
{
	sigprocmask(SIG_SETMASK, mask, NULL);
	if (dup2(job_sock, MONITOR_JOB_FD) < 0)
		return 1;
	close(job_sock);
	char title[4200];
	int n = snprintf(title, sizeof(title), "isulad-monitor%cstart%c%s%c%s", 0, 0,
	                 MONITOR_STANDBY_ARG, 0, argv[2]);
	if (n > 0 && (size_t)n < sizeof(title))
		proc_title_set(title, (size_t)n + 1, argv);
	return monitor_run_standby(argv, getppid());
}

static void reap_ended(void)
{
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
}

int monitor_spare_forker(char **argv)
{
	sigset_t chld, old;
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, &old);
	int sfd = signalfd(-1, &chld, SFD_CLOEXEC | SFD_NONBLOCK);
	if (sfd < 0) {
		fprintf(stderr, "isulad-monitor: spare-forker: signalfd: %s\n", strerror(errno));
		return 1;
	}
	/* The time zone read once here: a monitor dates its exit record after the container
	 * stopped, where a stop waits for it, and would read /etc/localtime first. */
	tzset();
	/* liblxc likewise, loaded here for every spare (the hooks, execs of this binary, do
	 * without it). */
	if (!liblxc_load())
		return 1;
	for (;;) {
		struct pollfd p[2] = {{.fd = MONITOR_JOB_FD, .events = POLLIN},
		                      {.fd = sfd, .events = POLLIN}};
		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			return 1;
		}
		if (p[1].revents) { /* spares that ended (monitors, or refused by the daemon) */
			struct signalfd_siginfo si;
			while (read(sfd, &si, sizeof(si)) > 0)
				;
			reap_ended();
		}
		if (!p[0].revents)
			continue;
		char req = 0;
		int fds[FD_PASS_MAX];
		size_t nfds = 0;
		ssize_t n = fd_pass_recv(MONITOR_JOB_FD, &req, 1, fds, &nfds);
		if (n == 0) {
			reap_ended(); /* the daemon went: no zombie left to another reaper */
			return 0;
		}
		if (n < 0 || req != MONITOR_FORK_REQUEST || nfds != 1) {
			for (size_t i = 0; i < nfds; i++)
				close(fds[i]);
			if (n < 0)
				return 1;
			continue;
		}
		pid_t pid = fork();
		if (pid == 0) {
			close(sfd);
			return become_spare(fds[0], &old, argv);
		}
		close(fds[0]);
		/* A pidfd taken before this process could reap it: never another's pid. */
		int pidfd = pid > 0 ? (int)syscall(SYS_pidfd_open, pid, 0) : -1;
		struct monitor_forked born = {.pid = pidfd >= 0 ? pid : 0, .err = errno};
		if (pid > 0 && pidfd < 0)
			kill(pid, SIGKILL);
		fd_pass_send(MONITOR_JOB_FD, &born, sizeof(born), &pidfd, pidfd >= 0 ? 1 : 0);
		if (pidfd >= 0)
			close(pidfd);
	}
}
