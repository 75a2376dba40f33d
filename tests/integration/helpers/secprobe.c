/* secprobe SYSCALL: makes one system call inside a container and prints "ok" or the errno
 * name, so that tests can see what the seccomp profile lets through. Built static by
 * test_security.sh and copied into a busybox rootfs. Every call is harmless when allowed:
 * kexec_load gets invalid flags (EINVAL after the permission checks), keyctl only looks up
 * the session keyring, unshare only affects this short-lived process, a cloned child exits at
 * once (clone_user uses clone(2), clone3_user clone3(2), each with CLONE_NEWUSER). */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <linux/sched.h>
#include <signal.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* A child in a new user namespace made by clone (or clone3), which exits at once. */
static long clone_user(int use_clone3)
{
	long r;
	if (use_clone3) {
		struct clone_args a;
		memset(&a, 0, sizeof(a));
		a.flags = CLONE_NEWUSER;
		a.exit_signal = SIGCHLD;
		r = syscall(SYS_clone3, &a, sizeof(a));
	} else {
		r = syscall(SYS_clone, CLONE_NEWUSER | SIGCHLD, 0, 0, 0, 0);
	}
	if (r == 0)
		_exit(0);
	if (r > 0)
		waitpid((pid_t)r, NULL, 0);
	return r < 0 ? -1 : 0;
}

static const char *errno_name(int e)
{
	switch (e) {
	case EPERM:
		return "EPERM";
	case EINVAL:
		return "EINVAL";
	case ENOSYS:
		return "ENOSYS";
	case EACCES:
		return "EACCES";
	default:
		return strerror(e);
	}
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr,
		        "usage: secprobe "
		        "keyctl|kexec_load|unshare_user|unshare_ns|clone_user|clone3_user\n");
		return 2;
	}
	long r = -1;
	if (strcmp(argv[1], "keyctl") == 0)
		r = syscall(SYS_keyctl, 0 /* KEYCTL_GET_KEYRING_ID */, -3 /* session */, 0);
	else if (strcmp(argv[1], "kexec_load") == 0)
		r = syscall(SYS_kexec_load, 0UL, 0UL, NULL, 0xdead0000UL);
	else if (strcmp(argv[1], "unshare_user") == 0)
		r = unshare(CLONE_NEWUSER);
	else if (strcmp(argv[1], "clone_user") == 0)
		r = clone_user(0);
	else if (strcmp(argv[1], "clone3_user") == 0)
		r = clone_user(1);
	else if (strcmp(argv[1], "unshare_ns") == 0)
		r = unshare(CLONE_NEWNS);
	else {
		fprintf(stderr, "secprobe: unknown call %s\n", argv[1]);
		return 2;
	}
	if (r < 0) {
		printf("%s\n", errno_name(errno));
		return 1;
	}
	printf("ok\n");
	return 0;
}
