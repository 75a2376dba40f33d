#include "exec_session.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "core/fileutil.h"
#include "core/idgen.h"
#include "core/log.h"
#include "host/passwd.h"
#include "host/rootfs_path.h"
#include "runtime.h"
#include "core/proc_spawn.h"
#include "store.h"
#include "core/strbuf.h"
#include "core/strv.h"
#include "events.h"

#define DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
#define KEEP_FINISHED_S 300 /* finished sessions stay inspectable this long */

static struct exec_session *g_sessions; /* under the store lock */

static void session_free(struct exec_session *s)
{
	strv_free(s->cmd);
	strv_free(s->env);
	free(s->user);
	free(s->workdir);
	store_put(s->c);
	free(s);
}

void exec_session_put(struct exec_session *s)
{
	if (!s)
		return;
	store_lock();
	bool last = --s->refs == 0;
	store_unlock();
	if (last)
		session_free(s);
}

/* Drops finished sessions nobody has looked at for a while (lock held). */
static void prune_locked(void)
{
	time_t now = time(NULL);
	struct exec_session **pp = &g_sessions;
	while (*pp) {
		struct exec_session *s = *pp;
		/* A health check's, nobody asks after: at once (one every interval). */
		bool stale = s->started && !s->running &&
		             (now - s->finished > KEEP_FINISHED_S || s->health_check);
		if ((stale || s->c->removed) && s->refs == 1) {
			*pp = s->next;
			s->refs = 0;
			store_unlock();
			session_free(s);
			store_lock();
			pp = &g_sessions; /* the list may have changed meanwhile */
			continue;
		}
		pp = &s->next;
	}
}

static bool container_running(const struct container *c)
{
	return c->state.status == STATUS_RUNNING && c->state.pid > 0;
}

struct exec_session *exec_session_new(struct container *c, char **cmd, char **env, const char *user,
                                      const char *workdir, bool tty, bool in, bool out,
                                      bool err_stream, struct error *e)
{
	if (!cmd || !cmd[0]) {
		error_set(e, ERR_INVALID, "No exec command specified");
		return NULL;
	}
	if (!cmd[0][0]) {
		error_set(e, ERR_INVALID, "No exec command specified: the command is empty");
		return NULL;
	}
	store_lock();
	bool running = container_running(c);
	store_unlock();
	if (!running) {
		error_set(e, ERR_NOT_RUNNING, "Exec container error; Container is not running:%s",
		          c->id);
		return NULL;
	}
	struct exec_session *s = calloc(1, sizeof(*s));
	if (!s || idgen_random_hex(s->id) < 0) {
		free(s);
		error_set(e, ERR_INTERNAL, "cannot create an exec instance: %s", strerror(errno));
		return NULL;
	}
	s->cmd = strv_dup(cmd);
	s->env = strv_dup(env);
	s->user = user && *user ? strdup(user) : NULL;
	s->workdir = workdir && *workdir ? strdup(workdir) : NULL;
	s->tty = tty;
	s->attach_stdin = in;
	s->attach_stdout = out;
	s->attach_stderr = err_stream && !tty; /* a tty merges stderr into its one stream */
	s->pty_master = -1;
	s->c = c;
	store_lock();
	c->refs++;
	prune_locked();
	s->refs = 2; /* the list's and the caller's */
	s->next = g_sessions;
	g_sessions = s;
	store_unlock();
	return s;
}

struct exec_session *exec_session_get(const char *id)
{
	size_t n = strlen(id);
	struct exec_session *found = NULL;
	store_lock();
	for (struct exec_session *s = g_sessions; s; s = s->next) {
		if (strncmp(s->id, id, n) == 0 && n > 0) {
			found = s;
			if (n == CONTAINER_ID_LEN)
				break;
		}
	}
	if (found)
		found->refs++;
	store_unlock();
	return found;
}

/* The container's environment, then the session's (which wins), then defaults. */
static char **session_env(const struct exec_session *s)
{
	char **env = NULL;
	char **lists[2] = {s->c->config.env, s->env};
	for (int l = 0; l < 2; l++) {
		for (size_t i = 0; lists[l] && lists[l][i]; i++) {
			const char *eq = strchr(lists[l][i], '=');
			size_t klen = eq ? (size_t)(eq - lists[l][i]) : strlen(lists[l][i]);
			int at = strv_find_env(env, lists[l][i], klen);
			if (at >= 0) {
				free(env[at]);
				env[at] = strdup(lists[l][i]);
			} else {
				strv_push(&env, lists[l][i]);
			}
		}
	}
	if (strv_find_env(env, "PATH", 4) < 0)
		strv_push(&env, "PATH=" DEFAULT_PATH);
	if (s->c->config.hostname && strv_find_env(env, "HOSTNAME", 8) < 0)
		strv_pushf(&env, "HOSTNAME=%s", s->c->config.hostname);
	if (s->tty && strv_find_env(env, "TERM", 4) < 0)
		strv_push(&env, "TERM=xterm");
	return env;
}

/* Checks the command and resolves -u in the container's own view of its root. -1 with e:
 * ERR_CMD_NOT_FOUND when the executable is not there, else ERR_CMD_CANNOT_RUN. */
/* Who the command runs as: -u (or the container's user) in the container's own files, with
 * the user's supplementary groups and the container's --group-add. */
struct exec_ids {
	uid_t uid;
	gid_t gid;
	gid_t groups[USER_GROUPS_MAX];
	size_t n_groups;
};

static int check_in_container(const struct exec_session *s, char **env, struct exec_ids *ids,
                              struct error *e)
{
	/* The init pinned through liblxc, its root opened through the pin: never the root of a
	 * process that reused a stored pid. */
	struct pid_pin pin;
	int rootfd = -1;
	if (runtime_pin_init(s->c->id, &pin) == 0) {
		rootfd = pid_pin_openat(&pin, "root", O_PATH | O_DIRECTORY);
		pid_pin_close(&pin);
	}
	if (rootfd < 0)
		return error_set(e, ERR_CMD_CANNOT_RUN,
		                 "Exec container error; Container is not running:%s", s->c->id);
	int ret = 0, fd = -1;
	const char *cwd;
	int p = strv_find_env(env, "PATH", 4);
	if (!rootfs_find_executable(rootfd, s->cmd[0], p >= 0 ? env[p] + 5 : DEFAULT_PATH)) {
		ret = error_set(e, ERR_CMD_NOT_FOUND,
		                "exec failed: unable to start container process: exec: \"%s\": "
		                "executable file not found in $PATH",
		                s->cmd[0]);
	} else if ((cwd = s->workdir ? s->workdir : s->c->config.workdir) &&
	           (fd = rootfs_open(rootfd, cwd, O_PATH | O_DIRECTORY, 0)) < 0) {
		ret = error_set(
		    e, ERR_CMD_CANNOT_RUN,
		    "exec failed: unable to start container process: chdir to cwd (\"%s\"): %s",
		    cwd, strerror(errno));
	} else {
		char *passwd = NULL, *group = NULL;
		char msg[512];
		const char *user = s->user ? s->user : s->c->config.user;
		ret = rootfs_read_user_db(rootfd, &passwd, &group, msg, sizeof(msg));
		if (ret == 0 && s->user)
			ret = user_spec_resolve(s->user, passwd, group, &ids->uid, &ids->gid, msg,
			                        sizeof(msg));
		if (ret == 0)
			ret = user_groups_resolve(user, passwd, group, s->c->host.sec.group_add,
			                          ids->groups, USER_GROUPS_MAX, &ids->n_groups, msg,
			                          sizeof(msg));
		if (ret < 0)
			error_set(e, ERR_CMD_CANNOT_RUN, "exec failed: %s", msg);
		free(passwd);
		free(group);
	}
	if (fd >= 0)
		close(fd);
	close(rootfd);
	return ret;
}

static char **helper_argv(const struct exec_session *s, const struct exec_ids *ids)
{
	char **argv = NULL, num[32];
	strv_push(&argv, "isulad-monitor");
	strv_push(&argv, "exec");
	strv_push(&argv, s->c->id);
	strv_push(&argv, g_paths.lxcpath);
	if (s->tty)
		strv_push(&argv, "--tty");
	if (s->health_check) {
		strv_push(&argv, "--term-kills");
		strv_push(&argv, "--started-fd");
		strv_push(&argv, "4");
	}
	if (s->user) {
		snprintf(num, sizeof(num), "%u", (unsigned)ids->uid);
		strv_push(&argv, "--uid");
		strv_push(&argv, num);
		snprintf(num, sizeof(num), "%u", (unsigned)ids->gid);
		strv_push(&argv, "--gid");
		strv_push(&argv, num);
	}
	char list[USER_GROUPS_MAX * 11];
	user_groups_format(ids->groups, ids->n_groups, list, sizeof(list));
	strv_push(&argv, "--groups");
	strv_push(&argv, list);
	const char *cwd = s->workdir ? s->workdir : s->c->config.workdir;
	if (cwd) {
		strv_push(&argv, "--cwd");
		strv_push(&argv, cwd);
	}
	/* The environment (secrets, often) comes on fd 3, never on argv: any host user can
	 * read a command line. */
	strv_push(&argv, "--env-fd");
	strv_push(&argv, "3");
	strv_push(&argv, "--");
	for (size_t i = 0; s->cmd[i]; i++)
		strv_push(&argv, s->cmd[i]);
	return argv;
}

static int open_pty(int *master, int *slave)
{
	*master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (*master < 0)
		return -1;
	char name[128];
	if (grantpt(*master) < 0 || unlockpt(*master) < 0 ||
	    ptsname_r(*master, name, sizeof(name)) != 0 ||
	    (*slave = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC)) < 0) {
		close(*master);
		return -1;
	}
	/* Only a relay: the command's own pty, in the container, does the terminal's work
	 * (echo, \n to \r\n). With ONLCR this one would turn that \r\n into \r\r\n on its way
	 * out: liblxc turns OPOST back on here but keeps the ONLCR it finds. */
	struct termios t;
	if (tcgetattr(*slave, &t) == 0) {
		cfmakeraw(&t);
		t.c_oflag &= ~(tcflag_t)ONLCR;
		tcsetattr(*slave, TCSANOW, &t);
	}
	return 0;
}

/* Child stdio (cin/cout/cerr) and our ends (io) for the session's streams. */
static int make_stdio(const struct exec_session *s, bool detach, int child[3],
                      struct exec_stdio *io)
{
	io->in = io->out = io->err = -1;
	child[0] = child[1] = child[2] = -1;
	if (s->tty) {
		int master, slave;
		if (open_pty(&master, &slave) < 0)
			return -1;
		io->in = io->out = master;
		/* The client's terminal size from the start: a command that asks at once (stty
		 * size) must not see 0x0 before the first resize arrives. */
		if (s->rows && s->cols) {
			struct winsize ws = {.ws_row = s->rows, .ws_col = s->cols};
			ioctl(master, TIOCSWINSZ, &ws);
		}
		child[0] = slave;
		child[1] = dup(slave);
		child[2] = dup(slave);
		return 0;
	}
	int null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (null_fd < 0)
		return -1;
	bool want[3] = {s->attach_stdin && !detach, s->attach_stdout && !detach,
	                s->attach_stderr && !detach};
	int *ours[3] = {&io->in, &io->out, &io->err};
	for (int i = 0; i < 3; i++) {
		int p[2];
		if (!want[i]) {
			child[i] = dup(null_fd);
			continue;
		}
		if (pipe2(p, O_CLOEXEC) < 0)
			break;
		child[i] = i == 0 ? p[0] : p[1];
		*ours[i] = i == 0 ? p[1] : p[0];
	}
	close(null_fd);
	return child[0] >= 0 && child[1] >= 0 && child[2] >= 0 ? 0 : -1;
}

static void close_fds(int *fds, int n)
{
	for (int i = 0; i < n; i++) {
		if (fds[i] >= 0)
			close(fds[i]);
		fds[i] = -1;
	}
}

/* A sealed memfd holding env as NUL-terminated KEY=VALUE entries, read from the start; only
 * root (the helper's owner) can open it through /proc. -1 with errno set. */
static int env_memfd(char **env)
{
	int fd = memfd_create("isulad-exec-env", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (fd < 0)
		return -1;
	for (size_t i = 0; env && env[i]; i++) {
		if (fd_write_all(fd, env[i], strlen(env[i]) + 1) < 0)
			goto fail;
	}
	if (fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE | F_SEAL_GROW | F_SEAL_SHRINK | F_SEAL_SEAL) < 0 ||
	    lseek(fd, 0, SEEK_SET) < 0)
		goto fail;
	return fd;
fail : {
	int saved = errno;
	close(fd);
	errno = saved;
	return -1;
}
}

/* started_w: fd 4 of the helper (--started-fd), or -1. */
static pid_t spawn_helper(char **argv, const int child[3], char **env, int started_w)
{
	int envfd = env_memfd(env);
	if (envfd < 0)
		return -1;
	int fds[5] = {child[0], child[1], child[2], envfd, started_w};
	pid_t pid = spawn_with_fds(g_runtime.monitor_path, argv, fds, started_w >= 0 ? 5 : 4);
	int saved = errno;
	close(envfd);
	errno = saved;
	return pid;
}

/* exec_die, with the exit code, once the command's end is recorded (store lock not held). */
static void emit_exec_die(struct exec_session *s)
{
	char code[16];
	store_lock();
	snprintf(code, sizeof(code), "%d", s->exit_code);
	store_unlock();
	events_emit(s->c, "exec_die", "execID", s->id, "exitCode", code, NULL);
}

int exec_session_start(struct exec_session *s, bool detach, struct exec_stdio *io, struct error *e)
{
	io->in = io->out = io->err = io->started = -1;
	store_lock();
	bool was_started = s->started;
	bool running = container_running(s->c);
	if (!was_started && running)
		s->started = s->running = true;
	store_unlock();
	if (was_started)
		return error_set(e, ERR_CONFLICT, "Exec command %s has already run", s->id);
	if (!running)
		return error_set(e, ERR_NOT_RUNNING,
		                 "Exec container error; Container is not running:%s", s->c->id);
	char **env = session_env(s);
	struct exec_ids ids = {0};
	int child[3] = {-1, -1, -1};
	char **argv = NULL;
	int ret = -1, fail_code = 126;
	if (check_in_container(s, env, &ids, e) < 0) {
		fail_code = error_exit_code(e->code);
		ret = -2;
		goto out;
	}
	if (make_stdio(s, detach, child, io) < 0) {
		error_set(e, ERR_INTERNAL, "cannot set up the exec's stdio: %s", strerror(errno));
		goto out;
	}
	int started[2] = {-1, -1};
	if (s->health_check && pipe2(started, O_CLOEXEC) < 0) {
		error_set(e, ERR_INTERNAL, "cannot set up the exec's stdio: %s", strerror(errno));
		goto out;
	}
	io->started = started[0];
	argv = helper_argv(s, &ids);
	pid_t pid = spawn_helper(argv, child, env, started[1]);
	if (started[1] >= 0)
		close(started[1]);
	if (pid < 0) {
		error_set(e, ERR_INTERNAL, "cannot start the exec helper: %s", strerror(errno));
		goto out;
	}
	store_lock();
	s->pid = pid;
	s->pty_master = s->tty ? io->out : -1;
	store_unlock();
	log_msg(s->health_check ? LOG_LVL_DEBUG : LOG_LVL_INFO, "exec %s in %s: pid %d", s->id,
	        s->c->id, (int)pid);
	ret = 0;
	if (detach)
		exec_session_finish(s, io, false);
out:
	close_fds(child, 3);
	if (ret < 0) {
		int ours[4] = {io->in, io->out == io->in ? -1 : io->out, io->err, io->started};
		close_fds(ours, 4);
		io->in = io->out = io->err = io->started = -1;
		store_lock();
		s->running = false;
		s->exit_code = fail_code;
		s->finished = time(NULL);
		store_unlock();
		if (ret == -2) /* it was started: the command could not run */
			emit_exec_die(s);
	}
	strv_free(argv);
	strv_free(env);
	return ret;
}

char *exec_session_action(const struct exec_session *s, const char *what)
{
	struct strbuf b = {0};
	strbuf_printf(&b, "%s:", what);
	/* Docker's "exec_create: ls -l"; a long command line is cut, events stay small. */
	for (size_t i = 0; s->cmd && s->cmd[i] && b.len < EXEC_ACTION_MAX; i++)
		strbuf_printf(&b, " %s", s->cmd[i]);
	if (b.data && b.len > EXEC_ACTION_MAX)
		b.data[EXEC_ACTION_MAX] = '\0';
	return b.data;
}

struct finisher {
	struct exec_session *s;
	struct exec_stdio io;
};

static void drain(int fd)
{
	char buf[4096];
	if (fd < 0)
		return;
	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));
		if (n > 0 || (n < 0 && errno == EINTR))
			continue;
		if (n < 0 && errno == EAGAIN) { /* the relay made a pty master non-blocking */
			struct pollfd p = {.fd = fd, .events = POLLIN};
			poll(&p, 1, -1);
			continue;
		}
		return; /* EOF, or EIO once a pty's last slave is closed */
	}
}

static void finish_now(struct exec_session *s, struct exec_stdio *io)
{
	bool shared = io->in == io->out;
	if (io->in >= 0 && !shared)
		close(io->in); /* end of input for a pipe */
	drain(io->out);
	drain(io->err);
	int status = 0;
	while (waitpid(s->pid, &status, 0) < 0 && errno == EINTR)
		;
	exec_session_ended(s, status); /* first: a resize must not reach a closed pty */
	if (io->out >= 0)
		close(io->out);
	if (io->err >= 0)
		close(io->err);
	io->in = io->out = io->err = -1;
}

void exec_session_ended(struct exec_session *s, int status)
{
	store_lock();
	s->running = false;
	s->pty_master = -1;
	s->exit_code = WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
	s->finished = time(NULL);
	store_broadcast();
	store_unlock();
	log_msg(s->health_check ? LOG_LVL_DEBUG : LOG_LVL_INFO, "exec %s in %s exited with %d",
	        s->id, s->c->id, s->exit_code);
	emit_exec_die(s);
}

static void *finish_thread(void *arg)
{
	struct finisher *f = arg;
	finish_now(f->s, &f->io);
	exec_session_put(f->s);
	free(f);
	return NULL;
}

void exec_session_finish(struct exec_session *s, struct exec_stdio *io, bool wait)
{
	if (wait) {
		finish_now(s, io);
		return;
	}
	struct finisher *f = malloc(sizeof(*f));
	pthread_t t;
	pthread_attr_t attr;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	if (f) {
		f->s = s;
		f->io = *io;
		store_lock();
		s->refs++;
		store_unlock();
	}
	if (!f || pthread_create(&t, &attr, finish_thread, f) != 0) {
		if (f) {
			exec_session_put(s);
			free(f);
		}
		finish_now(s, io);
	}
	io->in = io->out = io->err = -1;
	pthread_attr_destroy(&attr);
}

int exec_session_resize(struct exec_session *s, unsigned short rows, unsigned short cols)
{
	struct winsize ws = {.ws_row = rows, .ws_col = cols};
	store_lock();
	int ret = s->pty_master >= 0 ? ioctl(s->pty_master, TIOCSWINSZ, &ws) : -1;
	store_unlock();
	return ret;
}
