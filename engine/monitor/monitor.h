/* Subcommands of isulad-monitor besides `start`. */
#ifndef ENGINE_MONITOR_H
#define ENGINE_MONITOR_H

/* argv starts after "exec". Returns the exit code to exit with. */
int monitor_exec(int argc, char **argv);
/* lxc.hook.start-host writing --sysctl values (sysctl_hook.c). */
int monitor_sysctl_hook(const char *file);
/* lxc.hook.mount for --ns-change-opt: binds each /proc/sys path in argv read-write onto
 * itself inside the container's rootfs mount. Returns the exit code. */
int proc_rw_hook(int argc, char **argv);
/* For a container with lxc.idmap: PATH without newuidmap/newgidmap (see the .c). */
void idmap_write_directly(void);

#endif
