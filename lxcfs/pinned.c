#include "pinned.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fileutil.h"
#include "initpid.h"
#include "proc_parse.h"

/* Slot numbers go into inode numbers (slot << 5): far below 2^59. */
#define MAX_SLOTS (1 << 20)
#define FILES_PER_SLOT 16

struct slot {
	pid_t pid;
	uint64_t start;
	/* /proc/PID/cgroup, open: reads fail with ESRCH once that process is gone, even if
	 * its pid is reused, so a slot never shows another process's cgroups. */
	int cgfd;
	uint64_t nlookup;
	bool host; /* a process of lxcfs' own pid namespace: it sees the host, like its readers */
	pthread_mutex_t lock[FILES_PER_SLOT];
	struct pinned_file file[FILES_PER_SLOT];
};

static struct {
	pthread_rwlock_t lock;
	struct slot **v; /* v[0] unused: slot 0 would make inode numbers of the static tree */
	size_t cap, count;
} g = {.lock = PTHREAD_RWLOCK_INITIALIZER};

static bool alive(const struct slot *s)
{
	char c;
	return s->cgfd >= 0 && pread(s->cgfd, &c, 1, 0) == 1;
}

static void slot_free(struct slot *s)
{
	for (int k = 0; k < FILES_PER_SLOT; k++)
		pthread_mutex_destroy(&s->lock[k]);
	if (s->cgfd >= 0)
		close(s->cgfd);
	free(s);
}

static struct slot *slot_open(pid_t pid, int *err)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d", (int)pid);
	int dir = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dir < 0) {
		*err = errno == ENOENT ? ESRCH : errno;
		return NULL;
	}
	struct slot *s = calloc(1, sizeof(*s));
	char *stat = NULL;
	*err = ENOMEM;
	if (!s)
		goto fail;
	s->pid = pid;
	s->cgfd = openat(dir, "cgroup", O_RDONLY | O_CLOEXEC);
	stat = read_file_at(dir, "stat", 1 << 16, NULL);
	*err = ESRCH;
	if (s->cgfd < 0 || !stat || proc_stat_starttime(stat, &s->start) < 0 || !alive(s))
		goto fail;
	struct stat ns;
	s->host = fstatat(dir, "ns/pid", &ns, 0) == 0 && ns.st_ino == initpid_own_ns();
	for (int k = 0; k < FILES_PER_SLOT; k++)
		pthread_mutex_init(&s->lock[k], NULL);
	free(stat);
	close(dir);
	return s;
fail:
	if (s && s->cgfd >= 0)
		close(s->cgfd);
	free(s);
	free(stat);
	close(dir);
	return NULL;
}

int pinned_acquire(pid_t pid)
{
	if (pid <= 0)
		return -ESRCH;
	pthread_rwlock_wrlock(&g.lock);
	size_t free_at = 0;
	for (size_t i = 1; i < g.cap; i++) {
		struct slot *s = g.v[i];
		if (!s) {
			free_at = free_at ? free_at : i;
		} else if (s->pid == pid && alive(s)) {
			s->nlookup++;
			pthread_rwlock_unlock(&g.lock);
			return (int)i;
		}
	}
	int err = 0;
	struct slot *s = slot_open(pid, &err);
	if (!s) {
		pthread_rwlock_unlock(&g.lock);
		return -err;
	}
	if (!free_at) {
		size_t cap = g.cap ? g.cap * 2 : 16;
		struct slot **v = cap <= MAX_SLOTS ? realloc(g.v, cap * sizeof(*v)) : NULL;
		if (!v) {
			pthread_rwlock_unlock(&g.lock);
			slot_free(s);
			return cap <= MAX_SLOTS ? -ENOMEM : -EMFILE;
		}
		memset(v + g.cap, 0, (cap - g.cap) * sizeof(*v));
		free_at = g.cap ? g.cap : 1;
		g.v = v;
		g.cap = cap;
	}
	s->nlookup = 1;
	g.v[free_at] = s;
	g.count++;
	pthread_rwlock_unlock(&g.lock);
	return (int)free_at;
}

/* The slot, or NULL; the table lock must be held. */
static struct slot *slot_at(int slot)
{
	return slot > 0 && (size_t)slot < g.cap ? g.v[slot] : NULL;
}

void pinned_ref(int slot, uint64_t n)
{
	pthread_rwlock_wrlock(&g.lock);
	struct slot *s = slot_at(slot);
	if (s)
		s->nlookup += n;
	pthread_rwlock_unlock(&g.lock);
}

void pinned_forget(int slot, uint64_t n)
{
	pthread_rwlock_wrlock(&g.lock);
	struct slot *s = slot_at(slot);
	if (s) {
		s->nlookup = s->nlookup > n ? s->nlookup - n : 0;
		if (s->nlookup == 0) {
			g.v[slot] = NULL;
			g.count--;
			slot_free(s);
		}
	}
	pthread_rwlock_unlock(&g.lock);
}

void pinned_view(int slot, struct view *v)
{
	v->host = true;
	pthread_rwlock_rdlock(&g.lock);
	struct slot *s = slot_at(slot);
	ssize_t n = s && !s->host ? pread(s->cgfd, v->text, sizeof(v->text) - 1, 0) : -1;
	if (n > 0) {
		v->text[n] = '\0';
		v->init.pid = s->pid;
		v->init.start = s->start;
		pid_cgroups_parse(v->text, &v->cg);
		v->host = false;
	}
	pthread_rwlock_unlock(&g.lock);
}

struct pinned_file *pinned_file_lock(int slot, unsigned k)
{
	if (k >= FILES_PER_SLOT)
		return NULL;
	/* A slot lives while the kernel holds an inode of it, and so while any request on
	 * one of its files runs: the pointer stays good after the table lock is let go. */
	pthread_rwlock_rdlock(&g.lock);
	struct slot *s = slot_at(slot);
	pthread_rwlock_unlock(&g.lock);
	if (!s)
		return NULL;
	pthread_mutex_lock(&s->lock[k]);
	return &s->file[k];
}

void pinned_file_unlock(int slot, unsigned k)
{
	pthread_rwlock_rdlock(&g.lock);
	struct slot *s = slot_at(slot);
	pthread_rwlock_unlock(&g.lock);
	if (s)
		pthread_mutex_unlock(&s->lock[k]);
}

pid_t pinned_pid(int slot)
{
	pthread_rwlock_rdlock(&g.lock);
	struct slot *s = slot_at(slot);
	pid_t pid = s ? s->pid : 0;
	pthread_rwlock_unlock(&g.lock);
	return pid;
}

size_t pinned_reap(pid_t *pids, size_t max)
{
	size_t n = 0;
	pthread_rwlock_wrlock(&g.lock);
	for (size_t i = 1; i < g.cap && n < max; i++) {
		struct slot *s = g.v[i];
		if (s && s->cgfd >= 0 && !alive(s)) {
			close(s->cgfd);
			s->cgfd = -1;
			pids[n++] = s->pid;
		}
	}
	pthread_rwlock_unlock(&g.lock);
	return n;
}

size_t pinned_count(void)
{
	return g.count;
}

void pinned_free_all(void)
{
	pthread_rwlock_wrlock(&g.lock);
	for (size_t i = 1; i < g.cap; i++) {
		if (g.v[i])
			slot_free(g.v[i]);
	}
	free(g.v);
	g.v = NULL;
	g.cap = g.count = 0;
	pthread_rwlock_unlock(&g.lock);
}
