#include "core/url_mask.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *url_mask_credentials(const char *url)
{
	const char *scheme = strstr(url, "://");
	const char *auth = scheme ? scheme + 3 : url;
	/* The credentials end at the last '@' before the path: a password may hold '@'. */
	size_t host_end = strcspn(auth, "/?#");
	const char *at = NULL;
	for (const char *p = auth; p < auth + host_end; p++) {
		if (*p == '@')
			at = p;
	}
	if (!at)
		return strdup(url);
	const char *colon = memchr(auth, ':', (size_t)(at - auth));
	size_t prefix = (size_t)(auth - url);
	size_t len = prefix + strlen(at) + 12;
	char *out = malloc(len);
	if (out)
		snprintf(out, len, "%.*s%s%s", (int)prefix, url, colon ? "xxxxx:xxxxx" : "xxxxx",
		         at);
	return out;
}
