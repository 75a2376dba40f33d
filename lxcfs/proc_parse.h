/* Fields of /proc/PID/stat and /proc/PID/status (pure). */
#ifndef LXCFS_PROC_PARSE_H
#define LXCFS_PROC_PARSE_H

#include <stdint.h>
#include <sys/types.h>

/* proc_stat_starttime (field 22 of /proc/PID/stat) comes from lib/host/pid_pin.h. */
#include "host/pid_pin.h"

/* The last number of the "NSpid:" line (the pid in the innermost namespace) and the
 * "PPid:" value. 0, or -1 if either is missing. */
int proc_status_nspid_ppid(const char *status, pid_t *nspid_last, pid_t *ppid);

#endif
