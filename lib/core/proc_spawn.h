/* Starting a helper program from a (multi-threaded, possibly large) daemon. */
#ifndef LIB_CORE_PROC_SPAWN_H
#define LIB_CORE_PROC_SPAWN_H

#include <sys/types.h>

/* Runs path with argv and the caller's environment; stdio[i] becomes fd i, every other fd
 * is closed, the signal mask is empty and SIGPIPE is back at its default (a daemon ignores
 * it, and an ignored signal would stay ignored in the child). posix_spawn: a vfork
 * underneath, no copy of the caller's page tables. The pid, or -1 with errno set. */
pid_t spawn_with_stdio(const char *path, char *const argv[], const int stdio[3]);
/* The same with n inherited fds: fds[i] becomes fd i (the first three are stdio). */
pid_t spawn_with_fds(const char *path, char *const argv[], const int *fds, int n);

/* The daemon raises its open-files soft limit and leaves the old one in this variable of its
 * environment, which every helper inherits. */
#define NOFILE_ENV "ISULAD_CHILD_NOFILE"
/* In a helper: puts that soft limit back and drops the variable, so that what the helper
 * starts (a container) has the limit the daemon was given, not the daemon's raised one. */
void proc_restore_nofile(void);

#endif
