#include "host/pid_pin.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "core/fileutil.h"

int proc_stat_starttime(const char *stat, uint64_t *ticks)
{
	const char *p = strrchr(stat, ')');
	if (!p)
		return -1;
	/* After the name (which may hold spaces and parentheses): field 3 onwards, one space
	 * before each. */
	for (int field = 2; field < 22; field++) {
		p = strchr(p + 1, ' ');
		if (!p)
			return -1;
	}
	char *end;
	unsigned long long v = strtoull(p + 1, &end, 10);
	if (end == p + 1)
		return -1;
	*ticks = v;
	return 0;
}

int proc_status_mask(const char *status, const char *field, uint64_t *mask)
{
	size_t flen = strlen(field);
	const char *line = status;
	while (strncmp(line, field, flen) != 0 || line[flen] != ':') {
		line = strchr(line, '\n');
		if (!line)
			return -1;
		line++;
	}
	const char *p = line + flen + 1;
	p += strspn(p, " \t");
	/* At most 16 hex digits (64 signals), then the end of the line. */
	size_t digits = strspn(p, "0123456789abcdefABCDEF");
	if (digits == 0 || digits > 16 || (p[digits] != '\n' && p[digits] != '\0'))
		return -1;
	*mask = strtoull(p, NULL, 16);
	return 0;
}

static uint64_t start_time_at(int dirfd, const char *path)
{
	char *text = read_file_at(dirfd, path, 8192, NULL);
	uint64_t start = 0;
	if (text && proc_stat_starttime(text, &start) < 0)
		start = 0;
	free(text);
	return start;
}

uint64_t pid_start_time(pid_t pid)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	return start_time_at(AT_FDCWD, path);
}

bool pid_pin_alive(const struct pid_pin *pin)
{
	return pin->pidfd >= 0 && syscall(SYS_pidfd_send_signal, pin->pidfd, 0, NULL, 0) == 0;
}

int pid_pin_openat(const struct pid_pin *pin, const char *name, int flags)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d", (int)pin->pid);
	int dir = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	int fd = dir >= 0 ? openat(dir, name, flags | O_CLOEXEC) : -1;
	if (dir >= 0)
		close(dir);
	/* Opened while the pinned process was still alive: then that pid was still its. */
	if (fd >= 0 && !pid_pin_alive(pin)) {
		close(fd);
		fd = -1;
		errno = ESRCH;
	} else if (fd < 0 && errno == ENOENT) {
		errno = ESRCH;
	}
	return fd;
}

/* Reads /proc/PID/name of the pinned process into buf (NUL-terminated): 0, or -1 (ESRCH) when
 * it has ended or the file is empty. */
static int read_pinned(const struct pid_pin *pin, const char *name, char *buf, size_t size)
{
	int fd = pid_pin_openat(pin, name, O_RDONLY);
	ssize_t n = fd >= 0 ? read(fd, buf, size - 1) : -1;
	if (fd >= 0)
		close(fd);
	if (n <= 0) {
		errno = ESRCH;
		return -1;
	}
	buf[n] = '\0';
	return 0;
}

/* Reads the start time of the pinned process (its pid must be set). */
static int read_start(struct pid_pin *pin)
{
	char text[1024];
	if (read_pinned(pin, "stat", text, sizeof(text)) < 0)
		return -1;
	if (proc_stat_starttime(text, &pin->start) < 0) {
		errno = ESRCH;
		return -1;
	}
	return 0;
}

int pid_pin_blocks_signal(const struct pid_pin *pin, int sig)
{
	char text[4096];
	if (read_pinned(pin, "status", text, sizeof(text)) < 0)
		return -1;
	uint64_t mask;
	if (sig < 1 || sig > 64 || proc_status_mask(text, "SigBlk", &mask) < 0) {
		errno = EINVAL;
		return -1;
	}
	return (mask >> (sig - 1)) & 1;
}

int pid_pin_open(pid_t pid, uint64_t expect_start, struct pid_pin *pin)
{
	pin->pid = pid;
	pin->start = 0;
	pin->pidfd = pid > 0 ? (int)syscall(SYS_pidfd_open, pid, 0) : -1;
	if (pin->pidfd < 0) {
		errno = ESRCH;
		return -1;
	}
	if (read_start(pin) < 0 || (expect_start != 0 && pin->start != expect_start)) {
		pid_pin_close(pin);
		errno = ESRCH;
		return -1;
	}
	return 0;
}

/* The kernel's pidfd_info (linux/pidfd.h of 6.15), which older headers lack. */
struct pin_pidfd_info {
	uint64_t mask, cgroupid;
	uint32_t pid, tgid, ppid, ruid, rgid, euid, egid, suid, sgid, fsuid, fsgid;
	int32_t exit_code;
	uint32_t coredump_mask, spare;
};
#define PIN_PIDFD_GET_INFO _IOWR(0xFF, 11, struct pin_pidfd_info)
#define PIN_PIDFD_INFO_PID (1ULL << 0)
#define PIN_PIDFD_INFO_EXIT (1ULL << 3)

/* The pid of a pidfd in our namespace, or -1: asked with an ioctl (6.13), else read from its
 * fdinfo's "Pid:" line. */
static pid_t pidfd_pid(int pidfd)
{
	struct pin_pidfd_info info = {.mask = PIN_PIDFD_INFO_PID};
	if (ioctl(pidfd, PIN_PIDFD_GET_INFO, &info) == 0)
		return info.pid > 0 ? (pid_t)info.pid : -1;
	if (errno == ESRCH)
		return -1; /* it has exited */
	char path[64];
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", pidfd);
	char *text = read_file(path, 8192, NULL);
	const char *p = text ? strstr(text, "\nPid:") : NULL;
	long pid = p ? strtol(p + 5, NULL, 10) : -1;
	free(text);
	return pid > 0 ? (pid_t)pid : -1;
}

int pid_pin_adopt(int pidfd, struct pid_pin *pin)
{
	pin->pidfd = pidfd;
	pin->start = 0;
	pin->pid = pidfd >= 0 ? pidfd_pid(pidfd) : -1;
	if (pin->pid <= 0 || read_start(pin) < 0) {
		pid_pin_close(pin);
		errno = ESRCH;
		return -1;
	}
	return 0;
}

int pid_pin_wait_exit(const struct pid_pin *pin, int timeout_ms)
{
	struct pollfd pfd = {.fd = pin->pidfd, .events = POLLIN};
	int n;
	do
		n = poll(&pfd, 1, timeout_ms);
	while (n < 0 && errno == EINTR);
	if (n == 0)
		errno = ETIMEDOUT;
	return n > 0 ? 0 : -1;
}

int pid_pin_exit_status(const struct pid_pin *pin, int *status)
{
	struct pin_pidfd_info info = {.mask = PIN_PIDFD_INFO_EXIT};
	if (ioctl(pin->pidfd, PIN_PIDFD_GET_INFO, &info) < 0)
		return -1;
	if (!(info.mask & PIN_PIDFD_INFO_EXIT)) {
		errno = EAGAIN;
		return -1;
	}
	*status = info.exit_code;
	return 0;
}

int pid_pin_signal(const struct pid_pin *pin, int sig)
{
	return (int)syscall(SYS_pidfd_send_signal, pin->pidfd, sig, NULL, 0);
}

void pid_pin_close(struct pid_pin *pin)
{
	if (pin->pidfd >= 0)
		close(pin->pidfd);
	pin->pidfd = -1;
}
