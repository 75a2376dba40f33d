/* An error that says what kind of failure it is, not only what happened (the shape of crun's
 * libcrun_error_t): the message is for people, the code for the program. Callers choose an
 * HTTP status (engine/daemon/server.h: http_status_of) or an exit code (error_exit_code) from
 * the code, never by reading the message.
 *
 * Most functions still report with `char *err, size_t errlen`; those whose caller must tell
 * kinds of failure apart take a struct error instead. */
#ifndef LIB_CORE_ERROR_H
#define LIB_CORE_ERROR_H

/* Kinds of failure. Add one only when some caller must act differently on it. */
enum error_code {
	ERR_NONE = 0,
	ERR_INVALID,        /* the request is wrong: a bad value, an ambiguous reference */
	ERR_FORBIDDEN,      /* refused by policy (authorisation) */
	ERR_NOT_FOUND,      /* no such container, image, file... */
	ERR_CONFLICT,       /* the object's state forbids it (an exec that already ran) */
	ERR_NOT_RUNNING,    /* the container is not running */
	ERR_EXISTS,         /* the name or object is already taken */
	ERR_INTERNAL,       /* the host or the engine failed: out of memory, I/O, a helper */
	ERR_CMD_NOT_FOUND,  /* a process to start in a container: no such executable */
	ERR_CMD_CANNOT_RUN, /* a process to start in a container: found but cannot run it */
};

#define ERROR_MSG_LEN 1024

struct error {
	int code; /* enum error_code */
	char msg[ERROR_MSG_LEN];
};

/* Sets code and the formatted message (truncated to fit); returns -1, so that
 * `return error_set(e, ERR_INVALID, "...", ...);` reports a failure in one line. */
int error_set(struct error *e, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The exit code of a process that could not be started for e's kind, as shells and Docker
 * give it: 127 no such command, 126 found but cannot run, else 125 (the engine failed). */
int error_exit_code(int code);

#endif
