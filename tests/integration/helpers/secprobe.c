/* secprobe SYSCALL: makes one system call inside a container and prints "ok" or the errno
 * name, so that tests can see what the seccomp profile lets through. Built static by
 * test_security.sh and copied into a busybox rootfs. Every call is harmless when allowed:
 * kexec_load gets invalid flags (EINVAL after the permission checks), keyctl only looks up
 * the session keyring, unshare only affects this short-lived process. */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

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
		fprintf(stderr, "usage: secprobe keyctl|kexec_load|unshare_user|unshare_ns\n");
		return 2;
	}
	long r = -1;
	if (strcmp(argv[1], "keyctl") == 0)
		r = syscall(SYS_keyctl, 0 /* KEYCTL_GET_KEYRING_ID */, -3 /* session */, 0);
	else if (strcmp(argv[1], "kexec_load") == 0)
		r = syscall(SYS_kexec_load, 0UL, 0UL, NULL, 0xdead0000UL);
	else if (strcmp(argv[1], "unshare_user") == 0)
		r = unshare(CLONE_NEWUSER);
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
