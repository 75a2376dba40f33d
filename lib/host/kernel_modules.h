/* -e KERNEL_MODULES=a,b (seed 000 §2.3.8): kernel modules a system container needs on the
 * host, loaded before it starts. */
#ifndef LIB_HOST_KERNEL_MODULES_H
#define LIB_HOST_KERNEL_MODULES_H

#include <stdbool.h>
#include <stddef.h>

/* The module names of the last KERNEL_MODULES= entry of env (empty items, as in "a,b," or
 * "", are skipped). *names is NULL when there are none. Returns 0, or -1 with err naming a
 * name that is not [A-Za-z0-9_-]+ (what modprobe and the syscontainer hook accept). */
int kernel_modules_from_env(char *const *env, char ***names, char *err, size_t errlen);
/* The name the kernel shows in /sys/module ('-' written as '_'), in buf. */
void kernel_module_sysfs_name(const char *name, char *buf, size_t len);

/* True when the kernel has the module, loaded or built in (/sys/module/NAME). */
bool kernel_module_present(const char *name);
/* Makes the kernel have the module: nothing when present, else modprobe -- NAME (posix_spawn,
 * safe in a threaded daemon). 0, or -1 with msg holding modprobe's first line of output or
 * why it could not run. Modules are never unloaded. */
int kernel_module_load(const char *name, char *msg, size_t msglen);

#endif
