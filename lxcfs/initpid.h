/* The init of a reader's pid namespace: host pid, start time and current cgroups, with a
 * cache keyed by the namespace's inode so that only a container's first read looks it up. */
#ifndef LXCFS_INITPID_H
#define LXCFS_INITPID_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct pidns_init {
	pid_t pid;      /* in lxcfs' pid namespace */
	uint64_t start; /* /proc/PID/stat starttime: clock ticks after boot */
};

/* Prepares the cache; 0, or -1 with a message on stderr when the kernel lacks what it
 * needs. Setting LXCFS_INITPID_FALLBACK=1 in the environment skips the kernel's pid
 * translation (NS_GET_PID_FROM_PIDNS, Linux 6.11) and uses the walk that older kernels
 * get, so that path is tested too. */
int initpid_init(void);
void initpid_free(void);
/* The inode of lxcfs' own pid namespace: its readers are the host. */
ino_t initpid_own_ns(void);

/* For a reader whose /proc/PID/ns/pid has inode ns: its namespace's init, and that init's
 * /proc/INIT/cgroup in cgroups (NUL-terminated, cut to size). 0, or -1 when the reader or
 * the init is gone. */
int initpid_lookup(pid_t reader, ino_t ns, struct pidns_init *out, char *cgroups, size_t size);

/* A process held by its /proc/PID/cgroup, open: reading it fails with ESRCH once that
 * process is gone, even if its pid is reused. */
struct proc_pin {
	int cgfd;
	uint64_t start; /* /proc/PID/stat starttime */
	ino_t ns;       /* its pid namespace's inode; 0 when that cannot be read */
};
/* Pins process pid and reads its cgroups into buf (NUL-terminated, cut to size). 0, or -1
 * when it is gone (errno ESRCH) or cannot be read. */
int proc_pin_open(pid_t pid, struct proc_pin *pin, char *buf, size_t size);
/* Its current cgroups into buf; -1 once the process is gone. */
int proc_pin_cgroups(const struct proc_pin *pin, char *buf, size_t size);

/* Number of namespaces cached (for tests and logs). */
size_t initpid_cached(void);

#endif
