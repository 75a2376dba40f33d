#include "pinned.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "initpid.h"

#define MAX_SLOTS PINNED_MAX_SLOTS
#define FILES_PER_SLOT 32

struct slot {
	pid_t pid;
	/* Held by its /proc/PID/cgroup: a slot never shows another process's cgroups. cgfd is
	 * -1 once the reaper found it gone. */
	struct proc_pin pin;
	uint64_t nlookup;
	bool host; /* a process of lxcfs' own pid namespace: a shared view, like its readers' */
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
	return s->pin.cgfd >= 0 && pread(s->pin.cgfd, &c, 1, 0) == 1;
}

static void slot_free(struct slot *s)
{
	for (int k = 0; k < FILES_PER_SLOT; k++)
		pthread_mutex_destroy(&s->lock[k]);
	if (s->pin.cgfd >= 0)
		close(s->pin.cgfd);
	free(s);
}

static struct slot *slot_open(pid_t pid, int *err)
{
	struct slot *s = calloc(1, sizeof(*s));
	char cgroups[64];
	if (!s) {
		*err = ENOMEM;
		return NULL;
	}
	/* Only the pin is wanted here: the cgroups are read again at each rendering. */
	if (proc_pin_open(pid, &s->pin, cgroups, sizeof(cgroups)) < 0) {
		*err = ESRCH;
		free(s);
		return NULL;
	}
	s->pid = pid;
	s->host = s->pin.ns == initpid_own_ns();
	for (int k = 0; k < FILES_PER_SLOT; k++)
		pthread_mutex_init(&s->lock[k], NULL);
	return s;
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
	v->shared = false;
	if (!view_enabled())
		return;
	pthread_rwlock_rdlock(&g.lock);
	struct slot *s = slot_at(slot);
	if (s && s->pin.cgfd >= 0 && proc_pin_cgroups(&s->pin, v->text, sizeof(v->text)) == 0) {
		v->init.pid = s->pid;
		v->init.start = s->pin.start;
		pid_cgroups_parse(v->text, &v->cg);
		v->host = false;
		v->shared = s->host;
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
		if (s && s->pin.cgfd >= 0 && !alive(s)) {
			close(s->pin.cgfd);
			s->pin.cgfd = -1;
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
