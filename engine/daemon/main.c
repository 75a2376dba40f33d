/* isulad: the container engine daemon. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "host/inet_addr.h"
#include "network.h"
#include "core/strv.h"
#include "daemon_config.h"
#include "daemon_log.h"
#include "events.h"
#include "core/fileutil.h"
#include "core/log.h"
#include "engine/oci_hooks.h"
#include "core/pidfile.h"
#include "core/sd_notify.h"
#include "core/proc_spawn.h"
#include "routes.h"
#include "host/seccomp_profile.h"
#include "runtime.h"
#include "server.h"
#include "server_tls.h"
#include "core/tcp_addr.h"
#include "store.h"
#include "monitor_spare.h"
#include "supervisor.h"
#include "core/version.h"

static const struct route g_routes[] = {
    {"GET", "/_ping", route_ping, BODY_NONE},
    {"GET", "/version", route_version, BODY_NONE},
    {"GET", "/info", route_info, BODY_NONE},
    {"POST", "/containers/create", route_container_create, BODY_JSON},
    {"GET", "/containers/json", route_container_list, BODY_NONE},
    {"GET", "/containers/{}/json", route_container_inspect, BODY_NONE},
    {"POST", "/containers/{}/start", route_container_start, BODY_NONE},
    {"POST", "/containers/{}/stop", route_container_stop, BODY_NONE},
    {"POST", "/containers/{}/restart", route_container_restart, BODY_NONE},
    {"POST", "/containers/{}/kill", route_container_kill, BODY_NONE},
    {"POST", "/containers/{}/wait", route_container_wait, BODY_NONE},
    {"DELETE", "/containers/{}", route_container_delete, BODY_NONE},
    {"POST", "/containers/{}/exec", route_exec_create, BODY_JSON},
    {"POST", "/containers/{}/attach", route_container_attach, BODY_NONE},
    {"POST", "/containers/{}/resize", route_container_resize, BODY_NONE},
    {"POST", "/exec/{}/start", route_exec_start, BODY_JSON},
    {"GET", "/exec/{}/json", route_exec_inspect, BODY_NONE},
    {"POST", "/exec/{}/resize", route_exec_resize, BODY_NONE},
    {"GET", "/containers/{}/archive", route_container_archive_get, BODY_NONE},
    {"PUT", "/containers/{}/archive", route_container_archive_put, BODY_ARCHIVE},
    {"GET", "/containers/{}/logs", route_container_logs, BODY_NONE},
    {"POST", "/containers/{}/pause", route_container_pause, BODY_NONE},
    {"POST", "/containers/{}/unpause", route_container_unpause, BODY_NONE},
    {"POST", "/containers/{}/rename", route_container_rename, BODY_NONE},
    {"POST", "/containers/{}/update", route_container_update, BODY_JSON},
    {"GET", "/containers/{}/top", route_container_top, BODY_NONE},
    {"GET", "/containers/{}/stats", route_container_stats, BODY_NONE},
    {"GET", "/events", route_events, BODY_NONE},
    {"GET", "/networks", route_network_list, BODY_NONE},
    {"POST", "/networks/create", route_network_create, BODY_JSON},
    {"GET", "/networks/{}", route_network_inspect, BODY_NONE},
    {"DELETE", "/networks/{}", route_network_delete, BODY_NONE},
};

/* g_net from the configuration: the conf dir, the plugins' dirs, the default network. */
static int network_settings_init(const struct daemon_config *cfg)
{
	if (cfg->bridge && *cfg->bridge && strcmp(cfg->bridge, "none") != 0) {
		fprintf(stderr,
		        "isulad: invalid bridge \"%s\": only \"none\" (no default network) is "
		        "supported\n",
		        cfg->bridge);
		return -1;
	}
	g_net.default_off = cfg->bridge && strcmp(cfg->bridge, "none") == 0;
	if (cfg->bip && *cfg->bip) {
		struct inet_prefix p;
		if (inet_prefix_parse(cfg->bip, &p) < 0 || p.family != AF_INET || p.len < 1 ||
		    p.len > 30) {
			fprintf(stderr,
			        "isulad: invalid bip \"%s\": expected an IPv4 address with a "
			        "prefix of 1 to 30, such as 172.26.0.1/16\n",
			        cfg->bip);
			return -1;
		}
		g_net.bip = strdup(cfg->bip);
	}
	g_net.conf_dir = strdup(cfg->cni_conf_dir && *cfg->cni_conf_dir ? cfg->cni_conf_dir
	                                                                : DEFAULT_CNI_CONF_DIR);
	const char *bins = cfg->cni_bin_dir && *cfg->cni_bin_dir
	                       ? cfg->cni_bin_dir
	                       : "/opt/cni/bin:/usr/lib/cni:/usr/libexec/cni";
	char *copy = strdup(bins), *save = NULL;
	for (char *d = copy ? strtok_r(copy, ":", &save) : NULL; d; d = strtok_r(NULL, ":", &save))
		strv_push(&g_net.bin_dirs, d);
	free(copy);
	g_net.data_dir = path_join(g_paths.graph, "cni");
	g_net.netns_dir = path_join(g_paths.state, "netns");
	return g_net.conf_dir && g_net.data_dir && g_net.netns_dir ? 0 : -1;
}

/* Holds an exclusive lock on the pid file for the daemon's lifetime: one daemon per file. */
static int lock_pidfile(const char *path)
{
	char err[512];
	int fd = pidfile_lock(path, "isulad", err, sizeof(err));
	if (fd < 0) {
		fprintf(stderr, "isulad: %s\n", err);
		return -1;
	}
	if (pidfile_write(fd) < 0) {
		fprintf(stderr, "isulad: cannot write pid file %s: %s\n", path, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

static char *sibling_binary(const char *name)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n < 0)
		return NULL;
	self[n] = '\0';
	return path_join(dirname(self), name);
}

/* The default hook spec is read again at every create; a broken one stops the daemon now
 * rather than every create later. */
static int check_default_hook_spec(const char *path)
{
	struct oci_hooks hooks;
	char err[2048];
	if (!path || !*path)
		return 0;
	if (oci_hooks_load_file(path, &hooks, err, sizeof(err)) < 0) {
		fprintf(stderr, "isulad: --hook-spec: %s\n", err);
		LOG_ERROR("--hook-spec: %s", err);
		return -1;
	}
	oci_hooks_free(&hooks);
	return 0;
}

/* The containers' default seccomp profile, read once: a file named by the flag or daemon.json
 * must be there; the default path may be absent (the compiled-in profile then). A file that
 * cannot be read or used stops the daemon, naming it. */
static int load_seccomp_profile(const char *given)
{
	const char *path = given ? given : ISULAD_DEFAULT_SECCOMP_PROFILE;
	char *text = read_file(path, 4 << 20, NULL);
	char err[1024] = "";
	if (!text && errno == ENOENT && !given) {
		LOG_INFO("no %s: the built-in default seccomp profile applies", path);
		return 0;
	}
	if (!text)
		snprintf(err, sizeof(err), "%s", strerror(errno));
	else if (seccomp_profile_set_default(text, err, sizeof(err)) == 0)
		LOG_INFO("default seccomp profile: %s", path);
	free(text);
	if (!err[0])
		return 0;
	fprintf(stderr, "isulad: seccomp profile %s: %s\n", path, err);
	LOG_ERROR("seccomp profile %s: %s", path, err);
	return -1;
}

/* Every container's supervision, attach, exec and API connection holds fds: the soft limit
 * (often 1024) would be reached long before the hard one. The monitors put the old one back
 * (NOFILE_ENV), so containers keep the limit they had. */
static bool has_tcp_host(char *const *hosts)
{
	for (size_t i = 0; hosts[i]; i++) {
		if (tcp_addr_is_tcp(hosts[i], false))
			return true;
	}
	return false;
}

static void raise_nofile_limit(void)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		char old[32];
		snprintf(old, sizeof(old), "%llu", (unsigned long long)rl.rlim_cur);
		setenv(NOFILE_ENV, old, 1);
		rl.rlim_cur = rl.rlim_max;
		if (setrlimit(RLIMIT_NOFILE, &rl) < 0)
			LOG_WARN("cannot raise the open files limit: %s", strerror(errno));
	}
}

int main(int argc, char **argv)
{
	struct daemon_config cfg;
	char err[2048] = "";
	if (daemon_config_load(argc, argv, &cfg, err, sizeof(err)) < 0) {
		fprintf(stderr, "isulad: %s\n", err);
		daemon_config_free(&cfg);
		return 1;
	}
	if (cfg.show_help || cfg.show_version) {
		if (cfg.show_help)
			daemon_config_usage();
		else
			printf("Version %s, commit %s\n", ISULAD_VERSION, GIT_COMMIT);
		daemon_config_free(&cfg);
		return 0;
	}
	/* Thread-per-connection would otherwise grow one malloc arena per thread. */
	mallopt(M_ARENA_MAX, 2);
	/* systemd's Type=notify: taken out of the environment before any thread or monitor. */
	char *notify_socket = sd_notify_take_socket();
	signal(SIGPIPE, SIG_IGN);
	int pidfd = lock_pidfile(cfg.pidfile);
	if (pidfd < 0) {
		free(notify_socket);
		daemon_config_free(&cfg);
		return 1;
	}
	if (daemon_log_setup(&cfg) < 0) {
		free(notify_socket);
		unlink(cfg.pidfile);
		close(pidfd);
		daemon_config_free(&cfg);
		return 1;
	}
	raise_nofile_limit();
	/* The certificates are read before anything starts: a bad one stops the daemon, naming
	 * the file (never a tcp listener without the protection asked for). */
	struct server_tls tls = {0}, *tls_ptr = NULL;
	if (cfg.tls && has_tcp_host(cfg.hosts)) {
		char terr[1024];
		if (server_tls_load(&tls, cfg.tls_verify, cfg.tls_ca, cfg.tls_cert, cfg.tls_key,
		                    terr, sizeof(terr)) < 0) {
			fprintf(stderr, "isulad: %s\n", terr);
			LOG_ERROR("%s", terr);
			goto fail;
		}
		tls_ptr = &tls;
	} else if (cfg.tls) {
		LOG_WARN(
		    "TLS is configured but no tcp:// host is: it applies to tcp:// hosts only");
	}
	g_runtime.monitor_path = sibling_binary("isulad-monitor");
	g_runtime.default_cgroup_parent = strdup(cfg.cgroup_parent);
	g_runtime.start_timeout_ms = cfg.start_timeout_ms;
	g_runtime.container_log_opts = cfg.container_log_opts;
	cfg.container_log_opts = NULL;
	g_runtime.default_hook_spec = cfg.hook_spec;
	cfg.hook_spec = NULL;
	if (check_default_hook_spec(g_runtime.default_hook_spec) < 0 ||
	    load_seccomp_profile(cfg.seccomp_profile) < 0)
		goto fail;
	if (!g_runtime.monitor_path || access(g_runtime.monitor_path, X_OK) < 0) {
		fprintf(stderr, "isulad: cannot find isulad-monitor next to isulad (%s)\n",
		        g_runtime.monitor_path ? g_runtime.monitor_path : "?");
		goto fail;
	}
	if (store_init(cfg.graph, cfg.state) < 0) {
		fprintf(stderr, "isulad: cannot prepare %s and %s\n", cfg.graph, cfg.state);
		goto fail;
	}
	server_set_spool_dir(g_paths.graph);
	if (network_settings_init(&cfg) < 0)
		goto fail;
	if (cfg.authz) {
		server_set_authz(cfg.authz_socket);
		LOG_INFO("authorization plugin %s on %s asked before every request",
		         AUTHZ_PLUGIN_NAME, cfg.authz_socket);
	}
	sigset_t stop_signals;
	sigemptyset(&stop_signals);
	sigaddset(&stop_signals, SIGTERM);
	sigaddset(&stop_signals, SIGINT);
	sigaddset(&stop_signals, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &stop_signals, NULL);
	runtime_recover_dirs();
	store_load_all();
	if (supervisor_start() < 0) {
		fprintf(stderr, "isulad: cannot start the supervisor\n");
		goto fail;
	}
	supervisor_restore_all();
	network_restore_all();
	if (monitor_spare_start(g_runtime.monitor_path, g_paths.lxcpath) < 0)
		LOG_WARN("no spare container monitor: each start spawns its own");
	struct server_limits limits = {.max_connections = (unsigned)cfg.api_max_connections,
	                               .idle_timeout_s = (unsigned)cfg.api_idle_timeout_s};
	if (server_start(cfg.hosts, cfg.group, g_routes, sizeof(g_routes) / sizeof(g_routes[0]),
	                 &limits, tls_ptr) < 0) {
		fprintf(stderr, "isulad: cannot listen on %s\n", cfg.hosts[0]);
		goto fail;
	}
	LOG_INFO("isulad %s listening on %s", ISULAD_VERSION, cfg.hosts[0]);
	/* Every listener accepts now: a unit ordered after isulad.service can use the socket. */
	char ready[64];
	snprintf(ready, sizeof(ready), "READY=1\nMAINPID=%d", (int)getpid());
	if (sd_notify_send(notify_socket, ready) < 0)
		LOG_WARN("cannot tell the service manager (%s) that isulad is ready: %s",
		         notify_socket, strerror(errno));
	int sig = 0;
	do {
		sigwait(&stop_signals, &sig);
	} while (sig == SIGHUP);
	LOG_INFO("isulad stopping on signal %d; containers keep running", sig);
	sd_notify_send(notify_socket, "STOPPING=1");
	free(notify_socket);
	server_stop();
	server_tls_free(&tls);
	monitor_spare_stop();
	supervisor_stop();
	unlink(cfg.pidfile);
	close(pidfd);
	daemon_config_free(&cfg);
	return 0;
fail: /* what was made so far, so that a refused start leaves nothing (and leaks nothing) */
	free(notify_socket);
	server_tls_free(&tls);
	unlink(cfg.pidfile);
	close(pidfd);
	daemon_config_free(&cfg);
	return 1;
}
