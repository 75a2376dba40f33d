#include "runtime.h"
#include "rootfs_block.h"
#include "core/proc_spawn.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <lxc/lxccontainer.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "host/cgroup_info.h"
#include "container_cgroup.h"
#include "container_net.h"
#include "ipc_shm.h"
#include "events.h"
#include "health.h"
#include "engine/exit_record.h"
#include "engine/net_gate.h"
#include "core/fileutil.h"
#include "core/idgen.h"
#include "core/json.h"
#include "core/log.h"
#include "core/durable_batch.h"
#include "core/fd_pass.h"
#include "core/phase_timer.h"
#include "log_config.h"
#include "lxc_config.h"
#include "engine/monitor_job.h"
#include "monitor_spare.h"
#include "engine/oci_hook_exec.h"
#include "oci_spec.h"
#include "rootfs_files.h"
#include "host/passwd.h"
#include "host/rootfs_path.h"
#include "store.h"
#include "core/strv.h"
#include "sysopt.h"

struct runtime_settings g_runtime;

static struct lxc_container *open_lxc(const char *id)
{
	struct lxc_container *ct = lxc_container_new(id, g_paths.lxcpath);
	if (!ct)
		LOG_ERROR("liblxc cannot open container %s", id);
	return ct;
}

pid_t runtime_init_pid(const char *id)
{
	struct lxc_container *ct = open_lxc(id);
	pid_t pid = ct ? ct->init_pid(ct) : -1;
	if (ct)
		lxc_container_put(ct);
	return pid;
}

int runtime_pin_init(const char *id, struct pid_pin *pin)
{
	/* A pidfd from liblxc's monitor, which holds the init as its child: no pid is looked up,
	 * so none can have been reused. */
	struct lxc_container *ct = open_lxc(id);
	int fd = ct && ct->is_running(ct) ? ct->init_pidfd(ct) : -1;
	if (ct)
		lxc_container_put(ct);
	if (fd < 0) {
		pin->pidfd = -1;
		errno = ESRCH;
		return -1;
	}
	return pid_pin_adopt(fd, pin);
}

/* A prestart hook's error, which the hook runner leaves in the state dir. */
static bool read_hook_error(const char *state_dir, char *out, size_t outlen)
{
	char *path = path_join(state_dir, OCI_HOOK_ERROR_FILE);
	char *text = path ? read_file(path, 8192, NULL) : NULL;
	bool found = text && *text;
	if (found)
		snprintf(out, outlen, "%s", text);
	free(text);
	free(path);
	return found;
}

/* Why this start failed: a prestart hook's error, else the first ERROR line liblxc logged: the
 * cause (the later ones are its consequences, down to "Failed to receive file descriptors"). */
static void start_failure_reason(const char *state_dir, char *out, size_t outlen)
{
	if (read_hook_error(state_dir, out, outlen))
		return;
	char *path = path_join(state_dir, "lxc.log");
	char *text = path ? read_file(path, 1 << 20, NULL) : NULL;
	const char *best = NULL;
	for (char *line = text ? strtok(text, "\n") : NULL; line; line = strtok(NULL, "\n")) {
		if (!best && strstr(line, " ERROR "))
			best = line;
	}
	if (best) {
		const char *msg = strstr(best, " - ");
		snprintf(out, outlen, "%s", msg ? msg + 3 : best);
	}
	free(text);
	free(path);
}

static char **build_argv(const struct container *c)
{
	char **argv = NULL;
	for (size_t i = 0; c->config.entrypoint && c->config.entrypoint[i]; i++)
		strv_push(&argv, c->config.entrypoint[i]);
	for (size_t i = 0; c->config.cmd && c->config.cmd[i]; i++)
		strv_push(&argv, c->config.cmd[i]);
	return argv;
}

/* Monitor options for the init's stdio: the json-file log (non-tty, logging on) and stdin. */
static void push_stdio_options(char ***margv, const struct container *c, const char *state_dir)
{
	struct container_log_settings ls;
	log_config_settings(&c->host, &ls);
	if (!c->config.tty && !ls.disabled) {
		char *log = log_config_path(c->id);
		char num[32];
		strv_push(margv, "--log");
		strv_push(margv, log ? log : "/dev/null");
		free(log);
		snprintf(num, sizeof(num), "%lld", (long long)ls.max_size);
		strv_push(margv, "--log-max-size");
		strv_push(margv, num);
		snprintf(num, sizeof(num), "%d", ls.max_file);
		strv_push(margv, "--log-max-file");
		strv_push(margv, num);
	}
	if (c->config.open_stdin && !c->config.tty) {
		char *fifo = path_join(state_dir, STDIN_FIFO_FILE);
		strv_push(margv, "--stdin");
		strv_push(margv, fifo ? fifo : "/dev/null");
		free(fifo);
		if (c->config.stdin_once)
			strv_push(margv, "--stdin-once");
	}
}

/* The monitor starts the container only once it reads "g" on its go fd (3): after the
 * daemon has recorded it, so that a daemon killed in between leaves no container running
 * that the next daemon cannot find (the monitor sees EOF and exits). The spare monitor is
 * taken when one is ready (its job socket is the go fd), else one is spawned. Returns its
 * pid with *go_w (where "g" goes) and *pidfd, or -1. */
static pid_t spawn_monitor(const struct container *c, const char *state_dir, char **argv,
                           int log_fd, int *go_w, int *pidfd)
{
	char **margv = NULL;
	strv_push(&margv, "isulad-monitor");
	strv_push(&margv, "start");
	strv_push(&margv, c->id);
	strv_push(&margv, g_paths.lxcpath);
	strv_push(&margv, state_dir);
	strv_push(&margv, "--go-fd");
	strv_push(&margv, "3");
	push_stdio_options(&margv, c, state_dir);
	strv_push(&margv, "--");
	for (size_t i = 0; argv[i]; i++)
		strv_push(&margv, argv[i]);
	int sock;
	pid_t pid = monitor_spare_take(&sock, pidfd);
	if (pid > 0) {
		size_t len = 0;
		char *job = strv_join_nul(margv, &len);
		bool sent =
		    job && len <= MONITOR_JOB_MAX && fd_pass_send(sock, job, len, &log_fd, 1) == 0;
		free(job);
		if (sent) {
			*go_w = sock;
			strv_free(margv);
			return pid;
		}
		close(sock); /* it sees EOF and exits */
		monitor_wait_gone(pid, *pidfd);
		close(*pidfd);
	}
	int go[2] = {-1, -1};
	/* SIGPIPE back at its default matters: the container inherits it (`yes | head`). */
	int null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (null_fd >= 0 && pipe2(go, O_CLOEXEC) == 0) {
		int fds[4] = {null_fd, log_fd, log_fd, go[0]};
		pid = spawn_with_fds(g_runtime.monitor_path, margv, fds, 4);
		close(go[0]);
	} else {
		pid = -1;
	}
	int saved = errno;
	if (null_fd >= 0)
		close(null_fd);
	strv_free(margv);
	*pidfd = pid > 0 ? (int)syscall(SYS_pidfd_open, pid, 0) : -1;
	if (pid > 0 && *pidfd < 0) {
		saved = errno;
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		pid = -1;
	}
	if (pid < 0 && go[1] >= 0)
		close(go[1]);
	*go_w = pid > 0 ? go[1] : -1;
	errno = saved;
	return pid;
}

/* The monitor's own messages; the container's output goes to the log the monitor writes. */
static int open_monitor_log(const char *state_dir)
{
	char *path = path_join(state_dir, MONITOR_LOG_FILE);
	int fd = path ? open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600) : -1;
	free(path);
	return fd;
}

/* -i: the init reads a FIFO that attach writes into; kept across restarts, so a writer
 * that has it open stays connected. */
static int prepare_stdin_fifo(const struct container *c, const char *state_dir, char *err,
                              size_t errlen)
{
	if (!c->config.open_stdin || c->config.tty)
		return 0;
	char *fifo = path_join(state_dir, STDIN_FIFO_FILE);
	struct stat st;
	int ret = 0;
	if (!fifo) {
		ret = -1;
	} else if (lstat(fifo, &st) < 0 || !S_ISFIFO(st.st_mode)) {
		unlink(fifo);
		ret = mkfifo(fifo, 0600);
	}
	if (ret < 0)
		snprintf(err, errlen, "cannot create the stdin FIFO %s: %s", fifo ? fifo : "",
		         strerror(errno));
	free(fifo);
	return ret;
}

int runtime_open_stdin(const struct container *c, char *err, size_t errlen)
{
	char *state_dir = store_state_dir(c->id);
	char *fifo = state_dir ? path_join(state_dir, STDIN_FIFO_FILE) : NULL;
	int fd = -1;
	if (!fifo)
		snprintf(err, errlen, "out of memory");
	else if (mkdir_p(state_dir, 0700) < 0)
		snprintf(err, errlen, "cannot create %s: %s", state_dir, strerror(errno));
	else if (prepare_stdin_fifo(c, state_dir, err, errlen) == 0) {
		/* Read-write: opening never waits for the init, which may not run yet. */
		fd = open(fifo, O_RDWR | O_NONBLOCK | O_CLOEXEC);
		if (fd < 0)
			snprintf(err, errlen, "cannot open the stdin FIFO %s: %s", fifo,
			         strerror(errno));
	}
	free(fifo);
	free(state_dir);
	return fd;
}

/* A -t run's console log starts empty (liblxc empties it at each start when it bounds its
 * size, as the engine does by default; emptied here in every case), so that an attach coming
 * after the run has ended can send all of it. Before the monitor may start the container.
 * Store lock held. */
static void mark_tty_log(struct container *c)
{
	c->tty_log_mark.valid = false;
	struct container_log_settings ls;
	log_config_settings(&c->host, &ls);
	if (!c->config.tty || ls.disabled)
		return;
	char *path = log_config_path(c->id);
	int fd =
	    path ? open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600) : -1;
	struct stat st;
	if (fd >= 0 && fstat(fd, &st) == 0) {
		c->tty_log_mark.dev = st.st_dev;
		c->tty_log_mark.ino = st.st_ino;
		c->tty_log_mark.valid = true;
	}
	if (fd >= 0)
		close(fd);
	free(path);
}

static void record_started(struct container *c, pid_t monitor, pid_t init_pid, uint64_t init_start)
{
	store_lock();
	c->state.status = STATUS_RUNNING;
	c->state.pid = init_pid;
	c->init_start = init_start;
	c->foreseen_exit.valid = false;
	c->state.exit_code = 0;
	free(c->state.error);
	c->state.error = NULL;
	clock_gettime(CLOCK_REALTIME, &c->state.started_at);
	c->state.monitor_pid = monitor;
	c->state.monitor_start_time = pid_start_time(monitor);
	snprintf(c->state.monitor_boot_id, sizeof(c->state.monitor_boot_id), "%s",
	         monitor > 0 ? boot_id_current() : "");
	c->state.paused = false;
	health_started_locked(c);
	store_save_state(c);
	char pid[16];
	snprintf(pid, sizeof(pid), "%d", (int)init_pid);
	events_emit_locked(c, "start", "pid", pid, NULL);
	store_broadcast();
	store_unlock();
}

/* Whether liblxc runs the container: its monitor serves commands only from its main loop,
 * which runs once the container does, so any answer means RUNNING (one query, not two). The
 * init is pinned through the pidfd liblxc's monitor, its parent, hands out: its pid and start
 * time, no reused pid (what pins the init later without liblxc); when that fails, the pid
 * alone (start time 0: stop and kill ask liblxc then). 0 while it does not run yet. */
static pid_t running_init(struct lxc_container *ct, uint64_t *start)
{
	struct pid_pin pin;
	*start = 0;
	int pidfd = ct->init_pidfd(ct);
	if (pidfd < 0 || pid_pin_adopt(pidfd, &pin) < 0) {
		pid_t pid = ct->init_pid(ct);
		return pid > 0 ? pid : 0;
	}
	*start = pin.start;
	pid_t pid = pin.pid;
	pid_pin_close(&pin);
	return pid;
}

/* Waits until liblxc (through ct) reports RUNNING, or the monitor exits, or the start
 * timeout passes. */
static int wait_running(struct container *c, struct lxc_container *ct, pid_t monitor, int pidfd,
                        const char *state_dir, char *err, size_t errlen)
{
	int64_t deadline = monotonic_ms() + g_runtime.start_timeout_ms;
	int ret = -1;
	/* Until liblxc's command socket exists a query fails at once: asked again after 1 ms,
	 * then less often, up to every 8 ms (fifty waiting starts asking 1000 times a second
	 * each took cpu the starts needed). Once it exists, a query waits until liblxc serves
	 * it, which it does once the container runs: no latency comes from the pauses. */
	int pause_ms = 1;
	for (;;) {
		struct pollfd pfd = {.fd = pidfd, .events = POLLIN};
		if (poll(&pfd, 1, pause_ms) > 0) {
			/* The monitor is gone: either the start failed or init ran and ended. */
			monitor_wait_gone(monitor, pidfd);
			struct exit_record rec;
			if (exit_record_read(state_dir, &rec) == 0 && rec.started) {
				record_started(c, 0, 0, 0);
				g_runtime.exited(c, &rec);
				ret = 0;
			} else {
				char reason[512] = "the container's monitor exited";
				start_failure_reason(state_dir, reason, sizeof(reason));
				snprintf(err, errlen, "Start container error: %s", reason);
			}
			break;
		}
		if (pause_ms < 8)
			pause_ms *= 2;
		uint64_t init_start;
		pid_t init_pid = running_init(ct, &init_start);
		if (init_pid > 0) {
			record_started(c, monitor, init_pid, init_start);
			g_runtime.watch(c, monitor, pidfd);
			pidfd = -1;
			ret = 0;
			break;
		}
		if (monotonic_ms() > deadline) {
			ct->stop(ct);
			char reason[512] = "";
			read_hook_error(state_dir, reason, sizeof(reason));
			if (reason[0])
				snprintf(err, errlen, "Start container error: %s", reason);
			else
				snprintf(err, errlen,
				         "Start container error: container did not start within "
				         "%lld ms (start-timeout)",
				         (long long)g_runtime.start_timeout_ms);
			g_runtime.watch(c, monitor, pidfd);
			pidfd = -1;
			break;
		}
	}
	if (pidfd >= 0)
		close(pidfd);
	return ret;
}

static int check_command(const struct container *c, char **argv, char *err, size_t errlen)
{
	if (!argv || !argv[0]) {
		snprintf(err, errlen, "No command specified");
		return -1;
	}
	char why[1024];
	int rootfs = rootfs_open_dir(c, why, sizeof(why));
	if (rootfs < 0) {
		snprintf(err, errlen, "Start container error: %s", why);
		return -1;
	}
	int i = strv_find_env(c->config.env, "PATH", 4);
	bool found = rootfs_find_executable(rootfs, argv[0], i >= 0 ? c->config.env[i] + 5 : NULL);
	close(rootfs);
	if (!found) {
		snprintf(err, errlen,
		         "Start container error: executable file not found in the rootfs's $PATH: "
		         "%s",
		         argv[0]);
		return -1;
	}
	return 0;
}

/* -u/--user names, the user's supplementary groups and --group-add are looked up in the
 * container's own /etc/passwd and /etc/group. */
static int resolve_user(const struct container *c, struct lxc_config_env *env, char *err,
                        size_t errlen)
{
	char *passwd = NULL, *group = NULL, why[1024];
	/* At create a block rootfs is not mounted: no user db then (the start looks again). */
	int rootfs = rootfs_open_dir(c, why, sizeof(why));
	char msg[512];
	int ret = rootfs >= 0 ? rootfs_read_user_db(rootfs, &passwd, &group, msg, sizeof(msg)) : 0;
	if (ret == 0 && c->config.user)
		ret = user_spec_resolve(c->config.user, passwd, group, &env->uid, &env->gid, msg,
		                        sizeof(msg));
	if (ret == 0)
		ret = user_groups_resolve(c->config.user, passwd, group, c->host.sec.group_add,
		                          env->groups, USER_GROUPS_MAX, &env->n_groups, msg,
		                          sizeof(msg));
	if (ret < 0)
		snprintf(err, errlen, "Start container error: %s", msg);
	env->has_user = ret == 0 && c->config.user;
	if (rootfs >= 0)
		close(rootfs);
	free(passwd);
	free(group);
	return ret;
}

/* Atomically, and only when the content changed: most starts render the same files again.
 * Durable: config.json, the only copy of the hooks; the lxc config (like the files its
 * hooks read, in the state dir) is rendered again at every start, which rewrites a lost
 * copy. */
static int write_bundle_file(const char *dir, const char *name, const char *text, size_t len,
                             bool durable, char *err, size_t errlen)
{
	char *path = path_join(dir, name);
	int ret = !path     ? -1
	          : durable ? write_file_if_changed(path, text, len, 0600)
	                    : replace_file_if_changed(path, text, len, 0600);
	if (ret < 0)
		snprintf(err, errlen, "cannot write %s: %s", path ? path : name, strerror(errno));
	free(path);
	return ret;
}

/* Renders the lxc config and, from it, the OCI spec, and writes config.json (and, for a
 * start, the lxc config itself, which liblxc reads) in the container's dir, which the create
 * made first (a mkdir of it again would take its parent's lock, which every create needs).
 * A run's create keeps the lxc config it rendered in c: its start renders no spec when the
 * lxc config is the same. op_lock */
static int write_bundle(struct container *c, const char *state_dir, bool for_start, bool for_run,
                        char *err, size_t errlen)
{
	char *dir = store_container_dir(c->id);
	struct lxc_config_env env = {
	    .monitor_path = g_runtime.monitor_path,
	    .state_dir = state_dir,
	    .container_dir = dir,
	    .default_cgroup_parent = g_runtime.default_cgroup_parent,
	    .start_timeout_ms = g_runtime.start_timeout_ms,
	    .write_start_files = for_start,
	};
	/* An unknown -u user fails a start; create and update leave it for the start to report
	 * (the spec then says root, as the start would not run at all). */
	char user_err[1024];
	if (resolve_user(c, &env, user_err, sizeof(user_err)) < 0 && for_start) {
		snprintf(err, errlen, "%s", user_err);
		free(dir);
		return -1;
	}
	/* At create every file of the bundle is new: made durable together, one journal commit
	 * for the files and one for the directory, however many there are. A start rewrites
	 * at most the lxc config, on its own. */
	bool batch = !for_start && durable_batch_begin() == 0;
	char *text = dir ? lxc_config_render(c, &env, err, errlen) : NULL;
	/* The run's spec, in config.json since its create: the same lxc config and c. */
	bool same_as_run =
	    for_start && text && c->run_lxc_text && strcmp(text, c->run_lxc_text) == 0;
	char **argv = same_as_run ? NULL : build_argv(c);
	size_t spec_len = 0;
	char *spec = same_as_run ? NULL : text ? oci_spec_render(c, text, argv, &spec_len) : NULL;
	int ret = -1;
	if (!dir || (text && !spec && !same_as_run)) {
		snprintf(err, errlen, "out of memory rendering the container's config");
	} else if (!text) {
		/* err says why */
	} else if ((!for_start || write_bundle_file(dir, "config", text, strlen(text), false, err,
	                                            errlen) == 0) &&
	           (same_as_run || write_bundle_file(dir, OCI_SPEC_FILE, spec, spec_len, true, err,
	                                             errlen) == 0)) {
		ret = 0;
	}
	if (batch && ret == 0 && durable_batch_commit() < 0) {
		snprintf(err, errlen, "cannot write the container's config in %s: %s", dir,
		         strerror(errno));
		ret = -1;
	} else if (batch && ret < 0) {
		durable_batch_abort();
	}
	free(c->run_lxc_text);
	c->run_lxc_text = NULL;
	if (for_run && ret == 0) {
		c->run_lxc_text = text;
		text = NULL;
	}
	strv_free(argv);
	free(spec);
	free(text);
	free(dir);
	return ret;
}

int runtime_write_spec(struct container *c, bool for_run, char *err, size_t errlen)
{
	char *state_dir = store_state_dir(c->id);
	int ret = state_dir ? write_bundle(c, state_dir, false, for_run, err, errlen) : -1;
	if (!state_dir)
		snprintf(err, errlen, "out of memory");
	free(state_dir);
	return ret;
}

/* OCI: poststart hooks run once the init runs, before start returns; a failure is a warning. */
static void run_poststart_hooks(struct container *c)
{
	if (c->hooks.stage[OCI_HOOK_POSTSTART].n == 0)
		return;
	store_lock();
	pid_t pid = c->state.status == STATUS_RUNNING ? c->state.pid : 0;
	store_unlock();
	char *dir = store_container_dir(c->id);
	char err[2048];
	if (pid > 0 && dir &&
	    oci_hooks_run_bundle(dir, OCI_HOOK_POSTSTART, "running", pid, NULL,
	                         g_runtime.start_timeout_ms, err, sizeof(err)) < 0)
		LOG_WARN("container %s: %s", c->id, err);
	free(dir);
}

/* config.json is the only copy of the hooks fixed at create: without it (lost by a crash of
 * an older daemon, or deleted) a container that may have had hooks must not start without
 * them. */
static int check_hooks_kept(const struct container *c, char *err, size_t errlen)
{
	if (!(c->host.hook_spec && *c->host.hook_spec) &&
	    !(g_runtime.default_hook_spec && *g_runtime.default_hook_spec))
		return 0;
	char *dir = store_container_dir(c->id);
	char *spec = dir ? path_join(dir, OCI_SPEC_FILE) : NULL;
	int ret = spec && !path_exists(spec) ? -1 : 0;
	if (ret < 0)
		snprintf(err, errlen,
		         "Start container error: %s is missing: the container's hooks are lost; "
		         "remove and create the container again",
		         spec);
	free(spec);
	free(dir);
	return ret;
}

static void remove_cgroups(const struct container *c);

/* A monitor that was killed leaves its cgroups and the container's (liblxc removes them on a
 * clean exit), and liblxc refuses to start in an existing monitor cgroup ("Failed to create
 * monitor cgroup": every later start and restart failed). Removed first, once the processes
 * left in them (the init, killed with its monitor) are gone; a few rmdirs of nothing else. */
static void remove_stale_cgroups(const struct container *c)
{
	char *cg = container_cgroup_rel(c);
	char mon[600];
	snprintf(mon, sizeof(mon), MONITOR_CGROUP "/%s", c->id);
	for (int i = 0; i < 100; i++) {
		int left = cgroup_remove_everywhere(mon) + (cg ? cgroup_remove_everywhere(cg) : 0);
		if (left == 0)
			break;
		struct timespec ts = {0, 20 * 1000000};
		nanosleep(&ts, NULL);
	}
	free(cg);
}

int runtime_start(struct container *c, char *err, size_t errlen)
{
	char **argv = build_argv(c);
	char *state_dir = store_state_dir(c->id);
	int ret = -1, log_fd = -1, pidfd = -1, go_w = -1;
	struct lxc_container *ct = NULL;
	bool channel_mounted = false, rootfs_mounted = false;
	struct net_pending *net = NULL;
	struct phase_timer pt;
	phase_timer_start(&pt);
	if (!state_dir || check_hooks_kept(c, err, errlen) < 0 ||
	    rootfs_block_mount(c, &rootfs_mounted, err, errlen) < 0 ||
	    check_command(c, argv, err, errlen) < 0 ||
	    ns_modes_check_joined(&c->host.ns, err, errlen) < 0 ||
	    sysopt_prepare_start(c, &channel_mounted, err, errlen) < 0)
		goto out;
	if (mkdir_p(state_dir, 0700) < 0) {
		snprintf(err, errlen, "cannot create %s: %s", state_dir, strerror(errno));
		goto out;
	}
	if (!c->never_started)
		remove_stale_cgroups(c);
	c->never_started = false;
	exit_record_clear(state_dir);
	net_gate_reset(state_dir);
	const char *stale[] = {"lxc.log", OCI_HOOK_ERROR_FILE};
	for (size_t i = 0; i < sizeof(stale) / sizeof(stale[0]); i++) {
		char *path = path_join(state_dir, stale[i]);
		if (path)
			unlink(path);
		free(path);
	}
	/* The network namespace is made now and set up (CNI ADD) while liblxc prepares the
	 * container; its init waits for it (net_gate.h), so it starts with its address. */
	phase_timer_mark(&pt, "prepare");
	if (container_net_begin(c, &net, err, errlen) < 0)
		goto out;
	phase_timer_mark(&pt, "net-begin");
	if (c->host.system_container && !net)
		rootfs_write_network_files(c);
	/* Opened before this start writes the lxc config: at a first start liblxc then parses
	 * none (RUNNING is asked through its command socket, which needs the name alone).
	 * Without it nothing could tell when the container runs, nor stop it: not started. */
	ct = open_lxc(c->id);
	if (!ct) {
		snprintf(err, errlen, "Start container error: liblxc cannot open container %s",
		         c->id);
		goto out;
	}
	if (ipc_shm_prepare(c, err, errlen) < 0 ||
	    write_bundle(c, state_dir, true, false, err, errlen) < 0 ||
	    prepare_stdin_fifo(c, state_dir, err, errlen) < 0)
		goto out;
	phase_timer_mark(&pt, "bundle");
	log_fd = open_monitor_log(state_dir);
	if (log_fd < 0) {
		snprintf(err, errlen, "cannot open the monitor log: %s", strerror(errno));
		goto out;
	}
	pid_t monitor = spawn_monitor(c, state_dir, argv, log_fd, &go_w, &pidfd);
	if (monitor < 0) {
		snprintf(err, errlen, "cannot fork the container monitor: %s", strerror(errno));
		goto out;
	}
	phase_timer_mark(&pt, "spawn");
	/* Recorded (on disk) before the container may start, so a daemon killed from now on
	 * finds the monitor again. */
	store_lock();
	c->state.monitor_pid = monitor;
	c->state.monitor_start_time = pid_start_time(monitor);
	snprintf(c->state.monitor_boot_id, sizeof(c->state.monitor_boot_id), "%s",
	         boot_id_current());
	c->state.manually_stopped = false;
	mark_tty_log(c);
	/* A crashed daemon finds it in the page cache; a power loss ends the run anyway (and
	 * the running state is synced before the start answers). */
	store_save_state_unsynced(c);
	store_unlock();
	if (store_save_result(c) < 0 || write(go_w, "g", 1) != 1) {
		snprintf(err, errlen,
		         "Start container error: cannot record the container's monitor: %s",
		         strerror(errno));
		close(go_w);
		go_w = -1;
		monitor_wait_gone(monitor, pidfd); /* it sees EOF: exits, nothing started */
		close(pidfd);
		pidfd = -1;
		store_lock();
		c->state.monitor_pid = 0;
		c->state.monitor_start_time = 0;
		c->state.monitor_boot_id[0] = '\0';
		store_save_state(c);
		store_unlock();
		goto out;
	}
	close(go_w);
	go_w = -1;
	phase_timer_mark(&pt, "record-monitor");
	if (net) {
		char net_err[1024] = "";
		int nr = container_net_finish(c, net, net_err, sizeof(net_err));
		net = NULL;
		if (nr == 0 && c->host.system_container)
			rootfs_write_network_files(c); /* /etc/hosts with the address */
		net_gate_release(state_dir, nr == 0 ? NULL : net_err);
		phase_timer_mark(&pt, "net-finish");
	}
	/* A run's create left its files in place in this thread's batch: made durable now,
	 * while liblxc starts the container (after the network, which the init waits for);
	 * the request commits the batch before its answer, which reports a failure. Nothing
	 * to do for a plain start. */
	if (durable_batch_sync_now() < 0)
		LOG_ERROR("container %s: cannot sync its files: %s", c->id, strerror(errno));
	phase_timer_mark(&pt, "sync-created");
	/* The next start's monitor, spawned while this one waits for liblxc anyway. */
	monitor_spare_refill();
	phase_timer_mark(&pt, "spare");
	ret = wait_running(c, ct, monitor, pidfd, state_dir, err, errlen);
	phase_timer_mark(&pt, "wait-running");
	if (ret == 0)
		run_poststart_hooks(c);
	if (ret == 0)
		LOG_DEBUG("timing start %s: %s", c->id, phase_timer_text(&pt));
	if (ret < 0) {
		store_lock();
		c->state.monitor_pid = 0;
		free(c->state.error);
		c->state.error = strdup(err);
		store_save_state(c);
		store_unlock();
	}
out:
	if (net) /* failed before the monitor ran: ADD is waited for, then undone */
		container_net_finish(c, net, (char[256]){0}, 256);
	if (ret < 0) {
		container_net_teardown(c);
		sysopt_start_failed(c, channel_mounted, err, errlen);
		if (rootfs_mounted)
			rootfs_block_unmount(c);
	}
	if (log_fd >= 0)
		close(log_fd);
	if (go_w >= 0)
		close(go_w);
	if (ct)
		lxc_container_put(ct);
	strv_free(argv);
	free(state_dir);
	return ret;
}

/* Waits (without holding the store lock) until the supervisor has recorded the exit. */
static void wait_not_running(struct container *c, int64_t timeout_ms)
{
	int64_t deadline = monotonic_ms() + timeout_ms;
	store_lock();
	while (c->state.status == STATUS_RUNNING && monotonic_ms() < deadline)
		store_wait_change(deadline);
	store_unlock();
}

/* The init pinned: by the pid and start time this daemon saw at its start (no liblxc round
 * trip), else through liblxc. */
static int pin_running_init(struct container *c, struct pid_pin *pin)
{
	store_lock();
	pid_t pid = c->state.status == STATUS_RUNNING ? c->state.pid : 0;
	uint64_t start = c->init_start;
	store_unlock();
	if (pid > 0 && start != 0)
		return pid_pin_open(pid, start, pin);
	return runtime_pin_init(c->id, pin);
}

/* What liblxc's shutdown sends: lxc.signal.halt, else SIGRTMIN+3 to an init that blocks it
 * (systemd, which reads it from a signalfd), else SIGPWR. */
static int halt_signal(const struct container *c, const struct pid_pin *init)
{
	int sig = lxc_config_halt_signal(c);
	if (sig > 0)
		return sig;
	return pid_pin_blocks_signal(init, SIGRTMIN + 3) == 1 ? SIGRTMIN + 3 : SIGPWR;
}

int runtime_stop_signal(struct container *c, int timeout_s, struct pid_pin *keep)
{
	container_thaw_if_paused(c);
	if (timeout_s == 0)
		return -1;
	struct pid_pin init;
	if (pin_running_init(c, &init) < 0)
		return -1;
	int ret = pid_pin_signal(&init, halt_signal(c, &init));
	if (ret == 0 && keep)
		*keep = init;
	else
		pid_pin_close(&init);
	return ret;
}

/* How long a stop waits for liblxc's monitor to reap the init it saw end (it does so at
 * once from its main loop), 0.2 ms at a time. */
#define REAP_WAIT_STEPS 250

int runtime_stop_await_init(const struct pid_pin *init, int timeout_s, int *status)
{
	/* A timeout past what poll takes (24 days) is as good as none. */
	int ms = timeout_s < 0 || timeout_s > INT_MAX / 1000 ? -1 : timeout_s * 1000;
	if (pid_pin_wait_exit(init, ms) < 0)
		return -1;
	for (int i = 0; i < REAP_WAIT_STEPS; i++) {
		if (pid_pin_exit_status(init, status) == 0)
			return 1;
		if (errno != EAGAIN)
			break;
		usleep(200);
	}
	return 0;
}

/* SIGKILL to the init: through the pin, else liblxc's stop (which kills it too); err says
 * why neither could be tried. */
static void kill_init(struct container *c, char *err, size_t errlen)
{
	struct pid_pin init;
	if (pin_running_init(c, &init) == 0) {
		int ret = pid_pin_signal(&init, SIGKILL);
		pid_pin_close(&init);
		if (ret == 0)
			return;
	}
	struct lxc_container *ct = open_lxc(c->id);
	if (!ct) {
		snprintf(err, errlen, "Stop container error: liblxc cannot open %s", c->id);
		return;
	}
	if (ct->is_running(ct))
		ct->stop(ct);
	lxc_container_put(ct);
}

int runtime_stop_wait(struct container *c, int timeout_s, bool signalled, char *err, size_t errlen)
{
	if (signalled)
		wait_not_running(c, timeout_s < 0 ? INT64_MAX / 4 : (int64_t)timeout_s * 1000);
	store_lock();
	bool running = c->state.status == STATUS_RUNNING;
	store_unlock();
	if (!running)
		return 0;
	/* An init that ended just now cannot be pinned nor killed: its exit is recorded
	 * meanwhile, so that a failed kill is an error only if it still runs. */
	char kill_err[256] = "";
	kill_init(c, kill_err, sizeof(kill_err));
	wait_not_running(c, 10000);
	store_lock();
	running = c->state.status == STATUS_RUNNING;
	store_unlock();
	if (!running)
		return 0;
	if (kill_err[0])
		snprintf(err, errlen, "%s", kill_err);
	else
		snprintf(err, errlen, "Stop container error: container %s is still running", c->id);
	return -1;
}

int runtime_stop(struct container *c, int timeout_s, char *err, size_t errlen)
{
	bool signalled = runtime_stop_signal(c, timeout_s, NULL) == 0;
	return runtime_stop_wait(c, timeout_s, signalled, err, errlen);
}

struct runtime_console {
	struct lxc_container *ct;
	int keep_fd; /* liblxc's command connection: the console is ours while it is open */
};

struct runtime_console *runtime_console_take(const char *id, int *ptx)
{
	struct runtime_console *con = calloc(1, sizeof(*con));
	if (!con)
		return NULL;
	con->ct = lxc_container_new(id, g_paths.lxcpath);
	int ttynum = 0;
	*ptx = -1;
	con->keep_fd = con->ct ? con->ct->console_getfd(con->ct, &ttynum, ptx) : -1;
	if (con->keep_fd < 0) {
		if (con->ct)
			lxc_container_put(con->ct);
		free(con);
		return NULL;
	}
	return con;
}

char *runtime_console_log(struct runtime_console *con, size_t *len)
{
	uint64_t max = 0;
	struct lxc_console_log log = {.read = true, .read_max = &max};
	*len = 0;
	if (con->ct->console_log(con->ct, &log) < 0 || !log.data)
		return NULL;
	*len = (size_t)max;
	return log.data;
}

void runtime_console_release(struct runtime_console *con)
{
	if (!con)
		return;
	close(con->keep_fd);
	lxc_container_put(con->ct);
	free(con);
}

bool runtime_lxc_running(const char *id)
{
	struct lxc_container *ct = open_lxc(id);
	bool running = ct && ct->is_running(ct);
	if (ct)
		lxc_container_put(ct);
	return running;
}

int runtime_lxc_stop(const char *id, char *err, size_t errlen)
{
	struct lxc_container *ct = open_lxc(id);
	bool stopped = ct && (!ct->is_running(ct) || (ct->stop(ct) && ct->wait(ct, "STOPPED", 10)));
	if (ct)
		lxc_container_put(ct);
	if (!stopped)
		snprintf(err, errlen, "Stop container error: liblxc cannot stop %s", id);
	return stopped ? 0 : -1;
}

int runtime_kill(struct container *c, int sig, char *err, size_t errlen)
{
	container_thaw_if_paused(c);
	struct pid_pin pin;
	if (pin_running_init(c, &pin) < 0) {
		snprintf(err, errlen, "Container %s is not running", c->id);
		return -1;
	}
	int ret = pid_pin_signal(&pin, sig);
	if (ret < 0)
		snprintf(err, errlen, "Cannot kill container %s: %s", c->id,
		         errno == ESRCH ? "it is not running" : strerror(errno));
	pid_pin_close(&pin);
	if (ret == 0 && sig == SIGKILL)
		wait_not_running(c, 10000);
	return ret;
}

#define TOMBSTONE_PREFIX ".removing-"

static void remove_cgroups(const struct container *c)
{
	char *cg = container_cgroup_rel(c);
	if (cg) {
		/* liblxc removes these on a clean stop; this catches monitors that were killed. */
		cgroup_remove_everywhere(cg);
		char mon[600];
		snprintf(mon, sizeof(mon), MONITOR_CGROUP "/%s", c->id);
		cgroup_remove_everywhere(mon);
	}
	free(cg);
}

static void remove_dir_logged(const char *dir)
{
	if (dir && remove_tree(dir) < 0 && errno != ENOENT)
		LOG_WARN("cannot remove %s: %s", dir, strerror(errno));
}

/* Everything of a container whose config dir is (now) at dir. */
static void finish_removal(const struct container *c, const char *dir)
{
	ipc_shm_release(dir);
	sysopt_remove(c);
	rootfs_block_unmount(c); /* never removed through its mount point */
	char *state = store_state_dir(c->id);
	remove_dir_logged(state);
	free(state);
	remove_dir_logged(dir);
	remove_cgroups(c);
}

static char *tombstone_path(const char *id)
{
	char name[CONTAINER_ID_LEN + sizeof(TOMBSTONE_PREFIX)];
	snprintf(name, sizeof(name), TOMBSTONE_PREFIX "%s", id);
	return path_join(g_paths.lxcpath, name);
}

void runtime_remove_files(const struct container *c)
{
	char *dir = store_container_dir(c->id);
	char *tomb = tombstone_path(c->id);
	const char *at = dir;
	/* One rename takes config.v2.json and the rest away together: a removal is either not
	 * begun or finished by the next daemon start, never half a dir that loads as nothing. */
	if (dir && tomb && rename(dir, tomb) == 0) {
		fsync_dir(g_paths.lxcpath);
		at = tomb;
	} else if (errno != ENOENT) {
		LOG_WARN("cannot rename %s to %s: %s", dir ? dir : c->id, tomb ? tomb : "",
		         strerror(errno));
	}
	finish_removal(c, at);
	free(dir);
	free(tomb);
}

void runtime_remove_incomplete(const struct container *c, bool with_channel)
{
	if (with_channel)
		sysopt_remove(c);
	char *dirs[] = {store_container_dir(c->id), store_state_dir(c->id)};
	ipc_shm_release(dirs[0]);
	for (size_t i = 0; i < 2; i++) {
		remove_dir_logged(dirs[i]);
		free(dirs[i]);
	}
}

/* A container with only the id and, if dir's hostconfig.json reads, the host config. */
static struct container *leftover_container(const char *id, const char *dir)
{
	struct container *c = container_new(id);
	if (!c)
		return NULL;
	char *path = path_join(dir, "hostconfig.json");
	char *text = path ? read_file(path, 16 << 20, NULL) : NULL;
	char err[256] = "";
	yajl_val hj = text ? json_parse(text, err, sizeof(err)) : NULL;
	if (hj && host_config_parse(hj, &c->host, err, sizeof(err)) < 0) {
		host_config_free(&c->host);
		memset(&c->host, 0, sizeof(c->host));
	}
	if (hj)
		yajl_tree_free(hj);
	free(text);
	free(path);
	return c;
}

/* Temp files left by atomic writes that were killed. */
static void sweep_temp_files(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	while (d && (de = readdir(d))) {
		if (de->d_type == DT_REG && is_atomic_temp_name(de->d_name)) {
			LOG_INFO("removing the stale temp file %s/%s", dir, de->d_name);
			unlinkat(dirfd(d), de->d_name, 0);
		}
	}
	if (d)
		closedir(d);
}

static void recover_one(const char *name)
{
	bool tomb = strncmp(name, TOMBSTONE_PREFIX, strlen(TOMBSTONE_PREFIX)) == 0;
	const char *id = tomb ? name + strlen(TOMBSTONE_PREFIX) : name;
	if (!idgen_is_full_id(id))
		return;
	char *dir = path_join(g_paths.lxcpath, name);
	char *v2 = dir ? path_join(dir, "config.v2.json") : NULL;
	if (!dir || !v2) {
		/* out of memory: left for the next start */
	} else if (tomb || !path_exists(v2)) {
		struct container *c = leftover_container(id, dir);
		if (c && tomb) {
			LOG_INFO("finishing the removal of %s", id);
			finish_removal(c, dir);
		} else if (c) {
			/* Never started (no tmpfs yet); rmdir: a non-empty channel is not create's.
			 */
			LOG_WARN("removing the incomplete create of %s", id);
			const char *channel = c->host.sys.channel.host_path;
			if (channel && rmdir(channel) < 0 && errno != ENOENT)
				LOG_WARN("cannot remove the host channel %s: %s", channel,
				         strerror(errno));
			runtime_remove_incomplete(c, false);
		}
		container_free(c);
	} else {
		sweep_temp_files(dir);
		/* exit.json is written (atomically) by the monitor, which can be killed too. */
		char *state = store_state_dir(id);
		if (state)
			sweep_temp_files(state);
		free(state);
	}
	free(v2);
	free(dir);
}

void runtime_recover_dirs(void)
{
	DIR *d = opendir(g_paths.lxcpath);
	if (!d)
		return;
	char **names = NULL;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (de->d_name[0] != '.' ||
		    strncmp(de->d_name, TOMBSTONE_PREFIX, strlen(TOMBSTONE_PREFIX)) == 0)
			strv_push(&names, de->d_name);
	}
	closedir(d);
	for (size_t i = 0; names && names[i]; i++)
		recover_one(names[i]);
	strv_free(names);
	fsync_dir(g_paths.lxcpath);
}
