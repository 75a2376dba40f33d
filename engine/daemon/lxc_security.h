/* The lxc config lines of a container's confinement: capabilities (the default list, SYS_BOOT
 * for system containers, --cap-add/--cap-drop), the devices cgroup and --device nodes, the
 * default seccomp profile, OCI/Docker's masked and read-only paths, /dev/shm (--shm-size),
 * --sysctl, --oom-kill-disable, and the binds of the /etc files that --dns* and --add-host
 * change (rootfs_files.h). --privileged lifts the confinement. */
#ifndef ENGINE_LXC_SECURITY_H
#define ENGINE_LXC_SECURITY_H

#include <stddef.h>

#include "container.h"
#include "lxc_config.h"

/* Whether the container's init can ask for a reboot (reboot(2) in its pid namespace needs
 * CAP_SYS_BOOT: a system container's, --cap-add, --privileged). */
bool lxc_security_may_reboot(const struct container *c);
/* The lines (malloc'd). Writes the seccomp profile to <container_dir>/seccomp and, for a start,
 * the sysctls, which the monitor's start-host hook applies, to <state_dir>/sysctl. NULL with
 * err when something cannot be set up (a --device that has gone from the host). */
char *lxc_security_config(const struct container *c, const struct lxc_config_env *env, char *err,
                          size_t errlen);

#endif
