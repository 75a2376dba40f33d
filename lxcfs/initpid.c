#include "initpid.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/nsfs.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cgroup_layout.h"
#include "core/fileutil.h"
#include "core/log.h"
#include "host/pid_pin.h"
#include "proc_parse.h"

#ifndef NS_GET_PID_FROM_PIDNS
#define NS_GET_PID_FROM_PIDNS _IOR(NSIO, 0x6, int)
#endif

#define BUCKETS 1024
/* Ancestors walked looking for the init before scanning all of /proc (old kernels). */
#define MAX_HOPS 64

struct entry {
	ino_t ns;
	struct pidns_init init;
	/* The read that fetches the init's cgroups also proves the entry still names it. */
	struct proc_pin pin;
	struct entry *next;
};

static struct {
	pthread_rwlock_t lock;
	struct entry *bucket[BUCKETS];
	size_t count, sweep_at;
	ino_t own_ns;
	bool no_ioctl;
} g = {.lock = PTHREAD_RWLOCK_INITIALIZER, .sweep_at = 64};

static ino_t ns_inode_at(int dirfd, const char *path)
{
	struct stat st;
	return fstatat(dirfd, path, &st, 0) == 0 ? st.st_ino : 0;
}

int initpid_init(void)
{
	g.own_ns = ns_inode_at(AT_FDCWD, "/proc/self/ns/pid");
	if (!g.own_ns) {
		fprintf(stderr, "lxcfs: cannot stat /proc/self/ns/pid: %s\n", strerror(errno));
		return -1;
	}
	const char *env = getenv("LXCFS_INITPID_FALLBACK");
	g.no_ioctl = env && strcmp(env, "1") == 0;
	return 0;
}

ino_t initpid_own_ns(void)
{
	return g.own_ns;
}

static void entry_free(struct entry *e)
{
	close(e->pin.cgfd);
	free(e);
}

void initpid_free(void)
{
	pthread_rwlock_wrlock(&g.lock);
	for (size_t i = 0; i < BUCKETS; i++) {
		while (g.bucket[i]) {
			struct entry *e = g.bucket[i];
			g.bucket[i] = e->next;
			entry_free(e);
		}
	}
	g.count = 0;
	pthread_rwlock_unlock(&g.lock);
}

size_t initpid_cached(void)
{
	return g.count;
}

int proc_pin_cgroups(const struct proc_pin *pin, char *buf, size_t size)
{
	ssize_t n;
	do
		n = pread(pin->cgfd, buf, size - 1, 0);
	while (n < 0 && errno == EINTR);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	return 0;
}

int proc_pin_open(pid_t pid, struct proc_pin *pin, char *buf, size_t size)
{
	/* lib's pin (pidfd first, every file proven to be that process's): the cgroup fd kept
	 * then fails with ESRCH once the process is gone, even if its pid is reused. */
	struct pid_pin p;
	if (pid_pin_open(pid, 0, &p) < 0)
		return -1;
	pin->start = p.start;
	pin->cgfd = pid_pin_openat(&p, "cgroup", O_RDONLY);
	int nsfd = pid_pin_openat(&p, "ns/pid", O_PATH);
	struct stat st;
	pin->ns = nsfd >= 0 && fstat(nsfd, &st) == 0 ? st.st_ino : 0;
	if (nsfd >= 0)
		close(nsfd);
	int ret = pin->cgfd >= 0 && proc_pin_cgroups(pin, buf, size) == 0 ? 0 : -1;
	if (ret < 0 && pin->cgfd >= 0)
		close(pin->cgfd);
	if (ret < 0)
		errno = ESRCH;
	pid_pin_close(&p);
	return ret;
}

/* The pid (in our namespace) of process `pid`'s ancestor that is pid 1 of namespace ns, or
 * 0. Works on any kernel, but misses processes that entered the namespace with setns. */
static pid_t init_by_ancestors(pid_t pid, ino_t ns)
{
	for (int hop = 0; hop < MAX_HOPS && pid > 0; hop++) {
		char path[64];
		snprintf(path, sizeof(path), "/proc/%d/ns/pid", (int)pid);
		if (ns_inode_at(AT_FDCWD, path) != ns)
			return 0;
		snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
		char *status = read_file_at(AT_FDCWD, path, 1 << 16, NULL);
		pid_t inner = 0, ppid = 0;
		int ok = status ? proc_status_nspid_ppid(status, &inner, &ppid) : -1;
		free(status);
		if (ok < 0)
			return 0;
		if (inner == 1)
			return pid;
		pid = ppid;
	}
	return 0;
}

/* The same by looking at every process: the one in namespace ns whose pid there is 1. */
static pid_t init_by_scan(ino_t ns)
{
	DIR *d = opendir("/proc");
	if (!d)
		return 0;
	pid_t found = 0;
	struct dirent *de;
	while (!found && (de = readdir(d))) {
		char *end;
		long pid = strtol(de->d_name, &end, 10);
		if (*end || pid <= 0)
			continue;
		char path[64];
		snprintf(path, sizeof(path), "%ld/ns/pid", pid);
		if (ns_inode_at(dirfd(d), path) != ns)
			continue;
		snprintf(path, sizeof(path), "%ld/status", pid);
		char *status = read_file_at(dirfd(d), path, 1 << 16, NULL);
		pid_t inner = 0, ppid = 0;
		if (status && proc_status_nspid_ppid(status, &inner, &ppid) == 0 && inner == 1)
			found = (pid_t)pid;
		free(status);
	}
	closedir(d);
	return found;
}

static pid_t find_init(pid_t reader, ino_t ns)
{
	if (!g.no_ioctl) {
		char path[64];
		snprintf(path, sizeof(path), "/proc/%d/ns/pid", (int)reader);
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return 0;
		struct stat st;
		int pid = fstat(fd, &st) == 0 && st.st_ino == ns
		              ? ioctl(fd, NS_GET_PID_FROM_PIDNS, 1)
		              : -1;
		int err = errno;
		close(fd);
		if (pid > 0)
			return pid;
		/* ENOTTY/EINVAL: a kernel without the ioctl. Anything else: the reader is gone. */
		if (err != ENOTTY && err != EINVAL)
			return 0;
		LOG_DEBUG("no NS_GET_PID_FROM_PIDNS (%s): walking /proc", strerror(err));
	}
	pid_t pid = init_by_ancestors(reader, ns);
	return pid ? pid : init_by_scan(ns);
}

/* A new entry for namespace ns, with the cgroups read into buf; NULL if the init went away
 * while we looked. */
static struct entry *resolve(pid_t reader, ino_t ns, char *buf, size_t size)
{
	pid_t pid = find_init(reader, ns);
	struct entry *e = pid > 0 ? calloc(1, sizeof(*e)) : NULL;
	if (!e)
		return NULL;
	if (proc_pin_open(pid, &e->pin, buf, size) < 0) {
		free(e);
		return NULL;
	}
	if (e->pin.ns != ns) {
		close(e->pin.cgfd);
		free(e);
		return NULL;
	}
	e->ns = ns;
	e->init.pid = pid;
	e->init.start = e->pin.start;
	return e;
}

/* Drops entries whose init is gone; called with the write lock held, now and then. */
static void sweep(void)
{
	char buf[2];
	for (size_t i = 0; i < BUCKETS; i++) {
		for (struct entry **pp = &g.bucket[i]; *pp;) {
			struct entry *e = *pp;
			if (pread(e->pin.cgfd, buf, 1, 0) >= 0) {
				pp = &e->next;
				continue;
			}
			*pp = e->next;
			entry_free(e);
			g.count--;
		}
	}
	g.sweep_at = g.count * 2 > 64 ? g.count * 2 : 64;
}

/* Removes e (if still listed) under the write lock. */
static void drop(ino_t ns, struct entry *dead)
{
	pthread_rwlock_wrlock(&g.lock);
	for (struct entry **pp = &g.bucket[ns % BUCKETS]; *pp; pp = &(*pp)->next) {
		if (*pp == dead) {
			*pp = dead->next;
			entry_free(dead);
			g.count--;
			break;
		}
	}
	pthread_rwlock_unlock(&g.lock);
}

int initpid_lookup(pid_t reader, ino_t ns, struct pidns_init *out, char *cgroups, size_t size)
{
	pthread_rwlock_rdlock(&g.lock);
	struct entry *e = g.bucket[ns % BUCKETS];
	while (e && e->ns != ns)
		e = e->next;
	if (e && proc_pin_cgroups(&e->pin, cgroups, size) == 0) {
		*out = e->init;
		pthread_rwlock_unlock(&g.lock);
		return 0;
	}
	pthread_rwlock_unlock(&g.lock);
	if (e)
		drop(ns, e); /* its init exited: a new namespace may have the inode now */

	struct entry *fresh = resolve(reader, ns, cgroups, size);
	if (!fresh)
		return -1;
	*out = fresh->init;
	pthread_rwlock_wrlock(&g.lock);
	struct entry **head = &g.bucket[ns % BUCKETS];
	struct entry *have = *head;
	while (have && have->ns != ns)
		have = have->next;
	if (have) {
		/* Another reader resolved it meanwhile. */
		entry_free(fresh);
	} else {
		fresh->next = *head;
		*head = fresh;
		if (++g.count >= g.sweep_at)
			sweep();
	}
	pthread_rwlock_unlock(&g.lock);
	return 0;
}
