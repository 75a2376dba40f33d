/* Running containers through liblxc: each start forks an isulad-monitor (the container's
 * liblxc monitor, independent of the daemon); stop/kill talk to it over liblxc's command
 * socket. Callers hold the container's op_lock. */
#ifndef ENGINE_RUNTIME_H
#define ENGINE_RUNTIME_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "container.h"
#include "engine/exit_record.h"
#include "host/pid_pin.h"

/* In the state dir of a container created with -i (OpenStdin) and no tty: the FIFO whose read
 * side is the init's stdin (the monitor holds it open read-write, so no EOF ever comes). */
#define STDIN_FIFO_FILE "stdin.fifo"

struct runtime_settings {
	char *monitor_path;
	char *default_cgroup_parent;
	int64_t start_timeout_ms;
	char **container_log_opts; /* daemon.json container-log defaults ("k=v") */
	char *default_hook_spec;   /* isulad --hook-spec / daemon.json "hook-spec" */
	/* Where runtime_start hands a started container over (the supervisor registers both in
	 * supervisor_start, before the first start): watch takes a running container's monitor
	 * and ownership of its pidfd; exited records an init that already ended. */
	void (*watch)(struct container *c, pid_t monitor, int pidfd);
	void (*exited)(struct container *c, const struct exit_record *rec);
};
extern struct runtime_settings g_runtime;

/* Writes the bundle's OCI spec (config.json) for c as it stands (create, update); an
 * unknown -u user is left for the start to report. for_run: a run's create, whose start
 * follows in the same request (what was rendered is kept for it). 0, or -1 with err. */
int runtime_write_spec(struct container *c, bool for_run, char *err, size_t errlen);
/* Starts c; on success its state is running (or already exited, for a command that ended at
 * once). On failure err says why and nothing is left running. */
int runtime_start(struct container *c, char *err, size_t errlen);
/* A writer of the stdin FIFO of an -i container without a tty (created if need be, also
 * before the first start): what attach forwards the client's input into. fd or -1. */
int runtime_open_stdin(const struct container *c, char *err, size_t errlen);
/* Graceful stop (the init's halt signal), SIGKILL after timeout_s (0: at once; <0: never). */
int runtime_stop(struct container *c, int timeout_s, char *err, size_t errlen);
/* runtime_stop in steps, for a caller with work to do while the container shuts down:
 * _signal thaws it and sends the halt signal (0: sent, the init's pin in *keep if not NULL,
 * the caller's to close; -1: not, with timeout_s 0 or when it does not run); _await_init
 * waits up to timeout_s for the init to end: -1 it did not, 0 it did, 1 it did and *status
 * is its wait status (read once its monitor reaped it; a kernel before 6.15 cannot tell);
 * _wait waits for the exit recorded, up to timeout_s when signalled (the init already seen
 * ending), then kills. */
int runtime_stop_signal(struct container *c, int timeout_s, struct pid_pin *keep);
int runtime_stop_await_init(const struct pid_pin *init, int timeout_s, int *status);
int runtime_stop_wait(struct container *c, int timeout_s, bool signalled, char *err, size_t errlen);
int runtime_kill(struct container *c, int sig, char *err, size_t errlen);
/* For a container whose state cannot be read (broken): whether liblxc sees it running, and
 * stopping it (killed at once) through liblxc alone. */
bool runtime_lxc_running(const char *id);
int runtime_lxc_stop(const char *id, char *err, size_t errlen);
/* A running tty container's console, which its liblxc monitor lends to one attacher at a
 * time (as to lxc-console). take: *ptx is the terminal's controller side (the caller's to
 * close), the console ours until release; NULL when another attach has it or there is none.
 * log: what liblxc's console ring buffer holds (the run's output so far), malloc'd with its
 * length in *len, or NULL. */
struct runtime_console;
struct runtime_console *runtime_console_take(const char *id, int *ptx);
char *runtime_console_log(struct runtime_console *con, size_t *len);
void runtime_console_release(struct runtime_console *con);
/* Pins the container's init through liblxc (init_pidfd): 0, or -1 (ESRCH) when it does not
 * run. Act on it only through the pin (pid_pin_signal, pid_pin_openat). */
int runtime_pin_init(const char *id, struct pid_pin *pin);
/* The container's init pid as liblxc sees it, or -1. */
pid_t runtime_init_pid(const char *id);
/* Removes the on-disk traces of a container (config dir, state dir, host channel, cgroups);
 * never the rootfs. The config dir is first renamed to a tombstone (.removing-ID), so that a
 * daemon killed meanwhile finishes the removal at its next start. */
void runtime_remove_files(const struct container *c);
/* Undoes a create that failed before it committed: the config and state dirs, and the
 * host-channel dir when with_channel (create made it; else it may be someone else's). */
void runtime_remove_incomplete(const struct container *c, bool with_channel);
/* At daemon start, before the containers are loaded: finishes removals (tombstones), removes
 * incomplete creates (a dir without config.v2.json) and stale temp files of atomic writes. */
void runtime_recover_dirs(void);

#endif
