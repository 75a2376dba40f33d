/* Fields of /proc/PID/stat and /proc/PID/status (pure). */
#ifndef LXCFS_PROC_PARSE_H
#define LXCFS_PROC_PARSE_H

#include <stdint.h>
#include <sys/types.h>

/* Field 22 of /proc/PID/stat: when the process started, in clock ticks after boot.
 * The command name (field 2) may hold spaces and parentheses. 0, or -1 if malformed. */
int proc_stat_starttime(const char *stat, uint64_t *ticks);
/* The last number of the "NSpid:" line (the pid in the innermost namespace) and the
 * "PPid:" value. 0, or -1 if either is missing. */
int proc_status_nspid_ppid(const char *status, pid_t *nspid_last, pid_t *ppid);

#endif
