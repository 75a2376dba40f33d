/* `isulad-monitor exec`: runs one command inside a running container (liblxc attach) with
 * the stdio it was given, and exits with the command's exit code (128+N for a signal). With
 * --tty its stdio is a pty: it becomes its controlling terminal, and the command gets a pty
 * of the container's own devpts, copied to and from by exec_tty.c (window size included).
 * With --term-kills (the daemon's health checks) the command leads a process group of its
 * own, and a SIGTERM to the helper SIGKILLs that group: a check past its timeout ends with
 * whatever it started; --started-fd gets a byte once the command runs (its timeout starts
 * then, as Docker's). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <lxc/attach_options.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/fileutil.h"
#include "exec_tty.h"
#include "liblxc_dl.h"
#include "monitor.h"
#include "core/strv.h"

#define EXEC_USAGE                                                                                 \
	"usage: isulad-monitor exec NAME LXCPATH [--tty] [--uid N --gid N] [--cwd DIR] "           \
	"[--groups GID,...] [--env-fd FD] [--term-kills [--started-fd FD]] -- ARGV...\n"

#define ENV_MAX (64 << 20) /* bound on the environment read from the daemon */

struct exec_args {
	const char *name, *lxcpath, *cwd;
	bool tty;
	bool term_kills;
	int started_fd; /* --term-kills: written once the command runs, then closed */
	long uid, gid;
	const char *groups; /* supplementary gids, comma separated; NULL: none */
	int env_fd; /* NUL-separated KEY=VALUE entries (not on argv: anyone can read that) */
	char **env;
	char **argv;
};

static int parse_exec_args(int argc, char **argv, struct exec_args *a)
{
	memset(a, 0, sizeof(*a));
	a->uid = a->gid = a->env_fd = a->started_fd = -1;
	if (argc < 2)
		return -1;
	a->name = argv[0];
	a->lxcpath = argv[1];
	for (int i = 2; i < argc; i++) {
		const char *o = argv[i];
		bool has_value = i + 1 < argc;
		if (strcmp(o, "--") == 0) {
			a->argv = argv + i + 1;
			return a->argv[0] ? 0 : -1;
		} else if (strcmp(o, "--tty") == 0) {
			a->tty = true;
		} else if (strcmp(o, "--term-kills") == 0) {
			a->term_kills = true;
		} else if (strcmp(o, "--started-fd") == 0 && has_value) {
			a->started_fd = (int)strtol(argv[++i], NULL, 10);
		} else if (strcmp(o, "--uid") == 0 && has_value) {
			a->uid = strtol(argv[++i], NULL, 10);
		} else if (strcmp(o, "--gid") == 0 && has_value) {
			a->gid = strtol(argv[++i], NULL, 10);
		} else if (strcmp(o, "--groups") == 0 && has_value) {
			a->groups = argv[++i];
		} else if (strcmp(o, "--cwd") == 0 && has_value) {
			a->cwd = argv[++i];
		} else if (strcmp(o, "--env-fd") == 0 && has_value) {
			a->env_fd = (int)strtol(argv[++i], NULL, 10);
		} else {
			return -1;
		}
	}
	return -1;
}

/* Reads the environment the daemon passed on fd, and closes fd (the command must not
 * inherit it). */
static int read_env_fd(int fd, char ***env)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	size_t len = 0;
	char *buf = read_file(path, ENV_MAX, &len);
	close(fd);
	if (!buf)
		return -1;
	for (size_t at = 0; at < len; at += strlen(buf + at) + 1) {
		if (strv_push(env, buf + at) < 0) {
			free(buf);
			return -1;
		}
	}
	free(buf);
	return 0;
}

/* "1,2,3" into gids; 0, or -1 for anything else (a non-number, too many). */
static int parse_groups(const char *text, gid_t *gids, size_t max, size_t *n)
{
	*n = 0;
	for (const char *p = text && *text ? text : NULL; p;) {
		char *end;
		errno = 0;
		unsigned long v = strtoul(p, &end, 10);
		if (errno || end == p || v > 0xfffffffeUL || *p == '-' || *n == max ||
		    (*end && *end != ','))
			return -1;
		gids[(*n)++] = (gid_t)v;
		p = *end ? end + 1 : NULL;
	}
	return 0;
}

static volatile sig_atomic_t g_group = 0; /* the command's process group, once it runs */

static void kill_group(int sig)
{
	pid_t group = g_group;
	if (group > 0) {
		kill(-group, SIGKILL);
		kill(group, SIGKILL); /* before its setpgid, if it is that early */
	}
}

/* In the attached child, inside the container: a group of its own, then the command. */
static int run_in_own_group(void *payload)
{
	sigset_t term;
	sigemptyset(&term);
	sigaddset(&term, SIGTERM);
	setpgid(0, 0);
	sigprocmask(SIG_UNBLOCK, &term, NULL); /* blocked by the helper until it knows our pid */
	return liblxc_load()->attach_run_command(payload); /* loaded before the attach */
}

/* attach_run_wait with the command in a group of its own that SIGTERM kills; started_fd
 * (if >= 0) gets a byte once it runs, and is closed. */
static int run_killable(struct lxc_container *c, lxc_attach_options_t *opts, char **argv,
                        int started_fd)
{
	sigset_t term;
	sigemptyset(&term);
	sigaddset(&term, SIGTERM);
	struct sigaction sa = {.sa_handler = kill_group};
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigprocmask(SIG_BLOCK, &term, NULL);
	lxc_attach_command_t command = {.program = argv[0], .argv = argv};
	pid_t pid = -1;
	int ret = c->attach(c, run_in_own_group, &command, opts, &pid);
	if (ret < 0 || pid <= 0) {
		sigprocmask(SIG_UNBLOCK, &term, NULL);
		if (started_fd >= 0)
			close(started_fd); /* its end: the daemon stops waiting for the start */
		return -1;
	}
	setpgid(pid, pid); /* both sides set it: whichever runs first */
	g_group = pid;
	sigprocmask(SIG_UNBLOCK, &term, NULL);
	if (started_fd >= 0) {
		signal(SIGPIPE, SIG_IGN); /* the command has its own (forked before this) */
		if (write(started_fd, "s", 1) < 0) {
			/* the daemon gave up waiting: its SIGTERM comes next */
		}
		close(started_fd);
	}
	/* Waited for without reaping it, so that no SIGTERM can reach a reused pid. */
	siginfo_t si;
	int ret_wait;
	while ((ret_wait = waitid(P_PID, (id_t)pid, &si, WEXITED | WNOWAIT)) < 0 && errno == EINTR)
		;
	sigprocmask(SIG_BLOCK, &term, NULL);
	g_group = 0;
	int status = 0;
	if (ret_wait < 0 || waitpid(pid, &status, 0) < 0)
		return -1;
	return status;
}

int monitor_exec(int argc, char **argv)
{
	struct exec_args a;
	if (parse_exec_args(argc, argv, &a) < 0) {
		fputs(EXEC_USAGE, stderr);
		return 2;
	}
	if (a.env_fd >= 0 && read_env_fd(a.env_fd, &a.env) < 0) {
		fprintf(stderr, "cannot read the environment from fd %d: %s\n", a.env_fd,
		        strerror(errno));
		strv_free(a.env);
		return 126;
	}
	if (a.started_fd >= 0 && (!a.term_kills || fcntl(a.started_fd, F_SETFD, FD_CLOEXEC) < 0)) {
		close(
		    a.started_fd); /* only --term-kills tells the start; the command never has it */
		a.started_fd = -1;
	}
	if (a.tty) {
		/* A session of our own with the pty as its terminal: the daemon's resizes of the
		 * pty then reach liblxc's copier as SIGWINCH. */
		setsid();
		ioctl(0, TIOCSCTTY, 0);
	}
	const struct liblxc *lxc = liblxc_load();
	if (!lxc) {
		strv_free(a.env);
		return 126;
	}
	struct lxc_container *c = lxc->container_new(a.name, a.lxcpath);
	if (!c || !c->is_running(c)) {
		fprintf(stderr, "container %s is not running\n", a.name);
		if (c)
			lxc->container_put(c);
		strv_free(a.env);
		return 126;
	}
	lxc_attach_options_t opts = LXC_ATTACH_OPTIONS_DEFAULT;
	opts.env_policy = LXC_ATTACH_CLEAR_ENV;
	opts.extra_env_vars = a.env;
	if (a.uid >= 0)
		opts.uid = (uid_t)a.uid;
	if (a.gid >= 0)
		opts.gid = (gid_t)a.gid;
	gid_t gids[256];
	if (parse_groups(a.groups, gids, sizeof(gids) / sizeof(gids[0]), &opts.groups.size) < 0) {
		fprintf(stderr, "invalid --groups %s\n", a.groups);
		lxc->container_put(c);
		strv_free(a.env);
		return 126;
	}
	/* Always set: without the flag liblxc keeps none, with an empty list likewise. */
	opts.groups.list = gids;
	opts.attach_flags |= LXC_ATTACH_SETGROUPS;
	opts.initial_cwd = (char *)a.cwd;
	int status = a.tty ? exec_tty_run(c, &opts, a.argv)
	             : a.term_kills
	                 ? run_killable(c, &opts, a.argv, a.started_fd)
	                 : c->attach_run_wait(c, &opts, a.argv[0], (const char *const *)a.argv);
	lxc->container_put(c);
	strv_free(a.env);
	if (status < 0)
		return 126;
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}
