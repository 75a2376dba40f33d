/* Running a piece of code inside another process's namespaces (a container's): the target is
 * pinned by pidfd, its namespace files opened while it is pinned, then a forked child joins
 * them and runs a callback, so the caller itself never leaves its own namespaces. Used to set
 * sysctls, to mount lxcfs views, and by the hot-plug tools for devices, paths and routes. */
#ifndef LIB_HOST_NS_EXEC_H
#define LIB_HOST_NS_EXEC_H

#include <sched.h>
#include <stddef.h>
#include <sys/types.h>

/* The namespaces ns_exec knows, as CLONE_NEW* flags. */
#define NS_EXEC_ALL                                                                                \
	(CLONE_NEWUSER | CLONE_NEWIPC | CLONE_NEWNET | CLONE_NEWUTS | CLONE_NEWCGROUP |            \
	 CLONE_NEWPID | CLONE_NEWNS)
#define NS_EXEC_KINDS 7

/* The callback, run in the child once it is in the namespaces (with CLONE_NEWPID, in a
 * grandchild: a process that joined a PID namespace is not in it, its children are). result is
 * a zeroed buffer shared with the caller, copied back to the caller's when the child ends. Its
 * return value is the child's exit status (0 to 255). The caller may be multi-threaded: use
 * only async-signal-safe calls (no malloc, no stdio, no locks). */
typedef int (*ns_exec_fn)(void *arg, void *result);

struct ns_target {
	pid_t pid;
	int pidfd;
	int flags;             /* the namespaces that will be joined */
	int fd[NS_EXEC_KINDS]; /* their /proc/PID/ns files, -1 for the others */
};

/* Pins pid and opens its namespaces named by flags (CLONE_NEW* of NS_EXEC_ALL). CLONE_NEWUSER
 * is dropped when pid shares our user namespace; otherwise the child joins it first and becomes
 * its root (the /proc/sys files of namespaces a user namespace owns are writable by its root).
 * pid 0: no target, the child unshares flags instead (new empty namespaces, to try something
 * without changing anything). 0, or -1 with errno and err ("pid 42: no such process (the
 * container has exited)", "cannot open /proc/42/ns/net: ..."). */
int ns_target_open(pid_t pid, int flags, struct ns_target *t, char *err, size_t errlen);
/* The open namespace file of one flag (CLONE_NEWNS...), or -1. */
int ns_target_fd(const struct ns_target *t, int flag);
/* Forks a child that joins the namespaces and returns fn's exit status; result_len bytes of
 * result get what the child wrote in its copy. Refused when the target has exited since it was
 * pinned (whatever the caller opened of /proc/PID in between was then that process's). -1 with
 * errno and err when the child could not run or join ("cannot enter the net namespace of pid
 * 42: ...", "the helper process in pid 42's namespaces died"). */
int ns_target_run(const struct ns_target *t, ns_exec_fn fn, void *arg, void *result,
                  size_t result_len, char *err, size_t errlen);
void ns_target_close(struct ns_target *t);
/* How long ns_target_run waits for its child: a callback that hangs on a filesystem the
 * container controls (FUSE, a hard NFS mount) is killed then, with an error. */
#define NS_EXEC_DEADLINE_MS 10000
/* Another deadline for this process (tests); ms <= 0 restores the default. */
void ns_exec_set_deadline_ms(int ms);
/* Registers fd (a lock) for every helper child to close first thing, so that a child that
 * hangs never keeps it; ns_exec_forget_fd before closing it. 0, or -1 (ENOSPC: 8 at most). The
 * children also die with their caller (PR_SET_PDEATHSIG). */
int ns_exec_close_in_children(int fd);
void ns_exec_forget_fd(int fd);

/* ns_target_open, ns_target_run, ns_target_close. */
int ns_exec(pid_t pid, int flags, ns_exec_fn fn, void *arg, void *result, size_t result_len,
            char *err, size_t errlen);

#endif
