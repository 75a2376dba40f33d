/* liblxc, loaded by the subcommands that use it (a container's monitor, the exec helper):
 * the hooks liblxc runs at every start and stop are isulad-monitor too, and linking liblxc
 * with its libraries (selinux, apparmor, seccomp, pcre2, cap) made each such exec cost 1.2 ms
 * of CPU instead of 0.3. */
#ifndef ENGINE_MONITOR_LIBLXC_DL_H
#define ENGINE_MONITOR_LIBLXC_DL_H

#include <lxc/lxccontainer.h>

struct liblxc {
	struct lxc_container *(*container_new)(const char *name, const char *configpath);
	int (*container_put)(struct lxc_container *c);
	int (*attach_run_command)(void *payload);
};

/* Loaded once per process (a fork inherits it): the functions, or NULL after telling stderr
 * why. */
const struct liblxc *liblxc_load(void);

#endif
