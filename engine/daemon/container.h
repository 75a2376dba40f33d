/* The engine's record of one container: its configuration (Docker's Config/HostConfig shape
 * plus iSulad's system-container fields) and its state, with their on-disk JSON forms. */
#ifndef ENGINE_CONTAINER_H
#define ENGINE_CONTAINER_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "blkio_config.h"
#include "core/idgen.h"
#include "hugetlb_config.h"
#include "mount_config.h"
#include "host/boot_id.h"
#include "engine/healthcheck.h"
#include "engine/oci_hooks.h"
#include "engine/restart_policy.h"
#include "health_state.h"
#include "net_config.h"
#include "ns_modes.h"
#include "security_config.h"
#include "sysopt_config.h"

struct ulimit {
	char *name;
	int64_t soft, hard;
};

struct container_config {
	char *hostname;
	char *user;
	char *workdir;
	char **env;
	char **cmd;
	char **entrypoint;
	char **labels; /* "k=v" entries */
	char *image;
	char *stop_signal; /* --stop-signal as given ("SIGKILL", "15"); NULL: the default */
	bool tty, open_stdin, attach_stdin;
	bool stdin_once; /* the first attach's end of input closes the init's stdin (run -i) */
	struct healthcheck *healthcheck; /* Config.Healthcheck; NULL: none given */
};

struct host_config {
	bool system_container;
	bool privileged;
	bool auto_remove;
	char *external_rootfs;
	char *cgroup_parent;
	char **binds;
	struct mount_config mounts; /* --mount, after the binds */
	struct restart_policy restart;
	int64_t memory, memory_swap, memory_reservation;
	int64_t cpu_shares, cpu_quota, cpu_period;
	int64_t
	    nano_cpus; /* --cpus in 1e-9 CPUs (Docker's NanoCpus): a quota over a 100ms period */
	char *cpuset_cpus, *cpuset_mems;
	int64_t pids_limit;
	int64_t blkio_weight;      /* 10..1000, 0: unset */
	struct blkio_config blkio; /* per-device weights and throttling */
	struct hugetlb_config hugetlb;
	int64_t kernel_memory;     /* bytes, 0: unset */
	int64_t memory_swappiness; /* 0..100, -1: unset */
	bool readonly_rootfs;
	char **annotations; /* "key=value": the OCI spec's, shown in inspect */
	struct ns_modes ns; /* --pid, --ipc, --uts */
	struct ulimit *ulimits;
	size_t n_ulimits;
	char *hook_spec;
	char *log_type;  /* LogConfig.Type: json-file (or none) */
	char **log_opts; /* LogConfig.Config as "k=v"; at create completed with the defaults */
	struct security_config sec; /* --sysctl, --dns*, --cap-*, --device, ... */
	struct sysopt_config sys;   /* --user-remap, --ns-change-opt, --host-channel, ... */
	struct net_config net;      /* --net, --ip, --mac-address, -p */
};

/* The container's place on a CNI network while it runs (container_net.c; network.json in its
 * dir). network NULL: none. */
struct container_net_state {
	char *network;
	char ip[46], gateway[46], mac[18];
	int prefix;
};

enum container_status {
	STATUS_CREATED, /* printed "inited" like iSulad */
	STATUS_RUNNING,
	STATUS_RESTARTING,
	STATUS_EXITED,
};

struct container_state {
	enum container_status status;
	pid_t pid;
	int exit_code;
	char *error;
	struct timespec started_at, finished_at;
	int restart_count;
	bool manually_stopped; /* stop/kill by a user: restart policies must not undo it */
	bool paused;           /* running, with its cgroup frozen */
	pid_t monitor_pid;
	unsigned long long monitor_start_time; /* /proc/PID/stat starttime, guards PID reuse */
	/* The boot the monitor ran in (host/boot_id.h): a pid and start time of another boot
	 * can name a stranger. "" in records of versions before it was kept. */
	char monitor_boot_id[BOOT_ID_LEN + 1];
	struct health_state health; /* State.Health (health.c runs the checks) */
};

struct container {
	char id[CONTAINER_ID_LEN + 1];
	char *name;
	struct timespec created;
	struct container_config config;
	struct host_config host;
	struct container_state state;
	/* The daemon's default hooks then --hook-spec's, fixed at create; kept in the bundle's
	 * config.json ("hooks"). */
	struct oci_hooks hooks;
	struct container_net_state net; /* store lock */
	/* runtime-only */
	/* Why its state files could not be read at load (NULL: they could). Such a container is
	 * listed with status "broken" and keeps its name; only inspect and rm act on it. */
	char *broken;
	pthread_mutex_t op_lock; /* serialises lifecycle operations on this container */
	int refs;
	int cp_freezes; /* copies under way that froze it (isula cp), store lock */
	bool removed;
	/* Made by this daemon's create and not started since: no cgroup of it can exist, so its
	 * first start looks for none left over. op_lock */
	bool never_started;
	/* The lxc config a run's create rendered, for its start in the same request: one that
	 * renders the same again makes the same spec, which config.json holds already. Freed
	 * once that start is over, or by any other render. op_lock */
	char *run_lxc_text;
	unsigned exits;  /* exits seen since the daemon started: wait next-exit */
	int log_readers; /* attach streams following the log: auto-remove waits */
	/* The console log a -t container's current run began (empty) in: an attach that comes
	 * once the run has ended (run -t, start -a of a command that ends at once) is sent the
	 * run's output from it. store lock */
	struct {
		bool valid;
		dev_t dev;
		ino_t ino;
	} tty_log_mark;
	/* The init's start time (/proc/PID/stat) when this daemon saw it start: with state.pid
	 * it pins the init without asking liblxc. 0: unknown (started before this daemon). */
	uint64_t init_start;
	/* Stops under way, each of which writes the exit it waits for itself, synced: the
	 * supervisor leaves its save of the exit pending for them (one write, not an unsynced
	 * one and then a sync). store lock */
	int stop_syncs;
	/* The exit a stop saw through the init's pidfd and wrote ahead (supervisor_foresee_exit):
	 * the supervisor's record takes its time, so that what it saves is what is on disk
	 * already. store lock */
	struct {
		bool valid;
		int exit_code;
		struct timespec finished_at;
	} foreseen_exit;
	int64_t restart_due_ms;   /* 0: no restart pending */
	int64_t restart_delay_ms; /* current back-off */
	/* health.c, store lock: when the next check is due (0: none is: no check, not running,
	 * paused, or one under way), and the run of the container a check belongs to (each
	 * start and exit moves it on: a late result of an earlier run is dropped). */
	int64_t health_due_ms;
	unsigned health_run;
	/* store.c's deferred saves: rendered under the store lock, written after it (in
	 * order, under save_lock), so that a slow disk never holds the store lock. */
	pthread_mutex_t save_lock;
	char *save_config, *save_host; /* pending config.v2.json / hostconfig.json, or NULL */
	size_t save_config_len, save_host_len;
	int save_errno;     /* of the last write: 0 or an errno */
	bool save_queued;   /* on the saving thread's list */
	bool save_unsynced; /* every pending snapshot asked for no fsync (store_save_state_unsynced)
	                     */
	/* What config.v2.json holds by the last write (length, FNV-1a hash) and whether it was
	 * synced: a synced snapshot equal to it is not written again. */
	size_t saved_len;
	uint64_t saved_hash;
	bool saved_synced;
};

/* Docker's CFS period for --cpus (100ms). */
#define NANO_CPUS_PERIOD 100000
/* The CFS quota and period h runs under: CpuQuota/CpuPeriod, or NanoCpus' over 100ms. */
void host_config_cfs(const struct host_config *h, int64_t *quota, int64_t *period);
const char *container_status_name(enum container_status s);
/* The State.Status a user sees: the status name, or "paused". Store lock held. */
const char *container_state_name(const struct container *c);
/* The init's environment (a new strv): the config's, with a default PATH and (with a tty)
 * TERM=xterm. */
char **container_init_env(const struct container_config *cfg);
void container_config_free(struct container_config *c);
void host_config_free(struct host_config *h);
/* Docker's rule for names: [a-zA-Z0-9][a-zA-Z0-9_.-]*. 0, or -1 with err saying so. */
int container_name_check(const char *name, char *err, size_t errlen);
/* A zeroed container with its locks ready and id copied (NULL: leave it empty), or NULL. */
struct container *container_new(const char *id);
void container_free(struct container *c);

/* Docker/iSulad JSON forms. The *_gen functions emit one JSON object into g. */
#include <yajl/yajl_gen.h>
#include <yajl/yajl_tree.h>
void container_config_gen(yajl_gen g, const struct container_config *c);
void host_config_gen(yajl_gen g, const struct host_config *h);
/* internal adds the fields only the daemon needs back (monitor pid, manual stop). */
void container_state_gen(yajl_gen g, const struct container *c, bool internal);
/* Parse the Docker API/disk forms; errors name the bad field in err. */
int container_config_parse(yajl_val node, struct container_config *out, char *err, size_t errlen);
int host_config_parse(yajl_val node, struct host_config *out, char *err, size_t errlen);
int container_state_parse(yajl_val node, struct container_state *out);

#endif
