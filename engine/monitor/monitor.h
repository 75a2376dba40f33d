/* Subcommands of isulad-monitor besides `start`. */
#ifndef ENGINE_MONITOR_H
#define ENGINE_MONITOR_H

#include <sys/types.h>

/* argv starts after "exec". Returns the exit code to exit with. */
int monitor_exec(int argc, char **argv);
/* lxc.hook.start-host writing --sysctl values (sysctl_hook.c). */
int monitor_sysctl_hook(const char *file);
int monitor_ro_remount_hook(const char *file);
int monitor_cgroup_view_hook(const char *file);
/* lxc.hook.start-host writing v2 limits liblxc leaves out on a hybrid host. */
int monitor_cgroup2_limits_hook(const char *file);
/* The container's init pid that liblxc gives a start-host hook (LXC_PID), or -1 after telling
 * stderr that HOOK was not run as one. */
long long monitor_hook_pid(const char *hook);
/* Appends a line to the container's monitor log (<state_dir>/monitor.log). */
void monitor_log(const char *state_dir, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A start-host hook's reason for failing the start: logged, and left in the state dir where
 * the daemon reads it for the start's error message. */
void monitor_start_error(const char *state_dir, const char *err);
/* lxc.hook.start-host attaching the BPF device program on cgroup v2 (devices_hook.c); argv
 * starts after "devices-hook". Returns the exit code. */
int monitor_devices_hook(int argc, char **argv);
/* net-wait STATE_DIR LIMIT_MS (net_wait.c): argv without the subcommand. */
int monitor_net_wait(int argc, char **argv);
/* lxc.hook.mount for --ns-change-opt: binds each /proc/sys path in argv read-write onto
 * itself inside the container's rootfs mount. Returns the exit code. */
int proc_rw_hook(int argc, char **argv);
/* start --standby: waits for the job on MONITOR_JOB_FD (monitor_job.h), then runs the
 * container; own_argv is main's, whose room shows the job's command line. reaper: > 0 when
 * the parent (the spare forker) reaps every child of its own (container_stdio.h). */
int monitor_run_standby(char **own_argv, pid_t reaper);
/* spare-forker LXCPATH (spare_forker.c): argv is main's. */
int monitor_spare_forker(char **argv);
/* For a container with lxc.idmap: PATH without newuidmap/newgidmap (see the .c). */
void idmap_write_directly(void);

#endif
