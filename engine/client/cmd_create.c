/* create and run: flags to a Docker-style create request, then start (and wait) for run. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "create_health.h"
#include "create_net.h"
#include "create_security.h"
#include "create_storage.h"
#include "core/fileutil.h"
#include "core/json.h"
#include "engine/restart_policy.h"
#include "core/strv.h"
#include "core/units.h"

enum {
	C_HOST,
	C_HELP,
	C_TTY,
	C_INTERACTIVE,
	C_DETACH,
	C_RM,
	C_NAME,
	C_ENV,
	C_ENV_FILE,
	C_LABEL_FILE,
	C_ANNOTATION,
	C_BLKIO_WEIGHT,
	C_BLKIO_WEIGHT_DEVICE,
	C_DEVICE_READ_BPS,
	C_DEVICE_WRITE_BPS,
	C_DEVICE_READ_IOPS,
	C_DEVICE_WRITE_IOPS,
	C_HUGETLB_LIMIT,
	C_KERNEL_MEMORY,
	C_MEMORY_SWAPPINESS,
	C_READ_ONLY,
	C_PID,
	C_IPC,
	C_UTS,
	C_HOSTNAME,
	C_VOLUME,
	C_MOUNT,
	C_USER,
	C_WORKDIR,
	C_RESTART,
	C_CGROUP_PARENT,
	C_SYSTEM_CONTAINER,
	C_EXTERNAL_ROOTFS,
	C_ENTRYPOINT,
	C_LABEL,
	C_MEMORY,
	C_MEMORY_SWAP,
	C_MEMORY_RESERVATION,
	C_CPU_SHARES,
	C_CPU_QUOTA,
	C_CPU_PERIOD,
	C_CPUS,
	C_CPUSET_CPUS,
	C_CPUSET_MEMS,
	C_PIDS_LIMIT,
	C_ULIMIT,
	C_PRIVILEGED,
	C_HOOK_SPEC,
	C_RUNTIME,
	C_LOG_OPT,
	C_USER_REMAP,
	C_NS_CHANGE_OPT,
	C_HOST_CHANNEL,
	C_ENV_TARGET_FILE,
	C_FILES_LIMIT,
	C_SYSCTL,
	C_SHM_SIZE,
	C_DNS,
	C_DNS_OPT,
	C_DNS_OPTION,
	C_DNS_SEARCH,
	C_ADD_HOST,
	C_OOM_KILL_DISABLE,
	C_CAP_ADD,
	C_GROUP_ADD,
	C_SECURITY_OPT,
	C_CAP_DROP,
	C_DEVICE,
	C_DEVICE_CGROUP_RULE,
	C_NET,
	C_NETWORK,
	C_IP,
	C_MAC_ADDRESS,
	C_PUBLISH,
	C_HEALTH_CMD,
	C_HEALTH_INTERVAL,
	C_HEALTH_TIMEOUT,
	C_HEALTH_START_PERIOD,
	C_HEALTH_RETRIES,
	C_HEALTH_EXIT_ON_UNHEALTHY,
	C_NO_HEALTHCHECK,
	C_STOP_SIGNAL,
	C_COUNT
};

static const struct cli_option g_opts[C_COUNT] = {
    [C_HOST] = {"host", 'H', CLI_STRING, "URL", "Daemon socket to connect to"},
    [C_HELP] = {"help", 0, CLI_BOOL, NULL, "Print usage"},
    [C_TTY] = {"tty", 't', CLI_BOOL, NULL, "Allocate a pseudo-TTY"},
    [C_INTERACTIVE] = {"interactive", 'i', CLI_BOOL, NULL, "Keep STDIN open even if not attached"},
    [C_DETACH] = {"detach", 'd', CLI_BOOL, NULL,
                  "Run container in background and print container ID"},
    [C_RM] = {"rm", 0, CLI_BOOL, NULL, "Automatically remove the container when it exits"},
    [C_NAME] = {"name", 'n', CLI_STRING, "NAME", "Name of the container"},
    [C_ENV] = {"env", 'e', CLI_LIST, "KEY=VALUE", "Set environment variables"},
    [C_ENV_FILE] = {"env-file", 0, CLI_LIST, "FILE", "Read in a file of environment variables"},
    [C_LABEL_FILE] = {"label-file", 0, CLI_LIST, "FILE", "Read in a line delimited file of labels"},
    [C_ANNOTATION] = {"annotation", 0, CLI_LIST, "KEY=VALUE",
                      "Set annotations on the container (its OCI spec's)"},
    [C_BLKIO_WEIGHT] = {"blkio-weight", 0, CLI_STRING, "N",
                        "Block IO (relative weight), between 10 and 1000"},
    [C_BLKIO_WEIGHT_DEVICE] = {"blkio-weight-device", 0, CLI_LIST, "DEVICE:WEIGHT",
                               "Block IO weight of a device (10 to 1000)"},
    [C_DEVICE_READ_BPS] = {"device-read-bps", 0, CLI_LIST, "DEVICE:RATE",
                           "Limit read rate (bytes per second) from a device, e.g. 1mb"},
    [C_DEVICE_WRITE_BPS] = {"device-write-bps", 0, CLI_LIST, "DEVICE:RATE",
                            "Limit write rate (bytes per second) to a device, e.g. 1mb"},
    [C_DEVICE_READ_IOPS] = {"device-read-iops", 0, CLI_LIST, "DEVICE:N",
                            "Limit read rate (IO per second) from a device"},
    [C_DEVICE_WRITE_IOPS] = {"device-write-iops", 0, CLI_LIST, "DEVICE:N",
                             "Limit write rate (IO per second) to a device"},
    [C_HUGETLB_LIMIT] = {"hugetlb-limit", 0, CLI_LIST, "[PAGESIZE:]LIMIT",
                         "Huge page limit, e.g. 2MB:32MB (default page size: the host's)"},
    [C_KERNEL_MEMORY] = {"kernel-memory", 0, CLI_STRING, "BYTES", "Kernel memory limit"},
    [C_MEMORY_SWAPPINESS] = {"memory-swappiness", 0, CLI_STRING, "N",
                             "Tune container memory swappiness (0 to 100)"},
    [C_READ_ONLY] = {"read-only", 0, CLI_BOOL, NULL,
                     "Mount the container's root filesystem as read only"},
    [C_PID] = {"pid", 0, CLI_STRING, "MODE", "PID namespace to use: host or container:NAME"},
    [C_IPC] = {"ipc", 0, CLI_STRING, "MODE",
               "IPC mode: host, container:NAME, shareable, private or none"},
    [C_UTS] = {"uts", 0, CLI_STRING, "MODE", "UTS namespace to use: host or container:NAME"},
    [C_HOSTNAME] = {"hostname", 'h', CLI_STRING, "NAME", "Container host name"},
    [C_VOLUME] = {"volume", 'v', CLI_LIST, "SRC:DST[:MODE]", "Bind mount a volume"},
    [C_MOUNT] = {"mount", 0, CLI_LIST, "type=bind|tmpfs,...",
                 "Attach a filesystem mount to the container: type=bind,src=PATH,dst=PATH"
                 "[,readonly][,bind-propagation=MODE] or type=tmpfs,dst=PATH[,tmpfs-size=SIZE]"
                 "[,tmpfs-mode=OCTAL]"},
    [C_USER] = {"user", 'u', CLI_STRING, "UID[:GID]",
                "Username or UID (format: <name|uid>[:<group|gid>])"},
    [C_WORKDIR] = {"workdir", 'w', CLI_STRING, "DIR", "Working directory inside the container"},
    [C_RESTART] = {"restart", 0, CLI_STRING, "POLICY",
                   "Restart policy: no, always, on-failure[:N], unless-stopped, on-reboot"},
    [C_CGROUP_PARENT] = {"cgroup-parent", 0, CLI_STRING, "PATH",
                         "Optional parent cgroup for the container"},
    [C_SYSTEM_CONTAINER] = {"system-container", 0, CLI_BOOL, NULL,
                            "Extend some features only needed by running system container"},
    [C_EXTERNAL_ROOTFS] =
        {"external-rootfs", 0, CLI_STRING, "PATH",
         "Specify the custom rootfs that is not managed by isulad for the container, directory "
         "or block device"},
    [C_ENTRYPOINT] = {"entrypoint", 0, CLI_STRING, "CMD",
                      "Entrypoint to run when starting the container"},
    [C_LABEL] = {"label", 'l', CLI_LIST, "KEY=VALUE", "Set metadata on the container"},
    [C_MEMORY] = {"memory", 'm', CLI_STRING, "BYTES", "Memory limit"},
    [C_MEMORY_SWAP] = {"memory-swap", 0, CLI_STRING, "BYTES",
                       "Swap limit equal to memory plus swap: '-1' to enable unlimited swap"},
    [C_MEMORY_RESERVATION] = {"memory-reservation", 0, CLI_STRING, "BYTES", "Memory soft limit"},
    [C_CPU_SHARES] = {"cpu-shares", 0, CLI_STRING, "N", "CPU shares (relative weight)"},
    [C_CPU_QUOTA] = {"cpu-quota", 0, CLI_STRING, "N",
                     "Limit CPU CFS (Completely Fair Scheduler) quota"},
    [C_CPU_PERIOD] = {"cpu-period", 0, CLI_STRING, "N",
                      "Limit CPU CFS (Completely Fair Scheduler) period"},
    [C_CPUS] = {"cpus", 0, CLI_STRING, "NUMBER", "Number of CPUs (e.g. 1.5)"},
    [C_CPUSET_CPUS] = {"cpuset-cpus", 0, CLI_STRING, "LIST",
                       "CPUs in which to allow execution (e.g. 0-3, 0,1)"},
    [C_CPUSET_MEMS] = {"cpuset-mems", 0, CLI_STRING, "LIST",
                       "MEMs in which to allow execution (0-3, 0,1)"},
    [C_PIDS_LIMIT] = {"pids-limit", 0, CLI_STRING, "N",
                      "Tune container pids limit (set -1 for unlimited)"},
    [C_ULIMIT] = {"ulimit", 0, CLI_LIST, "NAME=SOFT[:HARD]", "Ulimit options"},
    [C_PRIVILEGED] = {"privileged", 0, CLI_BOOL, NULL,
                      "Give extended privileges to this container"},
    [C_HOOK_SPEC] = {"hook-spec", 0, CLI_STRING, "FILE",
                     "File containing hook definition (prestart, poststart, poststop)"},
    [C_RUNTIME] = {"runtime", 'R', CLI_STRING, "RUNTIME", "Runtime to use for containers (lcr)"},
    [C_LOG_OPT] = {"log-opt", 0, CLI_LIST, "KEY=VALUE",
                   "Log options: max-size=SIZE, max-file=N, disable-log=true|false"},
    [C_USER_REMAP] = {"user-remap", 0, CLI_STRING, "UID:GID:OFFSET",
                      "Map the container's root to host UID:GID, OFFSET ids (system container)"},
    [C_NS_CHANGE_OPT] = {"ns-change-opt", 0, CLI_STRING, "net,ipc",
                         "Namespaced kernel parameters the container may change: net, ipc"},
    [C_HOST_CHANNEL] = {"host-channel", 0, CLI_STRING, "HOST:CTR[:rw|ro[:SIZE]]",
                        "Share a tmpfs (default 64MB) between a host path and the container"},
    [C_ENV_TARGET_FILE] = {"env-target-file", 0, CLI_STRING, "PATH",
                           "Persist the container's env to this file of its rootfs"},
    [C_FILES_LIMIT] = {"files-limit", 0, CLI_STRING, "N",
                       "Limit of open files (0 or -1: no limit)"},
    [C_SYSCTL] = {"sysctl", 0, CLI_LIST, "KEY=VALUE",
                  "Sysctl options (kernel.msg*, kernel.sem, kernel.shm*, kernel.pid_max, net.*, "
                  "fs.mqueue.*)"},
    [C_SHM_SIZE] = {"shm-size", 0, CLI_STRING, "SIZE", "Size of /dev/shm (default 64MB)"},
    [C_DNS] = {"dns", 0, CLI_LIST, "IP", "Set custom DNS servers"},
    [C_DNS_OPT] = {"dns-opt", 0, CLI_LIST, "OPTION", "Set DNS options"},
    [C_DNS_OPTION] = {"dns-option", 0, CLI_LIST, "OPTION", "Set DNS options"},
    [C_DNS_SEARCH] = {"dns-search", 0, CLI_LIST, "DOMAIN", "Set custom DNS search domains"},
    [C_ADD_HOST] = {"add-host", 0, CLI_LIST, "HOST:IP", "Add a custom host-to-IP mapping"},
    [C_OOM_KILL_DISABLE] = {"oom-kill-disable", 0, CLI_BOOL, NULL, "Disable OOM Killer"},
    [C_CAP_ADD] = {"cap-add", 0, CLI_LIST, "CAP", "Add Linux capabilities (or ALL)"},
    [C_CAP_DROP] = {"cap-drop", 0, CLI_LIST, "CAP", "Drop Linux capabilities (or ALL)"},
    [C_GROUP_ADD] = {"group-add", 0, CLI_LIST, "GROUP", "Add additional groups to join"},
    [C_SECURITY_OPT] = {"security-opt", 0, CLI_LIST, "OPTION",
                        "Security options: no-new-privileges, seccomp=PROFILE.json|unconfined"},
    [C_DEVICE] = {"device", 0, CLI_LIST, "HOST[:CTR][:RWM]", "Add a host device to the container"},
    [C_DEVICE_CGROUP_RULE] = {"device-cgroup-rule", 0, CLI_LIST, "RULE",
                              "Add a rule to the devices cgroup allow list (e.g. 'c 1:3 rwm')"},
    [C_NET] = {"net", 0, CLI_STRING, "MODE",
               "Connect a container to a network: none, host, container:NAME or a network "
               "(default bridge)"},
    [C_NETWORK] = {"network", 0, CLI_STRING, "MODE", "Same as --net"},
    [C_IP] = {"ip", 0, CLI_STRING, "IPv4", "IPv4 address on the network"},
    [C_MAC_ADDRESS] = {"mac-address", 0, CLI_STRING, "MAC", "Container MAC address"},
    [C_PUBLISH] = {"publish", 'p', CLI_LIST, "[IP:]HOSTPORT:CTRPORT[/PROTO]",
                   "Publish a container's port to the host"},
    [C_HEALTH_CMD] = {"health-cmd", 0, CLI_STRING, "CMD",
                      "Command to run to check health (in the container, by /bin/sh -c)"},
    [C_HEALTH_INTERVAL] = {"health-interval", 0, CLI_STRING, "DURATION",
                           "Time between running the check (ms|s|m|h) (default 30s)"},
    [C_HEALTH_TIMEOUT] = {"health-timeout", 0, CLI_STRING, "DURATION",
                          "Maximum time to allow one check to run (ms|s|m|h) (default 30s)"},
    [C_HEALTH_START_PERIOD] = {"health-start-period", 0, CLI_STRING, "DURATION",
                               "Start period for the container to initialize before starting "
                               "health-retries countdown (ms|s|m|h) (default 0s)"},
    [C_HEALTH_RETRIES] = {"health-retries", 0, CLI_STRING, "N",
                          "Consecutive failures needed to report unhealthy (default 3)"},
    [C_HEALTH_EXIT_ON_UNHEALTHY] = {"health-exit-on-unhealthy", 0, CLI_BOOL, NULL,
                                    "Kill the container when it turns unhealthy"},
    [C_NO_HEALTHCHECK] = {"no-healthcheck", 0, CLI_BOOL, NULL,
                          "Disable any container-specified HEALTHCHECK"},
    [C_STOP_SIGNAL] = {"stop-signal", 0, CLI_STRING, "SIGNAL",
                       "Signal to stop the container (default SIGTERM)"},
};

static const struct create_net_flags g_net_flags = {
    .net = C_NET,
    .network = C_NETWORK,
    .ip = C_IP,
    .mac = C_MAC_ADDRESS,
    .publish = C_PUBLISH,
};

static const struct create_security_flags g_sec_flags = {
    .sysctl = C_SYSCTL,
    .shm_size = C_SHM_SIZE,
    .dns = C_DNS,
    .dns_opt = C_DNS_OPT,
    .dns_option = C_DNS_OPTION,
    .dns_search = C_DNS_SEARCH,
    .add_host = C_ADD_HOST,
    .oom_kill_disable = C_OOM_KILL_DISABLE,
    .cap_add = C_CAP_ADD,
    .cap_drop = C_CAP_DROP,
    .group_add = C_GROUP_ADD,
    .security_opt = C_SECURITY_OPT,
    .device = C_DEVICE,
    .device_cgroup_rule = C_DEVICE_CGROUP_RULE,
};

static const struct create_storage_flags g_storage_flags = {
    .blkio =
        {
            [BLKIO_WEIGHT_DEVICE] = C_BLKIO_WEIGHT_DEVICE,
            [BLKIO_READ_BPS] = C_DEVICE_READ_BPS,
            [BLKIO_WRITE_BPS] = C_DEVICE_WRITE_BPS,
            [BLKIO_READ_IOPS] = C_DEVICE_READ_IOPS,
            [BLKIO_WRITE_IOPS] = C_DEVICE_WRITE_IOPS,
        },
    .hugetlb = C_HUGETLB_LIMIT,
    .mount = C_MOUNT,
};

static const struct create_health_flags g_health_flags = {
    .cmd = C_HEALTH_CMD,
    .interval = C_HEALTH_INTERVAL,
    .timeout = C_HEALTH_TIMEOUT,
    .start_period = C_HEALTH_START_PERIOD,
    .retries = C_HEALTH_RETRIES,
    .exit_on_unhealthy = C_HEALTH_EXIT_ON_UNHEALTHY,
    .no_healthcheck = C_NO_HEALTHCHECK,
};

static int fail(const char *fmt, const char *a, const char *b)
{
	fprintf(stderr, fmt, a, b);
	fputc('\n', stderr);
	return -1;
}

static int gen_size(yajl_gen g, struct cli_values *v, size_t idx, const char *key,
                    bool allow_minus1)
{
	const char *s = cli_string(v, idx);
	if (!s)
		return 0;
	int64_t bytes;
	if (allow_minus1 && strcmp(s, "-1") == 0)
		bytes = -1;
	else if (parse_byte_size(s, &bytes) < 0)
		return fail("Invalid value %s for flag --%s: expected a size like 512m or 1g", s,
		            g_opts[idx].long_name);
	jg_kint(g, key, bytes);
	return 0;
}

/* --cpus NUMBER as Docker's NanoCpus. */
static int gen_nano_cpus(yajl_gen g, struct cli_values *v, size_t idx)
{
	const char *s = cli_string(v, idx);
	if (!s)
		return 0;
	int64_t n;
	if (parse_nano_cpus(s, &n) < 0)
		return fail("Invalid value %s for flag --cpus: expected a number of CPUs like 1.5 "
		            "(9 decimals at most)%s",
		            s, "");
	jg_kint(g, "NanoCpus", n);
	return 0;
}

static int gen_int(yajl_gen g, struct cli_values *v, size_t idx, const char *key)
{
	const char *s = cli_string(v, idx);
	if (!s)
		return 0;
	int64_t n;
	if (parse_int64(s, &n) < 0)
		return fail("Invalid value %s for flag --%s: expected an integer", s,
		            g_opts[idx].long_name);
	jg_kint(g, key, n);
	return 0;
}

/* A KEY=VALUE list flag as a JSON map; a value without '=' is refused. */
static int gen_kv_map(yajl_gen g, struct cli_values *v, size_t idx, const char *key)
{
	if (cli_list_len(v, idx) == 0)
		return 0;
	jg_key(g, key);
	yajl_gen_map_open(g);
	for (size_t i = 0; i < cli_list_len(v, idx); i++) {
		const char *kv = cli_list_at(v, idx, i);
		const char *eq = strchr(kv, '=');
		if (!eq || eq == kv)
			return fail("Invalid value %s for flag --%s: expected KEY=VALUE", kv,
			            g_opts[idx].long_name);
		yajl_gen_string(g, (const unsigned char *)kv, (size_t)(eq - kv));
		jg_str(g, eq + 1);
	}
	yajl_gen_map_close(g);
	return 0;
}

static int gen_ulimits(yajl_gen g, struct cli_values *v)
{
	jg_key(g, "Ulimits");
	yajl_gen_array_open(g);
	for (size_t i = 0; i < cli_list_len(v, C_ULIMIT); i++) {
		const char *u = cli_list_at(v, C_ULIMIT, i);
		const char *eq = strchr(u, '=');
		int64_t soft, hard;
		char *copy = strdup(eq ? eq + 1 : "");
		char *colon = copy ? strchr(copy, ':') : NULL;
		if (colon)
			*colon = '\0';
		bool ok = eq && eq != u && copy && parse_int64(copy, &soft) == 0 &&
		          (!colon || parse_int64(colon + 1, &hard) == 0);
		free(copy);
		if (!ok)
			return fail("Invalid ulimit %s: expected NAME=SOFT[:HARD]%s", u, "");
		if (!colon)
			hard = soft;
		yajl_gen_map_open(g);
		yajl_gen_string(g, (const unsigned char *)"Name", 4);
		yajl_gen_string(g, (const unsigned char *)u, (size_t)(eq - u));
		jg_kint(g, "Soft", soft);
		jg_kint(g, "Hard", hard);
		yajl_gen_map_close(g);
	}
	yajl_gen_array_close(g);
	return 0;
}

/* --log-opt KEY=VALUE as Docker's LogConfig; the daemon checks keys and values. */
static int gen_log_config(yajl_gen g, struct cli_values *v)
{
	if (cli_list_len(v, C_LOG_OPT) == 0)
		return 0;
	jg_key(g, "LogConfig");
	yajl_gen_map_open(g);
	jg_kstr(g, "Type", "json-file");
	jg_key(g, "Config");
	yajl_gen_map_open(g);
	for (size_t i = 0; i < cli_list_len(v, C_LOG_OPT); i++) {
		const char *o = cli_list_at(v, C_LOG_OPT, i);
		const char *eq = strchr(o, '=');
		if (!eq || eq == o)
			return fail("Invalid --log-opt \"%s\": expected KEY=VALUE (max-size=SIZE, "
			            "max-file=N, disable-log=true|false)%s",
			            o, "");
		yajl_gen_string(g, (const unsigned char *)o, (size_t)(eq - o));
		jg_str(g, eq + 1);
	}
	yajl_gen_map_close(g);
	yajl_gen_map_close(g);
	return 0;
}

static int gen_host_config(yajl_gen g, struct cli_values *v)
{
	jg_key(g, "HostConfig");
	yajl_gen_map_open(g);
	jg_kbool(g, "SystemContainer", cli_bool(v, C_SYSTEM_CONTAINER));
	jg_kbool(g, "Privileged", cli_bool(v, C_PRIVILEGED));
	jg_kbool(g, "AutoRemove", cli_bool(v, C_RM));
	if (cli_string(v, C_EXTERNAL_ROOTFS))
		jg_kstr(g, "ExternalRootfs", cli_string(v, C_EXTERNAL_ROOTFS));
	if (cli_string(v, C_CGROUP_PARENT))
		jg_kstr(g, "CgroupParent", cli_string(v, C_CGROUP_PARENT));
	if (cli_string(v, C_HOOK_SPEC))
		jg_kstr(g, "HookSpec", cli_string(v, C_HOOK_SPEC));
	if (cli_string(v, C_CPUSET_CPUS))
		jg_kstr(g, "CpusetCpus", cli_string(v, C_CPUSET_CPUS));
	if (cli_string(v, C_CPUSET_MEMS))
		jg_kstr(g, "CpusetMems", cli_string(v, C_CPUSET_MEMS));
	jg_key(g, "Binds");
	yajl_gen_array_open(g);
	for (size_t i = 0; i < cli_list_len(v, C_VOLUME); i++)
		jg_str(g, cli_list_at(v, C_VOLUME, i));
	yajl_gen_array_close(g);
	if (cli_bool(v, C_READ_ONLY))
		jg_kbool(g, "ReadonlyRootfs", true);
	static const struct {
		size_t idx;
		const char *key;
	} modes[] = {{C_PID, "PidMode"}, {C_IPC, "IpcMode"}, {C_UTS, "UTSMode"}};
	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		if (cli_string(v, modes[i].idx))
			jg_kstr(g, modes[i].key, cli_string(v, modes[i].idx));
	}
	const char *restart = cli_string(v, C_RESTART);
	if (restart) {
		struct restart_policy rp;
		char err[256];
		if (restart_policy_parse(restart, &rp, err, sizeof(err)) < 0)
			return fail("%s%s", err, "");
		jg_key(g, "RestartPolicy");
		yajl_gen_map_open(g);
		jg_kstr(g, "Name", restart_policy_name(rp.kind));
		jg_kint(g, "MaximumRetryCount", rp.max_retries);
		yajl_gen_map_close(g);
	}
	if (gen_size(g, v, C_MEMORY, "Memory", false) < 0 ||
	    gen_size(g, v, C_MEMORY_SWAP, "MemorySwap", true) < 0 ||
	    gen_size(g, v, C_MEMORY_RESERVATION, "MemoryReservation", false) < 0 ||
	    gen_int(g, v, C_CPU_SHARES, "CpuShares") < 0 ||
	    gen_int(g, v, C_CPU_QUOTA, "CpuQuota") < 0 ||
	    gen_int(g, v, C_CPU_PERIOD, "CpuPeriod") < 0 || gen_nano_cpus(g, v, C_CPUS) < 0 ||
	    gen_int(g, v, C_PIDS_LIMIT, "PidsLimit") < 0 ||
	    gen_int(g, v, C_BLKIO_WEIGHT, "BlkioWeight") < 0 ||
	    gen_size(g, v, C_KERNEL_MEMORY, "KernelMemory", false) < 0 ||
	    gen_int(g, v, C_MEMORY_SWAPPINESS, "MemorySwappiness") < 0 ||
	    gen_kv_map(g, v, C_ANNOTATION, "Annotations") < 0 || gen_ulimits(g, v) < 0 ||
	    gen_log_config(g, v) < 0 || create_gen_security(g, v, &g_sec_flags) < 0 ||
	    create_gen_storage(g, v, &g_storage_flags) < 0)
		return -1;
	const struct sysopt_flags sf = {
	    .user_remap = cli_string(v, C_USER_REMAP),
	    .ns_change_opt = cli_string(v, C_NS_CHANGE_OPT),
	    .host_channel = cli_string(v, C_HOST_CHANNEL),
	    .env_target_file = cli_string(v, C_ENV_TARGET_FILE),
	    .files_limit = cli_string(v, C_FILES_LIMIT),
	};
	if (gen_sysopts(g, &sf) < 0 || create_gen_net_host(g, v, &g_net_flags) < 0)
		return -1;
	yajl_gen_map_close(g);
	return 0;
}

/* KEY=VALUE lines; a bare KEY takes the client's own value; # starts a comment. */
static int read_env_file(const char *path, char ***env)
{
	char *text = read_file(path, 10 << 20, NULL);
	if (!text)
		return fail("Cannot read env file %s: %s", path, strerror(errno));
	char *save = NULL;
	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		while (*line == ' ' || *line == '\t')
			line++;
		if (*line == '\0' || *line == '#')
			continue;
		if (strchr(line, '=')) {
			strv_push(env, line);
		} else if (getenv(line)) {
			char kv[8192];
			snprintf(kv, sizeof(kv), "%s=%s", line, getenv(line));
			strv_push(env, kv);
		}
	}
	free(text);
	return 0;
}

/* --label-file's lines (KEY=VALUE, a bare KEY has an empty value, # starts a comment), then
 * --label's, as Docker: a later one wins. */
static int collect_labels(struct cli_values *v, char ***labels)
{
	for (size_t i = 0; i < cli_list_len(v, C_LABEL_FILE); i++) {
		const char *path = cli_list_at(v, C_LABEL_FILE, i);
		char *text = read_file(path, 10 << 20, NULL);
		if (!text)
			return fail("Cannot read label file %s: %s", path, strerror(errno));
		char *save = NULL;
		for (char *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
			while (*l == ' ' || *l == '\t')
				l++;
			if (*l && *l != '#')
				strv_pushf(labels, strchr(l, '=') ? "%s" : "%s=", l);
		}
		free(text);
	}
	for (size_t i = 0; i < cli_list_len(v, C_LABEL); i++) {
		const char *l = cli_list_at(v, C_LABEL, i);
		strv_pushf(labels, strchr(l, '=') ? "%s" : "%s=", l);
	}
	return 0;
}

static int collect_env(struct cli_values *v, char ***env)
{
	for (size_t i = 0; i < cli_list_len(v, C_ENV_FILE); i++) {
		if (read_env_file(cli_list_at(v, C_ENV_FILE, i), env) < 0)
			return -1;
	}
	for (size_t i = 0; i < cli_list_len(v, C_ENV); i++) {
		const char *e = cli_list_at(v, C_ENV, i);
		if (e[0] == '=' || e[0] == '\0')
			return fail("Invalid environment variable \"%s\"%s", e, "");
		if (strchr(e, '=')) {
			strv_push(env, e);
		} else if (getenv(e)) {
			char kv[8192];
			snprintf(kv, sizeof(kv), "%s=%s", e, getenv(e));
			strv_push(env, kv);
		}
	}
	return 0;
}

static int check_flags(struct cli_values *v)
{
	const char *rootfs = cli_string(v, C_EXTERNAL_ROOTFS);
	if (cli_bool(v, C_SYSTEM_CONTAINER) && !rootfs)
		return fail("--system-container must be used together with --external-rootfs%s%s",
		            "", "");
	if (rootfs && rootfs[0] != '/')
		return fail("Invalid --external-rootfs \"%s\": must be an absolute path%s", rootfs,
		            "");
	const char *runtime = cli_string(v, C_RUNTIME);
	if (runtime && strcasecmp(runtime, "lcr") != 0)
		return fail("Invalid runtime \"%s\": only lcr is supported%s", runtime, "");
	return 0;
}

static char *build_request(struct cli_values *v, bool is_run)
{
	char **env = NULL, **cmd = NULL;
	char *out = NULL;
	if (check_flags(v) < 0 || collect_env(v, &env) < 0)
		goto done;
	for (size_t i = 1; i < cli_npositional(v); i++)
		strv_push(&cmd, cli_positional(v, i));
	yajl_gen g = yajl_gen_alloc(NULL);
	yajl_gen_map_open(g);
	jg_kstr(g, "Image", cli_positional(v, 0));
	if (cli_string(v, C_HOSTNAME))
		jg_kstr(g, "Hostname", cli_string(v, C_HOSTNAME));
	if (cli_string(v, C_USER))
		jg_kstr(g, "User", cli_string(v, C_USER));
	if (cli_string(v, C_WORKDIR))
		jg_kstr(g, "WorkingDir", cli_string(v, C_WORKDIR));
	if (cli_string(v, C_STOP_SIGNAL))
		jg_kstr(g, "StopSignal", cli_string(v, C_STOP_SIGNAL));
	jg_kbool(g, "Tty", cli_bool(v, C_TTY));
	jg_kbool(g, "OpenStdin", cli_bool(v, C_INTERACTIVE));
	/* Docker's run -i: the client's end of input is the end of the container's. */
	jg_kbool(g, "StdinOnce", cli_bool(v, C_INTERACTIVE) && is_run && !cli_bool(v, C_DETACH));
	jg_kstrv(g, "Env", env);
	if (cmd)
		jg_kstrv(g, "Cmd", cmd);
	if (cli_string(v, C_ENTRYPOINT)) {
		char *ep[] = {(char *)cli_string(v, C_ENTRYPOINT), NULL};
		jg_kstrv(g, "Entrypoint", ep);
	}
	char **labels = NULL;
	if (collect_labels(v, &labels) < 0) {
		yajl_gen_free(g);
		goto done;
	}
	jg_kmap_from_kv(g, "Labels", labels);
	strv_free(labels);
	if (create_gen_health(g, v, &g_health_flags) < 0 || gen_host_config(g, v) < 0) {
		yajl_gen_free(g);
		goto done;
	}
	create_gen_net_endpoint(g, v, &g_net_flags);
	yajl_gen_map_close(g);
	out = jg_finish(g, NULL);
done:
	strv_free(env);
	strv_free(cmd);
	return out;
}

/* Creates the container (for run: a foreground run -i ends its input with the client's);
 * returns its ID (malloc'd) or NULL after printing why. With start (run -d), the daemon
 * starts it in the same request: *started says whether it did (else the error is printed,
 * and the ID is returned all the same when the container was made). */
static char *create_container(struct client *cl, struct cli_values *v, bool is_run, bool start,
                              bool *started)
{
	char *body = build_request(v, is_run);
	if (!body)
		return NULL;
	char path[512];
	const char *name = cli_string(v, C_NAME);
	char *esc = name ? url_escape(name) : NULL;
	snprintf(path, sizeof(path), "/containers/create%s%s%s", name ? "?name=" : "",
	         name ? (esc ? esc : name) : "", start ? (name ? "&start=1" : "?start=1") : "");
	free(esc);
	struct api_response r;
	char *id = NULL;
	if (started)
		*started = false;
	if (api_call(cl, "POST", path, body, &r) == 0) {
		yajl_val root = json_parse(r.body, NULL, 0);
		const char *s = json_get_str(root, "Id");
		if (s && (r.status == 201 || start))
			id = strdup(s);
		if (r.status == 201 && id && started)
			*started = true;
		if (r.status != 201 || !id)
			print_daemon_error(&r);
		if (root)
			yajl_tree_free(root);
	}
	api_response_free(&r);
	free(body);
	return id;
}

static struct cli_values *parse(struct client *cl, const char *usage, int argc, char **argv,
                                int *code)
{
	return parse_command_flags(cl, usage, g_opts, C_COUNT, C_HELP, C_HOST, argc, argv, true, 1,
	                           code);
}

int cmd_create(struct client *cl, int argc, char **argv)
{
	int code = 0;
	struct cli_values *v =
	    parse(cl, "isula create [OPTIONS] IMAGE [COMMAND] [ARG...]", argc, argv, &code);
	if (!v)
		return code;
	char *id = create_container(cl, v, false, false, NULL);
	if (id)
		printf("%s\n", id);
	free(id);
	cli_values_free(v);
	return id ? 0 : EXIT_DAEMON_ERROR;
}

int cmd_run(struct client *cl, int argc, char **argv)
{
	int code = 0;
	struct cli_values *v =
	    parse(cl, "isula run [OPTIONS] ROOTFS|IMAGE [COMMAND] [ARG...]", argc, argv, &code);
	if (!v)
		return code;
	bool detach = cli_bool(v, C_DETACH), started = false;
	/* Detached, the start is part of the create's request (one round trip, the create's
	 * fsyncs overlapping the start). */
	char *id = create_container(cl, v, true, detach, &started);
	code = EXIT_DAEMON_ERROR;
	if (!id)
		goto out;
	if (!detach) {
		code = start_attached(cl, id, cli_bool(v, C_TTY), cli_bool(v, C_INTERACTIVE),
		                      cli_bool(v, C_RM));
		if (code < 0)
			code = EXIT_DAEMON_ERROR;
		goto out;
	}
	if (started) {
		printf("%s\n", id);
		code = 0;
	} else if (cli_bool(v, C_RM)) {
		/* Docker leaves a failed run's container; --rm asks for it to go. */
		char path[160];
		struct api_response r;
		snprintf(path, sizeof(path), "/containers/%s?force=1", id);
		if (api_call(cl, "DELETE", path, NULL, &r) == 0)
			api_response_free(&r);
	}
out:
	free(id);
	cli_values_free(v);
	return code;
}
