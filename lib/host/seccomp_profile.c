#include "host/seccomp_profile.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host/seccomp_json.h"

static char *g_default; /* NULL: the compiled-in one */

/* The last translations: a host's containers come in a few kinds (the default capabilities,
 * system containers), and translating the JSON profile again took a run -d's daemon half a
 * millisecond (a create renders it, and the start). The default is fixed once threads run. */
#define CACHE_SIZE 8
static struct {
	pthread_mutex_t lock;
	struct {
		struct seccomp_target key;
		char *text;
	} e[CACHE_SIZE];
	size_t next;
} g_cache = {.lock = PTHREAD_MUTEX_INITIALIZER};

static void cache_clear(void)
{
	for (size_t i = 0; i < CACHE_SIZE; i++) {
		free(g_cache.e[i].text);
		g_cache.e[i].text = NULL;
	}
	g_cache.next = 0;
}

static bool same_target(const struct seccomp_target *a, const struct seccomp_target *b)
{
	return a->caps == b->caps && a->system_container == b->system_container &&
	       a->user_namespaces == b->user_namespaces;
}

/* A copy of the cached text for t, or NULL. */
static char *cache_get(const struct seccomp_target *t)
{
	char *copy = NULL;
	pthread_mutex_lock(&g_cache.lock);
	for (size_t i = 0; i < CACHE_SIZE && !copy; i++) {
		if (g_cache.e[i].text && same_target(&g_cache.e[i].key, t))
			copy = strdup(g_cache.e[i].text);
	}
	pthread_mutex_unlock(&g_cache.lock);
	return copy;
}

static void cache_put(const struct seccomp_target *t, const char *text)
{
	char *copy = strdup(text);
	if (!copy)
		return;
	pthread_mutex_lock(&g_cache.lock);
	size_t i = g_cache.next;
	g_cache.next = (i + 1) % CACHE_SIZE;
	free(g_cache.e[i].text);
	g_cache.e[i].key = *t;
	g_cache.e[i].text = copy;
	pthread_mutex_unlock(&g_cache.lock);
}

static const char *current(void)
{
	return g_default ? g_default : seccomp_default_json;
}

int seccomp_profile_set_default(const char *json, char *err, size_t errlen)
{
	if (!json) {
		free(g_default);
		g_default = NULL;
		cache_clear();
		return 0;
	}
	/* Translated for each kind of container now, so that a bad file is found at once. */
	const struct seccomp_target kinds[] = {
	    {.caps = 0},
	    {.caps = 0, .system_container = true},
	    {.caps = ~0ULL, .system_container = true, .user_namespaces = true}};
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		char *text = seccomp_json_translate(json, &kinds[i], err, errlen);
		if (!text)
			return -1;
		free(text);
	}
	char *copy = strdup(json);
	if (!copy) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	free(g_default);
	g_default = copy;
	cache_clear();
	return 0;
}

char *seccomp_profile_render(uint64_t caps, bool system_container, bool allow_userns, char *err,
                             size_t errlen)
{
	struct seccomp_target t = {.caps = caps,
	                           .system_container = system_container,
	                           .user_namespaces = system_container && allow_userns};
	char *text = cache_get(&t);
	if (text)
		return text;
	text = seccomp_json_translate(current(), &t, err, errlen);
	if (text)
		cache_put(&t, text);
	return text;
}
