/* Whether this process is being traced (ptrace: strace, gdb). */
#ifndef LIB_HOST_PROC_TRACED_H
#define LIB_HOST_PROC_TRACED_H

#include <stdbool.h>

/* True while a tracer is attached to this process (TracerPid in /proc/self/status). */
bool proc_traced(void);

#endif
