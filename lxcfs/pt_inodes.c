#include "pt_inodes.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/hash.h"

struct entry {
	uint64_t ino, hash, parent, nlookup;
	struct entry *next_key, *next_ino; /* the chains of the two indexes */
	const char *host;                  /* into name's storage */
	char name[];                       /* name, '\0', host, '\0' */
};

static struct {
	pthread_mutex_t lock;
	struct entry **by_key, **by_ino;
	size_t nbuckets; /* a power of 2, or 0 before the first entry */
	size_t count, max;
} g = {.lock = PTHREAD_MUTEX_INITIALIZER, .max = PT_MAX_ENTRIES};

/* FNV-1a over the bytes (core/hash.h), then a finaliser that spreads them over all 64 bits. */
static uint64_t mix(uint64_t x)
{
	x ^= x >> 30;
	x *= UINT64_C(0xbf58476d1ce4e5b9);
	x ^= x >> 27;
	x *= UINT64_C(0x94d049bb133111eb);
	return x ^ (x >> 31);
}

static uint64_t key_hash(uint64_t parent, const char *name, const char *host)
{
	uint64_t h = fnv1a64(FNV1A64_BASIS, &parent, sizeof(parent));
	h = fnv1a64(h, name, strlen(name) + 1);
	return mix(fnv1a64(h, host, strlen(host) + 1));
}

static uint64_t ino_of_hash(uint64_t h)
{
	return PT_INO_BIT | (h & (PT_INO_BIT - 1));
}

static size_t ino_bucket(uint64_t ino)
{
	return (size_t)mix(ino) & (g.nbuckets - 1);
}

static struct entry *find_key(uint64_t h, uint64_t parent, const char *name, const char *host)
{
	if (!g.nbuckets)
		return NULL;
	for (struct entry *e = g.by_key[h & (g.nbuckets - 1)]; e; e = e->next_key) {
		if (e->hash == h && e->parent == parent && strcmp(e->name, name) == 0 &&
		    strcmp(e->host, host) == 0)
			return e;
	}
	return NULL;
}

static struct entry *find_ino(uint64_t ino)
{
	if (!g.nbuckets)
		return NULL;
	for (struct entry *e = g.by_ino[ino_bucket(ino)]; e; e = e->next_ino) {
		if (e->ino == ino)
			return e;
	}
	return NULL;
}

static void link_entry(struct entry *e)
{
	struct entry **k = &g.by_key[e->hash & (g.nbuckets - 1)];
	struct entry **i = &g.by_ino[ino_bucket(e->ino)];
	e->next_key = *k;
	*k = e;
	e->next_ino = *i;
	*i = e;
}

/* Twice the buckets once there are more entries than buckets. 0, or -ENOMEM. */
static int grow(void)
{
	if (g.nbuckets && g.count < g.nbuckets)
		return 0;
	size_t n = g.nbuckets ? g.nbuckets * 2 : 64;
	struct entry **k = calloc(n, sizeof(*k)), **i = calloc(n, sizeof(*i));
	if (!k || !i) {
		free(k);
		free(i);
		return -ENOMEM;
	}
	struct entry **old = g.by_key;
	size_t oldn = g.nbuckets;
	free(g.by_ino);
	g.by_key = k;
	g.by_ino = i;
	g.nbuckets = n;
	for (size_t b = 0; b < oldn; b++) {
		for (struct entry *e = old[b], *next; e; e = next) {
			next = e->next_key;
			link_entry(e);
		}
	}
	free(old);
	return 0;
}

int pt_intern(uint64_t parent, const char *name, const char *host, uint64_t *ino)
{
	size_t nlen = strlen(name), hlen = strlen(host);
	if (nlen > NAME_MAX || hlen >= PATH_MAX)
		return -ENAMETOOLONG;
	uint64_t h = key_hash(parent, name, host);
	pthread_mutex_lock(&g.lock);
	struct entry *e = find_key(h, parent, name, host);
	if (e) {
		e->nlookup++;
		*ino = e->ino;
		pthread_mutex_unlock(&g.lock);
		return 0;
	}
	int ret = g.count >= g.max ? -ENFILE : grow();
	if (ret == 0 && !(e = malloc(sizeof(*e) + nlen + hlen + 2)))
		ret = -ENOMEM;
	if (ret < 0) {
		pthread_mutex_unlock(&g.lock);
		return ret;
	}
	memcpy(e->name, name, nlen + 1);
	memcpy(e->name + nlen + 1, host, hlen + 1);
	e->host = e->name + nlen + 1;
	e->hash = h;
	e->parent = parent;
	e->nlookup = 1;
	/* Two keys of one hash (about never): the next free number. */
	e->ino = ino_of_hash(h);
	while (find_ino(e->ino))
		e->ino = ino_of_hash(e->ino + 1);
	link_entry(e);
	g.count++;
	*ino = e->ino;
	pthread_mutex_unlock(&g.lock);
	return 0;
}

static void unlink_entry(struct entry *e)
{
	struct entry **p = &g.by_key[e->hash & (g.nbuckets - 1)];
	while (*p != e)
		p = &(*p)->next_key;
	*p = e->next_key;
	p = &g.by_ino[ino_bucket(e->ino)];
	while (*p != e)
		p = &(*p)->next_ino;
	*p = e->next_ino;
}

void pt_forget(uint64_t ino, uint64_t n)
{
	pthread_mutex_lock(&g.lock);
	struct entry *e = find_ino(ino);
	if (e) {
		e->nlookup = e->nlookup > n ? e->nlookup - n : 0;
		if (e->nlookup == 0) {
			unlink_entry(e);
			g.count--;
			free(e);
		}
	}
	pthread_mutex_unlock(&g.lock);
}

int pt_get(uint64_t ino, char *host, size_t len, uint64_t *parent)
{
	pthread_mutex_lock(&g.lock);
	struct entry *e = find_ino(ino);
	int ret = !e ? -ENOENT : strlen(e->host) >= len ? -ENAMETOOLONG : 0;
	if (ret == 0) {
		strcpy(host, e->host);
		if (parent)
			*parent = e->parent;
	}
	pthread_mutex_unlock(&g.lock);
	return ret;
}

uint64_t pt_ino_guess(uint64_t parent, const char *name, const char *host)
{
	uint64_t h = key_hash(parent, name, host);
	pthread_mutex_lock(&g.lock);
	struct entry *e = find_key(h, parent, name, host);
	uint64_t ino = e ? e->ino : ino_of_hash(h);
	pthread_mutex_unlock(&g.lock);
	return ino;
}

size_t pt_count(void)
{
	pthread_mutex_lock(&g.lock);
	size_t n = g.count;
	pthread_mutex_unlock(&g.lock);
	return n;
}

void pt_free_all(void)
{
	pthread_mutex_lock(&g.lock);
	for (size_t b = 0; b < g.nbuckets; b++) {
		for (struct entry *e = g.by_key[b], *next; e; e = next) {
			next = e->next_key;
			free(e);
		}
	}
	free(g.by_key);
	free(g.by_ino);
	g.by_key = g.by_ino = NULL;
	g.nbuckets = g.count = 0;
	pthread_mutex_unlock(&g.lock);
}

void pt_set_max(size_t max)
{
	pthread_mutex_lock(&g.lock);
	g.max = max ? max : PT_MAX_ENTRIES;
	pthread_mutex_unlock(&g.lock);
}
