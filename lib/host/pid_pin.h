/* Holding one process against pid reuse: take a pidfd first, then verify who it is (start
 * time), then act only through it (signals via the pidfd; /proc/PID files opened and then
 * proven to be that process's because the pidfd is still alive afterwards). */
#ifndef LIB_HOST_PID_PIN_H
#define LIB_HOST_PID_PIN_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct pid_pin {
	int pidfd;
	pid_t pid;      /* in our pid namespace */
	uint64_t start; /* /proc/PID/stat starttime: clock ticks after boot */
};

/* Pins pid. With expect_start != 0, a process of another start time is refused: the pid was
 * reused. 0, or -1 with errno (ESRCH: gone or not that process). */
int pid_pin_open(pid_t pid, uint64_t expect_start, struct pid_pin *pin);
/* Pins the process of pidfd (e.g. liblxc's init_pidfd), taking ownership of it (closed on
 * failure). 0, or -1 with errno (ESRCH: it has ended). */
int pid_pin_adopt(int pidfd, struct pid_pin *pin);
bool pid_pin_alive(const struct pid_pin *pin);
/* openat(/proc/PID, name, flags | O_CLOEXEC) of the pinned process; -1 with ESRCH if it
 * ended, checked after the open, so the fd never belongs to a process that reused the pid. */
int pid_pin_openat(const struct pid_pin *pin, const char *name, int flags);
int pid_pin_signal(const struct pid_pin *pin, int sig);
void pid_pin_close(struct pid_pin *pin);
/* Waits up to timeout_ms (<0: without end) for the pinned process to end: 0 when it has, -1
 * with ETIMEDOUT (or poll's errno). */
int pid_pin_wait_exit(const struct pid_pin *pin, int timeout_ms);
/* The wait status of the pinned process once its parent has reaped it, read from the pidfd
 * (PIDFD_INFO_EXIT, kernel 6.15 on), for one who is not its parent: 0, or -1 with EAGAIN
 * (not reaped yet) or the ioctl's errno (ENOTTY, EINVAL: a kernel without it). */
int pid_pin_exit_status(const struct pid_pin *pin, int *status);

/* Whether the pinned process blocks sig (its /proc/PID/status SigBlk mask): 1, 0, or -1 with
 * errno (ESRCH: it has ended). */
int pid_pin_blocks_signal(const struct pid_pin *pin, int sig);

/* The hexadecimal mask of a /proc/PID/status line "FIELD:\tHEX" (SigBlk, SigCgt, ...). 0, or -1
 * if the field is missing or malformed. */
int proc_status_mask(const char *status, const char *field, uint64_t *mask);
/* Field 22 (starttime) of a /proc/PID/stat text. 0, or -1 if malformed. */
int proc_stat_starttime(const char *stat, uint64_t *ticks);
/* The starttime of pid, 0 if it is gone (a check only: pin before acting). */
uint64_t pid_start_time(pid_t pid);

#endif
