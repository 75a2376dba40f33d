/* Writing --sysctl values into a container's namespaces. The kernel itself judges each value
 * (type, range, existence), as seed 000 §2.4.1 asks: "parameter restrictions ... must be the
 * same as those of kernel parameters in the physical machine". */
#ifndef LIB_HOST_SYSCTL_APPLY_H
#define LIB_HOST_SYSCTL_APPLY_H

#include <stddef.h>
#include <sys/types.h>

/*
 * Writes each "key=value" of kv (keys already checked by sysctl_check) to /proc/sys from a
 * child process that has joined the IPC, network and PID namespaces of pid; with pid 0, new
 * empty namespaces of its own instead, which tries the values without changing anything.
 * Returns 0, or -1 with err naming the key, the value and the kernel's answer.
 */
int sysctl_apply(char *const *kv, pid_t pid, char *err, size_t errlen);

#endif
