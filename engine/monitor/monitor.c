/* isulad-monitor: the per-container process that runs a container through liblxc, so that
 * containers outlive the daemon. It stays until the container's init exits, then records the
 * exit status in <state-dir>/exit.json for whichever daemon is running by then.
 *
 *   isulad-monitor start NAME LXCPATH STATE_DIR [OPTIONS] -- ARGV...
 *     --log FILE --log-max-size BYTES --log-max-file N   json-file log of the init's output
 *     --stdin FIFO                                       the init's stdin (else /dev/null)
 *     --stdin-once                                       EOF once the FIFO's writers are gone
 *   isulad-monitor post-stop-hook STATE_DIR [lxc's own hook args...]   (lxc.hook.post-stop)
 *   isulad-monitor exec NAME LXCPATH [OPTIONS] -- ARGV...                (see exec.c)
 *   isulad-monitor sysctl-hook FILE            (lxc.hook.start-host, see sysctl_hook.c)
 *   isulad-monitor proc-rw-hook /proc/sys/PATH...   (lxc.hook.mount, see sysopt_hooks.c)
 */
#include <errno.h>
#include <lxc/lxccontainer.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "container_stdio.h"
#include "exit_record.h"
#include "fileutil.h"
#include "monitor.h"
#include "units.h"

/* Remembers what liblxc was about to do (reboot or stop), and refuses liblxc's in-monitor
 * reboot: the daemon decides about restarts, and restarts freshly so host setup is redone. */
static int post_stop_hook(const char *state_dir)
{
	const char *target = getenv("LXC_TARGET");
	char *path = path_join(state_dir, EXIT_TARGET_FILE);
	if (path && target)
		atomic_write_file(path, target, strlen(target), 0600);
	free(path);
	return target && strcmp(target, "reboot") == 0 ? 1 : 0;
}

/* liblxc reports a killed init as (signal << 8 | 0x7f), the shape of a stop status, and an
 * exit as (code << 8); either way the result is Docker's code: the exit code or 128+signal. */
static int exit_code_from_lxc(int status)
{
	if ((status & 0xff) == 0x7f)
		return 128 + ((status >> 8) & 0xff);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

/* The options between STATE_DIR and "--"; returns the index of "--", or -1. */
static int parse_options(int argc, char **argv, int i, struct monitor_stdio_opts *o)
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

static int run_container(const char *name, const char *lxcpath, const char *state_dir,
                         struct monitor_stdio_opts *o, char **argv)
{
	setsid();
	struct lxc_container *c = lxc_container_new(name, lxcpath);
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
	rec.exit_code = exit_code_from_lxc(status);
	if (rec.exit_code == 128 + SIGHUP)
		rec.reboot = true;
	int ret = exit_record_write(state_dir, &rec);
	free(target);
	free(target_path);
	lxc_container_put(c);
	return ret < 0 ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc >= 3 && strcmp(argv[1], "post-stop-hook") == 0)
		return post_stop_hook(argv[2]);
	if (argc >= 3 && strcmp(argv[1], "sysctl-hook") == 0)
		return monitor_sysctl_hook(argv[2]);
	if (argc >= 2 && strcmp(argv[1], "exec") == 0)
		return monitor_exec(argc - 2, argv + 2);
	if (argc >= 2 && strcmp(argv[1], "proc-rw-hook") == 0)
		return proc_rw_hook(argc - 2, argv + 2);
	struct monitor_stdio_opts o = {.log_max_file = 1};
	int dashes =
	    argc >= 7 && strcmp(argv[1], "start") == 0 ? parse_options(argc, argv, 5, &o) : -1;
	if (dashes > 0 && dashes + 1 < argc)
		return run_container(argv[2], argv[3], argv[4], &o, argv + dashes + 1);
	fprintf(stderr, "usage: isulad-monitor start NAME LXCPATH STATE_DIR [OPTIONS] -- ARGV...\n"
	                "       isulad-monitor post-stop-hook STATE_DIR\n"
	                "       isulad-monitor exec NAME LXCPATH [OPTIONS] -- ARGV...\n"
	                "       isulad-monitor proc-rw-hook PATH... (lxc.hook.mount)\n"
	                "(started by isulad, not meant to be run by hand)\n");
	return 2;
}
