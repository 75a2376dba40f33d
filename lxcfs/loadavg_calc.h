/* A container's /proc/loadavg: the kernel's averaging of runnable and uninterruptible tasks
 * (fixed point, 11 bits of fraction, one step per 5 s sample) and its text (pure). */
#ifndef LXCFS_LOADAVG_CALC_H
#define LXCFS_LOADAVG_CALC_H

#include <stdint.h>
#include <sys/types.h>

#include "core/strbuf.h"

#define LOADAVG_FSHIFT 11
#define LOADAVG_FIXED_1 (1UL << LOADAVG_FSHIFT)

/* The 1, 5 and 15 minute averages, fixed point. */
struct load_avg {
	unsigned long avg[3];
};

/* One 5 s step with `active` tasks runnable or uninterruptible, as the kernel's calc_load:
 * avg = avg * e + active * (1 - e), e = exp(-5 s / 1, 5, 15 min). */
void load_avg_step(struct load_avg *l, unsigned active);
/* "0.52 0.21 0.08 RUNNING/TOTAL LASTPID\n", each average as the kernel prints it. */
void load_avg_render(const struct load_avg *l, unsigned running, unsigned total, long last_pid,
                     struct strbuf *out);

/* The state letter of a /proc/PID/stat text (the field after the command's ")"), or 0. */
char proc_stat_state(const char *stat);

#endif
