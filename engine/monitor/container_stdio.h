/* The container init's stdin/stdout/stderr, set up by the monitor before liblxc starts it (a
 * non-tty init inherits the monitor's fds 0-2). Output goes through pipes to a copier process
 * that writes the json-file log: liblxc refuses to start from a threaded process, and a
 * separate process keeps the monitor itself simple. */
#ifndef MONITOR_STDIO_H
#define MONITOR_STDIO_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct monitor_stdio_opts {
	const char *log_path; /* NULL: output to /dev/null (disable-log, or a tty container) */
	int64_t log_max_size;
	int log_max_file;
	const char *stdin_fifo; /* NULL: stdin is /dev/null */
	bool stdin_once;        /* the init sees EOF when the last writer closes the FIFO */
	const char *own_log;    /* where the monitor's own messages go after the start (also
	                         * the lock that shows the copier runs) */
	pid_t reaper;           /* > 0: the monitor's parent, which reaps every child of its own
	                         * (the spare forker): the copier is made its child */
};

struct monitor_stdio {
	pid_t copier; /* 0: none; not our child (see start_copier) */
};

/* Points fds 0-2 at what the init gets. 0, or -1 with the reason printed on stderr. */
int monitor_stdio_setup(const struct monitor_stdio_opts *o, struct monitor_stdio *st);
/* After the init has exited: gives fds 1-2 back to the monitor's own log, lets the copier
 * write out everything still in the pipes, and waits for it. */
void monitor_stdio_finish(const struct monitor_stdio_opts *o, struct monitor_stdio *st);

#endif
