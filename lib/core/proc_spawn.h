/* Starting a helper program from a (multi-threaded, possibly large) daemon. */
#ifndef LIB_CORE_PROC_SPAWN_H
#define LIB_CORE_PROC_SPAWN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Runs path with argv and the caller's environment; stdio[i] becomes fd i, every other fd
 * is closed, the signal mask is empty and SIGPIPE is back at its default (a daemon ignores
 * it, and an ignored signal would stay ignored in the child). posix_spawn: a vfork
 * underneath, no copy of the caller's page tables. The pid, or -1 with errno set. */
pid_t spawn_with_stdio(const char *path, char *const argv[], const int stdio[3]);
/* The same with n inherited fds: fds[i] becomes fd i (the first three are stdio). */
pid_t spawn_with_fds(const char *path, char *const argv[], const int *fds, int n);
/* The same with the environment envp instead of the caller's. */
pid_t spawn_with_fds_env(const char *path, char *const argv[], char *const envp[], const int *fds,
                         int n);

/* spawn_capture flags. */
#define SPAWN_SEARCH_PATH 1   /* a path without '/' is looked up in PATH, as execvp does */
#define SPAWN_STDERR_TO_OUT 2 /* stderr goes into out too (err stays empty) */

struct spawn_capture {
	int status; /* the exit status, or 128 + the signal that ended it */
	char *out;  /* stdout, NUL-terminated (malloc'd) */
	size_t out_len;
	bool out_truncated; /* it wrote more than out_max: the rest was read and dropped */
	char *err;          /* stderr likewise */
	size_t err_len;
	bool err_truncated;
	bool timed_out; /* spawn_opts.timeout_ms passed: it was killed */
};

/* What spawn_capture_opts may change from spawn_capture's defaults. */
struct spawn_opts {
	char *const *envp; /* the helper's whole environment (NULL: the caller's) */
	const char *input; /* its stdin: these bytes (NULL: /dev/null) */
	size_t input_len;
	int64_t timeout_ms; /* > 0: SIGKILL once it has run that long */
};

/* Runs path with argv and the caller's environment (as spawn_with_stdio: posix_spawn, every
 * other fd closed, no fork of the caller), stdin /dev/null, and collects what it writes to
 * stdout and stderr, at most out_max and err_max bytes of each, until it exits. 0 with cap
 * filled (free with spawn_capture_free), or -1 with errno when it could not be run (ENOENT:
 * no such program). */
int spawn_capture(const char *path, char *const argv[], int flags, size_t out_max, size_t err_max,
                  struct spawn_capture *cap);
/* spawn_capture with opts (NULL: the defaults). */
int spawn_capture_opts(const char *path, char *const argv[], int flags, size_t out_max,
                       size_t err_max, const struct spawn_opts *opts, struct spawn_capture *cap);
void spawn_capture_free(struct spawn_capture *cap);

/* The daemon raises its open-files soft limit and leaves the old one in this variable of its
 * environment, which every helper inherits. */
#define NOFILE_ENV "ISULAD_CHILD_NOFILE"
/* In a helper: puts that soft limit back and drops the variable, so that what the helper
 * starts (a container) has the limit the daemon was given, not the daemon's raised one. */
void proc_restore_nofile(void);

#endif
