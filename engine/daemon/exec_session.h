/* Processes run in a running container by `exec` (Docker's exec instances): each runs under
 * an `isulad-monitor exec` helper, a child of the daemon, with a pty or pipes for its stdio. */
#ifndef ENGINE_EXEC_SESSION_H
#define ENGINE_EXEC_SESSION_H

#include <stdbool.h>
#include <sys/types.h>
#include <time.h>

#include "container.h"
#include "core/error.h"

struct exec_session {
	char id[CONTAINER_ID_LEN + 1];
	struct container *c; /* referenced */
	char **cmd, **env;
	char *user, *workdir;
	bool tty, attach_stdin, attach_stdout, attach_stderr;
	/* Set before the start, for the daemon's own checks (health.c): the command leads a
	 * process group that a SIGTERM to the helper (pid) kills, and its start and end are
	 * logged at debug level (one every interval otherwise fills the log). */
	bool health_check;
	/* under the store lock */
	bool started, running;
	int exit_code;
	pid_t pid;
	int pty_master;            /* -1 unless tty and running: resize goes here */
	unsigned short rows, cols; /* the pty's size from the start (ConsoleSize); 0: none */
	time_t finished;
	int refs;
	struct exec_session *next;
};

/* A new session (referenced once for the caller), or NULL with e: ERR_INVALID (no command),
 * ERR_NOT_RUNNING, ERR_INTERNAL. */
struct exec_session *exec_session_new(struct container *c, char **cmd, char **env, const char *user,
                                      const char *workdir, bool tty, bool in, bool out,
                                      bool err_stream, struct error *e);
struct exec_session *exec_session_get(const char *id);
void exec_session_put(struct exec_session *s);
/* The event action "WHAT: CMD ARGS..." of Docker (malloc'd), at most EXEC_ACTION_MAX bytes. */
#define EXEC_ACTION_MAX 1024
char *exec_session_action(const struct exec_session *s, const char *what);

/* stdio the helper was started with, for the caller to relay (-1 where none). */
struct exec_stdio {
	int in, out, err;
	/* A health check's: readable (a byte, or its end) once the command runs, so its timeout
	 * leaves out the time the start took. -1 for other sessions. */
	int started;
};

/* Starts the helper. With detach, its output is discarded and nothing is returned in io.
 * 0; -1 with e when the session cannot start (ERR_CONFLICT: it already ran, ERR_NOT_RUNNING:
 * "Exec container error; Container is not running:<id>", ERR_INTERNAL); -2 when the command
 * cannot run in the container (ERR_CMD_NOT_FOUND: exit code 127, ERR_CMD_CANNOT_RUN such as
 * a bad user: 126), which Docker reports in the session's own stream. */
int exec_session_start(struct exec_session *s, bool detach, struct exec_stdio *io, struct error *e);
/* After the relay: closes io, drains what the helper still writes, reaps it and records the
 * exit code (in a thread of its own when wait is false). */
void exec_session_finish(struct exec_session *s, struct exec_stdio *io, bool wait);
/* For a caller that relays and reaps the helper itself (exec_capture.c): records the end
 * (status as waitpid gives it) and emits exec_die. */
void exec_session_ended(struct exec_session *s, int status);
int exec_session_resize(struct exec_session *s, unsigned short rows, unsigned short cols);

#endif
