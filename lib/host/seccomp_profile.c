#include "host/seccomp_profile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host/seccomp_json.h"

static char *g_default; /* NULL: the compiled-in one */

static const char *current(void)
{
	return g_default ? g_default : seccomp_default_json;
}

int seccomp_profile_set_default(const char *json, char *err, size_t errlen)
{
	if (!json) {
		free(g_default);
		g_default = NULL;
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
	return 0;
}

char *seccomp_profile_render(uint64_t caps, bool system_container, bool allow_userns, char *err,
                             size_t errlen)
{
	struct seccomp_target t = {.caps = caps,
	                           .system_container = system_container,
	                           .user_namespaces = system_container && allow_userns};
	return seccomp_json_translate(current(), &t, err, errlen);
}
