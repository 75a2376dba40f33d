#include "fd_cache.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BUCKETS 4096
/* More open files than this and the cache starts over: it holds those of live containers,
 * and a removed container's files are only found stale when read. */
#define MAX_ENTRIES 8192

struct entry {
	int dirfd;
	int fd;
	struct entry *next;
	char path[]; /* NUL-terminated */
};

static struct {
	pthread_rwlock_t lock;
	struct entry *bucket[BUCKETS];
	size_t count;
} g = {.lock = PTHREAD_RWLOCK_INITIALIZER};

static size_t hash(int dirfd, const char *path)
{
	uint64_t h = 1469598103934665603ULL ^ (uint64_t)dirfd;
	for (const unsigned char *p = (const unsigned char *)path; *p; p++)
		h = (h ^ *p) * 1099511628211ULL;
	return (size_t)(h % BUCKETS);
}

static int read_fd(int fd, bool one_record, struct strbuf *out)
{
	strbuf_reset(out);
	for (;;) {
		size_t room = strbuf_space(out, out->cap > 4096 ? out->cap / 2 : 4096);
		if (!room)
			return -ENOMEM;
		ssize_t n = pread(fd, out->data + out->len, room, (off_t)out->len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		strbuf_commit(out, (size_t)n);
		if (n == 0 || (one_record && (size_t)n < room))
			return 0;
	}
}

static struct entry **find(size_t b, int dirfd, const char *path)
{
	struct entry **pp = &g.bucket[b];
	while (*pp && ((*pp)->dirfd != dirfd || strcmp((*pp)->path, path) != 0))
		pp = &(*pp)->next;
	return pp;
}

static void clear_locked(void)
{
	for (size_t i = 0; i < BUCKETS; i++) {
		while (g.bucket[i]) {
			struct entry *e = g.bucket[i];
			g.bucket[i] = e->next;
			close(e->fd);
			free(e);
		}
	}
	g.count = 0;
}

void fd_cache_clear(void)
{
	pthread_rwlock_wrlock(&g.lock);
	clear_locked();
	pthread_rwlock_unlock(&g.lock);
}

/* Removes the entry for (dirfd, path) if it still holds fd. */
static void drop(size_t b, int dirfd, const char *path, int fd)
{
	pthread_rwlock_wrlock(&g.lock);
	struct entry **pp = find(b, dirfd, path);
	if (*pp && (*pp)->fd == fd) {
		struct entry *e = *pp;
		*pp = e->next;
		close(e->fd);
		free(e);
		g.count--;
	}
	pthread_rwlock_unlock(&g.lock);
}

static void insert(size_t b, int dirfd, const char *path, int fd)
{
	size_t len = strlen(path);
	struct entry *e = malloc(sizeof(*e) + len + 1);
	if (!e) {
		close(fd);
		return;
	}
	e->dirfd = dirfd;
	e->fd = fd;
	memcpy(e->path, path, len + 1);
	pthread_rwlock_wrlock(&g.lock);
	if (*find(b, dirfd, path)) {
		/* Another reader opened it meanwhile. */
		close(fd);
		free(e);
	} else {
		if (g.count >= MAX_ENTRIES)
			clear_locked();
		e->next = g.bucket[b];
		g.bucket[b] = e;
		g.count++;
	}
	pthread_rwlock_unlock(&g.lock);
}

int fd_cache_read(int dirfd, const char *path, bool one_record, struct strbuf *out)
{
	size_t b = hash(dirfd, path);
	pthread_rwlock_rdlock(&g.lock);
	struct entry *e = *find(b, dirfd, path);
	int stale = -1;
	if (e) {
		/* Read under the lock: nobody closes the fd meanwhile. */
		if (read_fd(e->fd, one_record, out) == 0) {
			pthread_rwlock_unlock(&g.lock);
			return 0;
		}
		stale = e->fd;
	}
	pthread_rwlock_unlock(&g.lock);
	if (stale >= 0)
		drop(b, dirfd, path, stale);
	int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 && (errno == EMFILE || errno == ENFILE)) {
		/* Out of descriptors: the cache gives its own back. */
		fd_cache_clear();
		fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC);
	}
	if (fd < 0)
		return -errno;
	int ret = read_fd(fd, one_record, out);
	if (ret < 0)
		close(fd);
	else
		insert(b, dirfd, path, fd);
	return ret;
}
