/* lxcfs: a FUSE filesystem whose /proc files show each reader its container's limits.
 *
 *   lxcfs [-f] [-d] [-u] [-l] [-p PIDFILE] [-o OPTIONS] [MOUNTPOINT]   (default /var/lib/lxcfs)
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cgroup_layout.h"
#include "core/cli_args.h"
#include "fd_cache.h"
#include "core/fileutil.h"
#include "fuse_ops.h"
#include "initpid.h"
#include "load_sampler.h"
#include "pinned.h"
#include "sys_passthrough.h"
#include "core/log.h"
#include "core/pidfile.h"
#include "core/version.h"
#include "vfile.h"
#include "view.h"
#include "core/paths.h"
#include "host/mountinfo.h"

#define DEFAULT_MOUNTPOINT LXCFS_DEFAULT_MOUNTPOINT
#define DEFAULT_PIDFILE "/run/lxcfs.pid"
/* Worker threads: readers beyond this wait in the kernel's queue, they are not refused. */
#define MAX_THREADS 16

enum {
	OPT_FOREGROUND,
	OPT_DEBUG,
	OPT_PIDFILE,
	OPT_FUSE,
	OPT_NOSWAP,
	OPT_LOADAVG,
	OPT_NOCFS,
	OPT_CFS,
	OPT_HELP,
	OPT_VERSION
};

static const struct cli_option options[] = {
    [OPT_FOREGROUND] = {"foreground", 'f', CLI_BOOL, NULL, "Stay in the foreground"},
    [OPT_DEBUG] = {"debug", 'd', CLI_BOOL, NULL,
                   "Log every FUSE request to stderr (implies --foreground)"},
    [OPT_PIDFILE] = {"pidfile", 'p', CLI_STRING, "FILE",
                     "Pid file, locked while lxcfs runs (default " DEFAULT_PIDFILE ")"},
    [OPT_FUSE] = {NULL, 'o', CLI_LIST, "OPTIONS",
                  "FUSE mount options, comma separated (allow_other and direct_io are "
                  "always on)"},
    [OPT_NOSWAP] = {"disable-swap", 'u', CLI_BOOL, NULL, "Show containers no swap"},
    [OPT_LOADAVG] = {"enable-loadavg", 'l', CLI_BOOL, NULL,
                     "Show each container the load average of its own tasks in proc/loadavg "
                     "(sampled every 5 s)"},
    [OPT_NOCFS] = {"disable-cfs", 0, CLI_BOOL, NULL,
                   "Let a CPU quota (cpu.max, cpu.cfs_quota_us) no longer cap the cpus shown; "
                   "only a cpuset does"},
    [OPT_CFS] = {"enable-cfs", 0, CLI_BOOL, NULL,
                 "Accepted for upstream's scripts: quotas cap the cpus shown by default"},
    [OPT_HELP] = {"help", 'h', CLI_BOOL, NULL, "Print this help"},
    [OPT_VERSION] = {"version", 'v', CLI_BOOL, NULL, "Print the version"},
};
#define NOPTIONS (sizeof(options) / sizeof(options[0]))

static void usage(FILE *out)
{
	cli_print_help(out, "lxcfs [-f] [-d] [-u] [-l] [-p PIDFILE] [-o OPTIONS] [MOUNTPOINT]",
	               options, NOPTIONS);
	fprintf(out,
	        "\nServes proc/{cpuinfo,meminfo,stat,diskstats,partitions,swaps,uptime,loadavg,\n"
	        "slabinfo}, proc/pressure/{cpu,memory,io} and sys/devices/system/cpu/ (online,\n"
	        "the host's other entries read-only, the cpuN of the reader's cpus as cpu0...)\n"
	        "under MOUNTPOINT (default %s), each reader seeing the limits of\n"
	        "its container (a reader of lxcfs' own pid namespace: those of its own cgroups).\n"
	        "A CPU quota shows as ceil(quota/period) cpus, a cpuset as its cpus; the smaller\n"
	        "wins. MOUNTPOINT/.views/PID/ serves the same files in the view of process PID,\n"
	        "whoever reads: lxcfs-toolkit mounts a container's from its init's. SIGUSR2\n"
	        "switches every reader to the host's files and back.\n",
	        DEFAULT_MOUNTPOINT);
}

/* -o options lxcfs always sets itself, or that fuse3 no longer has: accepted, not passed. */
static bool ignored_fuse_option(const char *o)
{
	static const char *const names[] = {"allow_other", "direct_io", "nonempty", "big_writes"};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcmp(o, names[i]) == 0)
			return true;
	}
	return strncmp(o, "entry_timeout=", 14) == 0 || strncmp(o, "attr_timeout=", 13) == 0;
}

/* The mount options for fuse_session_new: ours, then the user's, comma-joined. */
static char *mount_options(const struct cli_values *v)
{
	size_t cap = 64;
	for (size_t i = 0; i < cli_list_len(v, OPT_FUSE); i++)
		cap += strlen(cli_list_at(v, OPT_FUSE, i)) + 1;
	char *all = malloc(cap);
	if (!all)
		return NULL;
	strcpy(all, "fsname=lxcfs,subtype=lxcfs,allow_other");
	for (size_t i = 0; i < cli_list_len(v, OPT_FUSE); i++) {
		char *copy = strdup(cli_list_at(v, OPT_FUSE, i)), *save = NULL;
		for (char *o = copy ? strtok_r(copy, ",", &save) : NULL; o;
		     o = strtok_r(NULL, ",", &save)) {
			if (!ignored_fuse_option(o)) {
				strcat(all, ",");
				strcat(all, o);
			}
		}
		free(copy);
	}
	return all;
}

static bool is_lxcfs_mount(const char *target)
{
	char *text = read_file_at(AT_FDCWD, "/proc/self/mountinfo", 1 << 24, NULL);
	bool found = false;
	char *save = NULL;
	for (char *line = text ? strtok_r(text, "\n", &save) : NULL; line && !found;
	     line = strtok_r(NULL, "\n", &save)) {
		struct mountinfo_entry m;
		found = mountinfo_parse_line(line, &m) == 0 && strcmp(m.mount_point, target) == 0 &&
		        strcmp(m.fs_type, "fuse.lxcfs") == 0;
	}
	free(text);
	return found;
}

/* Makes the mount point usable: a dead FUSE mount left by a killed lxcfs is detached (its
 * readers get ENOTCONN until then), a missing directory created. abs gets the real path. */
static int prepare_mountpoint(const char *mp, char abs[PATH_MAX])
{
	struct stat st;
	if (stat(mp, &st) < 0 && errno == ENOTCONN) {
		if (umount2(mp, MNT_DETACH) < 0) {
			fprintf(stderr,
			        "lxcfs: %s is a dead FUSE mount and cannot be detached: %s\n", mp,
			        strerror(errno));
			return -1;
		}
		LOG_WARN("detached the dead FUSE mount at %s (a previous lxcfs was killed)", mp);
	}
	if (mkdir_p(mp, 0755) < 0 || !realpath(mp, abs)) {
		fprintf(stderr, "lxcfs: cannot create mount point %s: %s\n", mp, strerror(errno));
		return -1;
	}
	if (!is_directory(abs)) {
		fprintf(stderr, "lxcfs: mount point %s is not a directory\n", mp);
		return -1;
	}
	if (is_lxcfs_mount(abs)) {
		fprintf(stderr, "lxcfs: %s is already mounted by a running lxcfs; stop it first\n",
		        abs);
		return -1;
	}
	return 0;
}

static struct fuse_session *new_session(const struct cli_values *v, bool debug)
{
	char *opts = mount_options(v);
	struct fuse_args args = FUSE_ARGS_INIT(0, NULL);
	if (!opts || fuse_opt_add_arg(&args, "lxcfs") < 0 || fuse_opt_add_arg(&args, "-o") < 0 ||
	    fuse_opt_add_arg(&args, opts) < 0 || (debug && fuse_opt_add_arg(&args, "-d") < 0)) {
		free(opts);
		fuse_opt_free_args(&args);
		return NULL;
	}
	struct fuse_session *se = fuse_session_new(&args, &lxcfs_ops, sizeof(lxcfs_ops), NULL);
	fuse_ops_set_session(se);
	if (!se)
		fprintf(stderr, "lxcfs: FUSE refused the mount options \"%s\"\n", opts);
	free(opts);
	fuse_opt_free_args(&args);
	return se;
}

/* The fd cache keeps a few cgroup files open per container: allow as many as the hard
 * limit does. */
static void raise_nofile(void)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

static void on_sigusr2(int sig)
{
	view_toggle();
}

static int serve(struct fuse_session *se)
{
	struct fuse_loop_config *cfg = fuse_loop_cfg_create();
	if (!cfg)
		return -1;
	fuse_loop_cfg_set_max_threads(cfg, MAX_THREADS);
	int ret = fuse_session_loop_mt(se, cfg);
	fuse_loop_cfg_destroy(cfg);
	return ret;
}

int main(int argc, char **argv)
{
	char err[512] = "";
	struct cli_values *v =
	    cli_parse(options, NOPTIONS, argc - 1, argv + 1, false, err, sizeof(err));
	if (!v) {
		fprintf(stderr, "lxcfs: %s\nSee 'lxcfs --help'.\n", err);
		return 2;
	}
	if (cli_bool(v, OPT_HELP) || cli_bool(v, OPT_VERSION)) {
		if (cli_bool(v, OPT_HELP))
			usage(stdout);
		else
			printf("lxcfs %s (commit %s)\n", ISULAD_VERSION, GIT_COMMIT);
		cli_values_free(v);
		return 0;
	}
	if (cli_npositional(v) > 1) {
		fprintf(stderr, "lxcfs: one MOUNTPOINT expected, got %zu arguments (\"%s\" ...)\n",
		        cli_npositional(v), cli_positional(v, 1));
		cli_values_free(v);
		return 2;
	}
	bool debug = cli_bool(v, OPT_DEBUG);
	bool foreground = debug || cli_bool(v, OPT_FOREGROUND);
	const char *mp = cli_npositional(v) ? cli_positional(v, 0) : DEFAULT_MOUNTPOINT;
	const char *pidpath =
	    cli_string(v, OPT_PIDFILE) ? cli_string(v, OPT_PIDFILE) : DEFAULT_PIDFILE;
	log_init(debug ? LOG_LVL_DEBUG : LOG_LVL_WARN, NULL);
	vfile_set_swap(!cli_bool(v, OPT_NOSWAP));
	vfile_set_cfs(!cli_bool(v, OPT_NOCFS));

	int rc = 1, pidfd = -1;
	char abs[PATH_MAX];
	/* First what needs no change to the system: the -o options, the kernel's tables. */
	struct fuse_session *se = new_session(v, debug);
	if (!se) {
		rc = 2;
		goto out;
	}
	raise_nofile();
	if (cgroup_layout_init() < 0 || initpid_init() < 0)
		goto out;
	if (sys_pt_init(NULL) < 0)
		LOG_WARN("cannot open /sys/devices/system/cpu (%s): sys/devices/system/cpu "
		         "serves only online",
		         strerror(errno));
	pidfd = pidfile_lock(pidpath, "lxcfs", err, sizeof(err));
	if (pidfd < 0) {
		fprintf(stderr, "lxcfs: %s\n", err);
		goto out;
	}
	if (prepare_mountpoint(mp, abs) < 0)
		goto out;
	if (fuse_session_mount(se, abs) != 0) {
		fprintf(stderr, "lxcfs: cannot mount on %s\n", abs);
		goto out;
	}
	/* Mounted before detaching, so that a failure shows in the exit code. */
	if (fuse_daemonize(foreground) != 0 || pidfile_write(pidfd) < 0 ||
	    fuse_set_signal_handlers(se) != 0) {
		LOG_ERROR("cannot start serving %s: %s", abs, strerror(errno));
		fuse_session_unmount(se);
		goto out;
	}
	/* SIGUSR1 is upstream's reload: nothing to reload here, and never a reason to die.
	 * SIGUSR2 toggles every view off (the host's files) and on again. */
	signal(SIGUSR1, SIG_IGN);
	struct sigaction sa = {.sa_handler = on_sigusr2, .sa_flags = SA_RESTART};
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR2, &sa, NULL);
	/* LXCFS_REAP_SECONDS: how often the views of exited containers are let go (tests). */
	const char *reap = getenv("LXCFS_REAP_SECONDS");
	if (fuse_ops_start_reaper(reap && atoi(reap) > 0 ? (unsigned)atoi(reap) : 30) < 0)
		LOG_WARN("no reaper thread: the views of exited containers stay until unmount");
	/* LXCFS_LOADAVG_INTERVAL_MS: the sampling interval of -l (tests; 5000 otherwise). */
	const char *interval = getenv("LXCFS_LOADAVG_INTERVAL_MS");
	if (cli_bool(v, OPT_LOADAVG) &&
	    load_sampler_start(interval && atoi(interval) > 0 ? (unsigned)atoi(interval) : 5000) <
	        0)
		LOG_WARN("no load sampler thread: proc/loadavg shows the host's");
	LOG_INFO("serving %s", abs);
	/* The loop ends with the number of the signal that stopped it, or a negative errno. */
	rc = serve(se) < 0 ? 1 : 0;
	load_sampler_stop();
	fuse_ops_stop_reaper();
	fuse_remove_signal_handlers(se);
	fuse_session_unmount(se);
out:
	if (se)
		fuse_session_destroy(se);
	/* The file is ours while we hold its lock, whether we served or failed to start. */
	if (pidfd >= 0) {
		unlink(pidpath);
		close(pidfd);
	}
	initpid_free();
	pinned_free_all();
	sys_pt_close();
	fd_cache_clear();
	cgroup_layout_free();
	cli_values_free(v);
	return rc;
}
