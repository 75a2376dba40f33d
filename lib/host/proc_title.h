/* What ps and /proc/PID/cmdline show for this process. */
#ifndef LIB_HOST_PROC_TITLE_H
#define LIB_HOST_PROC_TITLE_H

#include <stddef.h>

/* The environment variable that gives a process spawned to take a longer command line later
 * the room for it (a value of PROC_TITLE_ROOM bytes; proc_title_set removes it). */
#define PROC_TITLE_ROOM_VAR "ISULAD_TITLE_ROOM"
#define PROC_TITLE_ROOM 3072

/* Shows args (NUL-separated strings, the last ending in NUL, as /proc/PID/cmdline reads) as
 * this process's command line, its strings joined by spaces into one (setproctitle(3):
 * written over main's argv and environment, which argv gives, the environment moved to the
 * heap first), cut to the room there is and to the page the kernel reads. 0, or -1. */
/* A later call shows its args in the room the first one found (argv is not read again). */
int proc_title_set(const char *args, size_t len, char **argv);

#endif
