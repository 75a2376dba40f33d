/* Subcommands of isulad-monitor besides `start`. */
#ifndef ENGINE_MONITOR_H
#define ENGINE_MONITOR_H

/* argv starts after "exec". Returns the exit code to exit with. */
int monitor_exec(int argc, char **argv);
/* lxc.hook.start-host writing --sysctl values (sysctl_hook.c). */
int monitor_sysctl_hook(const char *file);

#endif
