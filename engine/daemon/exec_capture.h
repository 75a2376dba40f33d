/* A command run in a running container through the exec path (an exec session, events
 * included) to its end, its output captured up to a bound and a deadline enforced: how the
 * daemon runs its own commands there (health checks). */
#ifndef ENGINE_EXEC_CAPTURE_H
#define ENGINE_EXEC_CAPTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "container.h"
#include "core/error.h"

struct exec_capture {
	int exit_code;  /* the command's (128+N for a signal); -1 when it timed out or never ran */
	bool timed_out; /* killed at the deadline, with every process of its group */
	char *out;      /* stdout and stderr as they came, NUL-terminated; at most max bytes */
	size_t len;
	bool truncated;          /* more came than max */
	char err[ERROR_MSG_LEN]; /* why it never ran ("" when it did) */
};

/* Runs argv in c as user (NULL: the exec default) for at most timeout_ms after it started.
 * Blocks the calling thread for as long: call it from a thread of its own. Fills cap (free
 * it with exec_capture_free) in every case. */
void exec_capture_run(struct container *c, char **argv, const char *user, int64_t timeout_ms,
                      size_t max, struct exec_capture *cap);
void exec_capture_free(struct exec_capture *cap);

#endif
