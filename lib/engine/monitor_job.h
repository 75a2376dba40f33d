/* A monitor spawned ahead of its container (the daemon's monitor_spare.c): started as
 * `isulad-monitor start --standby LXCPATH` with a unix SEQPACKET socket as fd 3, it waits
 * there for its job, one message: the arguments of a monitor spawned for the container
 * (`isulad-monitor start NAME ...`, NUL-separated, as /proc/PID/cmdline) and one descriptor,
 * its stdout and stderr. The go (engine: "g") comes on the same socket, which the job names
 * as --go-fd. EOF instead of a job: the daemon went; the monitor exits.
 *
 * Spares are forked, not spawned, by `isulad-monitor spare-forker LXCPATH` (its socket to the
 * daemon as fd 3 too): the daemon sends it MONITOR_FORK_REQUEST with one descriptor, the new
 * spare's end of its job socket; the forker answers with a struct monitor_forked and, when
 * the fork succeeded, the spare's pidfd. The spare is the forker's child, which reaps it; the
 * forker exits at EOF. Forked, a spare starts with liblxc and its libraries loaded and
 * relocated: an exec of isulad-monitor does that again for every container. */
#ifndef LIB_ENGINE_MONITOR_JOB_H
#define LIB_ENGINE_MONITOR_JOB_H

#include <sys/types.h>

#define MONITOR_STANDBY_ARG "--standby"
#define MONITOR_FORKER_CMD "spare-forker"
#define MONITOR_JOB_FD 3
/* A longer job (a container's command line can be long) goes to a monitor spawned for it. */
#define MONITOR_JOB_MAX (64 * 1024)

#define MONITOR_FORK_REQUEST 'f'
struct monitor_forked {
	pid_t pid; /* 0: no spare, err says why */
	int err;
};

#endif
