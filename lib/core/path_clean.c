/* Lexical path cleaning as Go's path.Clean (see path_clean.h). */
#include "core/path_clean.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

char *path_clean(const char *path)
{
	size_t len = strlen(path);
	char *out = malloc(len + 2);
	if (!out)
		return NULL;
	bool rooted = path[0] == '/';
	size_t o = 0, floor = 0; /* out[0..floor) is never popped by ".." */
	if (rooted) {
		out[o++] = '/';
		floor = 1;
	}
	const char *p = path;
	while (*p) {
		while (*p == '/')
			p++;
		const char *end = strchr(p, '/');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		if (n == 0 || (n == 1 && p[0] == '.')) {
			/* nothing */
		} else if (n == 2 && p[0] == '.' && p[1] == '.') {
			if (o > floor) { /* drop the last element */
				while (o > floor && out[o - 1] != '/')
					o--;
				if (o > floor)
					o--;
			} else if (!rooted) { /* a leading ".." of a relative path stays */
				if (o > 0)
					out[o++] = '/';
				out[o++] = '.';
				out[o++] = '.';
				floor = o;
			}
		} else {
			if (o > 0 && out[o - 1] != '/')
				out[o++] = '/';
			memcpy(out + o, p, n);
			o += n;
		}
		p += n;
	}
	if (o == 0)
		out[o++] = '.';
	out[o] = '\0';
	return out;
}
