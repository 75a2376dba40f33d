/* A monitor spawned ahead of its container (the daemon's monitor_spare.c): started as
 * `isulad-monitor start --standby LXCPATH` with a unix SEQPACKET socket as fd 3, it waits
 * there for its job, one message: the arguments of a monitor spawned for the container
 * (`isulad-monitor start NAME ...`, NUL-separated, as /proc/PID/cmdline) and one descriptor,
 * its stdout and stderr. The go (engine: "g") comes on the same socket, which the job names
 * as --go-fd. EOF instead of a job: the daemon went; the monitor exits. */
#ifndef LIB_ENGINE_MONITOR_JOB_H
#define LIB_ENGINE_MONITOR_JOB_H

#define MONITOR_STANDBY_ARG "--standby"
#define MONITOR_JOB_FD 3
/* A longer job (a container's command line can be long) goes to a monitor spawned for it. */
#define MONITOR_JOB_MAX (64 * 1024)

#endif
