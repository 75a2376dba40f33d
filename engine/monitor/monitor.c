/* isulad-monitor: the per-container process that runs a container through liblxc, so that
 * containers outlive the daemon. It stays until the container's init exits, then records the
 * exit status in <state-dir>/exit.json for whichever daemon is running by then.
 *
 *   isulad-monitor start NAME LXCPATH STATE_DIR [OPTIONS] -- ARGV...
 *   isulad-monitor start --standby LXCPATH    (spawned ahead: its job comes on fd 3, see
 *                                              lib/engine/monitor_job.h)
 *   isulad-monitor spare-forker LXCPATH        (forks such spares: spare_forker.c)
 *     --log FILE --log-max-size BYTES --log-max-file N   json-file log of the init's output
 *     --stdin FIFO                                       the init's stdin (else /dev/null)
 *     --stdin-once                                       EOF once the FIFO's writers are gone
 *   isulad-monitor post-stop-hook STATE_DIR [--oci-hooks BUNDLE] [lxc's hook args...]
 *                                                 (lxc.hook.post-stop; runs the OCI poststop hooks)
 *   isulad-monitor oci-hooks STAGE BUNDLE STATE_DIR [--limit-ms MS] [lxc's hook args...]
 *                                                 (lxc.hook.start-host for STAGE prestart; MS
 *                                                 bounds the whole stage: the start-timeout)
 *   isulad-monitor exec NAME LXCPATH [OPTIONS] -- ARGV...                (see exec.c)
 *   isulad-monitor sysctl-hook FILE            (lxc.hook.start-host, see sysctl_hook.c)
 *   isulad-monitor ro-remount-hook FILE        (lxc.hook.start-host, see ro_remount_hook.c)
 *   isulad-monitor cgroup-view-hook FILE       (lxc.hook.start-host, see cgroup_view_hook.c)
 *   isulad-monitor cgroup2-limits-hook FILE    (lxc.hook.start-host, see cgroup2_limits_hook.c)
 *   isulad-monitor devices-hook STATE_DIR FILE [--v1]
 *   isulad-monitor net-wait STATE_DIR LIMIT_MS  (lxc.hook.start-host, see net_wait.c)
 *                                              (lxc.hook.start-host, see devices_hook.c)
 *   isulad-monitor proc-rw-hook /proc/sys/PATH...   (lxc.hook.mount, see sysopt_hooks.c)
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "container_stdio.h"
#include "engine/exit_record.h"
#include "core/fd_pass.h"
#include "core/fileutil.h"
#include "core/strv.h"
#include "engine/monitor_job.h"
#include "host/proc_title.h"
#include "liblxc_dl.h"
#include "monitor.h"
#include "engine/oci_hook_exec.h"
#include "core/proc_spawn.h"
#include "core/units.h"

/* Runs the bundle's OCI hooks of one stage for the container liblxc runs. A failing prestart
 * hook fails the start: its error goes to the state dir for the daemon to report. Other
 * stages only warn (OCI), here in the monitor's log. Returns the hook's exit code for lxc. */
static int run_oci_hooks(enum oci_hook_stage stage, const char *bundle, const char *state_dir,
                         int64_t budget_ms, char *const *extra_env)
{
	static const char *const status[OCI_HOOK_STAGES] = {"created", "running", "stopped"};
	const char *lxc_pid = getenv("LXC_PID");
	pid_t pid = stage != OCI_HOOK_POSTSTOP && lxc_pid ? (pid_t)atoi(lxc_pid) : 0;
	char err[4096];
	if (stage == OCI_HOOK_PRESTART && pid <= 0) {
		snprintf(err, sizeof(err),
		         "prestart hooks: LXC_PID is not set (not run by liblxc?)");
	} else if (oci_hooks_run_bundle(bundle, stage, status[stage], pid, extra_env, budget_ms,
	                                err, sizeof(err)) == 0) {
		return 0;
	}
	if (stage != OCI_HOOK_PRESTART) {
		monitor_log(state_dir, "%s (ignored: not a prestart hook)", err);
		return 0;
	}
	monitor_start_error(state_dir, err);
	return 1;
}

/* Remembers what liblxc was about to do (reboot or stop), runs the OCI poststop hooks with
 * CONTAINER_ACTION=reboot|shutdown, and refuses liblxc's in-monitor reboot: the daemon
 * decides about restarts, and restarts freshly so host setup is redone. */
static int post_stop_hook(int argc, char **argv)
{
	const char *state_dir = argv[2];
	const char *target = getenv("LXC_TARGET");
	bool reboot = target && strcmp(target, "reboot") == 0;
	char *path = path_join(state_dir, EXIT_TARGET_FILE);
	if (path && target)
		atomic_replace_file(path, target, strlen(target), 0600);
	free(path);
	if (argc >= 5 && strcmp(argv[3], "--oci-hooks") == 0) {
		char *env[] = {reboot ? "CONTAINER_ACTION=reboot" : "CONTAINER_ACTION=shutdown",
		               NULL};
		run_oci_hooks(OCI_HOOK_POSTSTOP, argv[4], state_dir, 0, env);
	}
	return reboot ? 1 : 0;
}

/* The options between STATE_DIR and "--"; returns the index of "--", or -1. */
static int parse_options(int argc, char **argv, int i, struct monitor_stdio_opts *o, int *go_fd)
{
	for (; i < argc && strcmp(argv[i], "--") != 0; i += 2) {
		if (strcmp(argv[i], "--stdin-once") == 0) {
			o->stdin_once = true;
			i--;
			continue;
		}
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		int64_t n = 0;
		if (!v)
			return -1;
		if (strcmp(argv[i], "--log") == 0)
			o->log_path = v;
		else if (strcmp(argv[i], "--stdin") == 0)
			o->stdin_fifo = v;
		else if (strcmp(argv[i], "--go-fd") == 0 && parse_int64(v, &n) == 0 && n >= 3 &&
		         n < 1024)
			*go_fd = (int)n;
		else if (strcmp(argv[i], "--log-max-size") == 0 && parse_int64(v, &n) == 0)
			o->log_max_size = n;
		else if (strcmp(argv[i], "--log-max-file") == 0 && parse_int64(v, &n) == 0 &&
		         n > 0 && n <= 1000000)
			o->log_max_file = (int)n;
		else
			return -1;
	}
	return i < argc ? i : -1;
}

/* --go-fd: the daemon writes "g" once it has recorded this monitor; EOF first means it died
 * before (or gave up the start): a container it could not find again must not run. */
static bool daemon_says_go(int go_fd)
{
	if (go_fd < 0)
		return true;
	char b = 0;
	ssize_t n;
	do
		n = read(go_fd, &b, 1);
	while (n < 0 && errno == EINTR);
	close(go_fd);
	if (n == 1 && b == 'g')
		return true;
	fprintf(stderr, "isulad-monitor: the daemon did not record this start: not started\n");
	return false;
}

static int run_container(const char *name, const char *lxcpath, const char *state_dir,
                         struct monitor_stdio_opts *o, int go_fd, char **argv)
{
	setsid();
	/* The config is read while the daemon records this monitor: only the start itself
	 * waits for its go. */
	const struct liblxc *lxc = liblxc_load();
	struct lxc_container *c = lxc ? lxc->container_new(name, lxcpath) : NULL;
	if (!daemon_says_go(go_fd)) {
		if (c)
			lxc->container_put(c);
		return 1;
	}
	if (!c) {
		fprintf(stderr, "isulad-monitor: cannot load container %s in %s\n", name, lxcpath);
		return 1;
	}
	char idmap[16];
	if (c->get_config_item(c, "lxc.idmap", idmap, sizeof(idmap)) > 0)
		idmap_write_directly();
	c->want_daemonize(c, false);
	c->want_close_all_fds(c, true);
	char *own_log = path_join(state_dir, MONITOR_LOG_FILE);
	o->own_log = own_log;
	struct monitor_stdio st;
	bool started = false;
	if (monitor_stdio_setup(o, &st) == 0)
		started = c->start(c, 0, argv);
	int status = c->error_num;
	/* Every byte of output is in the log before the exit is reported. */
	monitor_stdio_finish(o, &st);
	free(own_log);

	struct exit_record rec = {.started = started};
	clock_gettime(CLOCK_REALTIME, &rec.finished_at);
	char *target_path = path_join(state_dir, EXIT_TARGET_FILE);
	char *target = target_path ? read_file(target_path, 64, NULL) : NULL;
	rec.reboot = target && strcmp(target, "reboot") == 0;
	rec.exit_code = exit_record_code(status);
	if (rec.exit_code == 128 + SIGHUP)
		rec.reboot = true;
	int ret = exit_record_write(state_dir, &rec);
	free(target);
	free(target_path);
	lxc->container_put(c);
	return ret < 0 ? 1 : 0;
}

/* start with its arguments: 0 when they are complete (the caller runs the container). */
static int parse_start(int argc, char **argv, struct monitor_stdio_opts *o, int *go_fd, int *dashes)
{
	*dashes = argc >= 7 && strcmp(argv[1], "start") == 0
	              ? parse_options(argc, argv, 5, o, go_fd)
	              : -1;
	return *dashes > 0 && *dashes + 1 < argc ? 0 : -1;
}

/* start --standby: waits for the job, takes its stdout/stderr, shows the job's command line
 * (ps shows the container's monitor as if spawned for it), then runs the container. */
int monitor_run_standby(char **own_argv, pid_t reaper)
{
	static char job[MONITOR_JOB_MAX];
	int fds[FD_PASS_MAX];
	size_t nfds = 0;
	ssize_t n = fd_pass_recv(MONITOR_JOB_FD, job, sizeof(job), fds, &nfds);
	if (n <= 0 || nfds != 1) {
		for (size_t i = 0; i < nfds; i++)
			close(fds[i]);
		if (n != 0)
			fprintf(stderr, "isulad-monitor: a bad job (%zd bytes, %zu fds)\n", n,
			        nfds);
		return n == 0 ? 0 : 1;
	}
	if (dup2(fds[0], STDOUT_FILENO) < 0 || dup2(fds[0], STDERR_FILENO) < 0)
		return 1;
	close(fds[0]);
	char **argv = strv_split_nul(job, (size_t)n); /* the container's: kept till the end */
	int argc = (int)strv_len(argv);
	struct monitor_stdio_opts o = {.log_max_file = 1, .reaper = reaper};
	int go_fd = -1, dashes;
	if (!argv || parse_start(argc, argv, &o, &go_fd, &dashes) < 0) {
		fprintf(stderr, "isulad-monitor: the daemon's job is not a start\n");
		strv_free(argv);
		return 2;
	}
	if (proc_title_set(job, (size_t)n, own_argv) < 0)
		fprintf(stderr, "isulad-monitor: cannot show the container's command line: %s\n",
		        strerror(errno));
	int ret = run_container(argv[2], argv[3], argv[4], &o, go_fd, argv + dashes + 1);
	strv_free(argv);
	return ret;
}

long long monitor_hook_pid(const char *hook)
{
	const char *pid_s = getenv("LXC_PID");
	int64_t pid;
	if (!pid_s || parse_int64(pid_s, &pid) < 0 || pid <= 0) {
		fprintf(stderr, "%s: LXC_PID is not set: not run as lxc.hook.start-host\n", hook);
		return -1;
	}
	return pid;
}

int main(int argc, char **argv)
{
	proc_restore_nofile();
	if (argc >= 3 && strcmp(argv[1], "post-stop-hook") == 0)
		return post_stop_hook(argc, argv);
	enum oci_hook_stage stage;
	if (argc >= 5 && strcmp(argv[1], "oci-hooks") == 0 &&
	    oci_hook_stage_parse(argv[2], &stage) == 0) {
		int64_t limit = 0;
		if (argc >= 7 && strcmp(argv[5], "--limit-ms") == 0 &&
		    parse_int64(argv[6], &limit) < 0)
			limit = 0;
		return run_oci_hooks(stage, argv[3], argv[4], limit, NULL);
	}
	if (argc >= 3 && strcmp(argv[1], "sysctl-hook") == 0)
		return monitor_sysctl_hook(argv[2]);
	if (argc >= 3 && strcmp(argv[1], "ro-remount-hook") == 0)
		return monitor_ro_remount_hook(argv[2]);
	if (argc >= 3 && strcmp(argv[1], "cgroup-view-hook") == 0)
		return monitor_cgroup_view_hook(argv[2]);
	if (argc >= 3 && strcmp(argv[1], "cgroup2-limits-hook") == 0)
		return monitor_cgroup2_limits_hook(argv[2]);
	if (argc >= 2 && strcmp(argv[1], "devices-hook") == 0)
		return monitor_devices_hook(argc - 2, argv + 2);
	if (argc >= 2 && strcmp(argv[1], "exec") == 0)
		return monitor_exec(argc - 2, argv + 2);
	if (argc >= 2 && strcmp(argv[1], "net-wait") == 0)
		return monitor_net_wait(argc - 2, argv + 2);
	if (argc >= 2 && strcmp(argv[1], "proc-rw-hook") == 0)
		return proc_rw_hook(argc - 2, argv + 2);
	if (argc == 4 && strcmp(argv[1], "start") == 0 && strcmp(argv[2], MONITOR_STANDBY_ARG) == 0)
		return monitor_run_standby(argv, 0);
	if (argc == 3 && strcmp(argv[1], MONITOR_FORKER_CMD) == 0)
		return monitor_spare_forker(argv);
	struct monitor_stdio_opts o = {.log_max_file = 1};
	int go_fd = -1, dashes;
	if (parse_start(argc, argv, &o, &go_fd, &dashes) == 0)
		return run_container(argv[2], argv[3], argv[4], &o, go_fd, argv + dashes + 1);
	fprintf(stderr, "usage: isulad-monitor start NAME LXCPATH STATE_DIR [OPTIONS] -- ARGV...\n"
	                "       isulad-monitor start --standby LXCPATH (job on fd 3)\n"
	                "       isulad-monitor spare-forker LXCPATH (requests on fd 3)\n"
	                "       isulad-monitor post-stop-hook STATE_DIR [--oci-hooks BUNDLE]\n"
	                "       isulad-monitor oci-hooks prestart|poststart|poststop BUNDLE "
	                "STATE_DIR [--limit-ms MS]\n"
	                "       isulad-monitor exec NAME LXCPATH [OPTIONS] -- ARGV...\n"
	                "       isulad-monitor proc-rw-hook PATH... (lxc.hook.mount)\n"
	                "(started by isulad, not meant to be run by hand)\n");
	return 2;
}
