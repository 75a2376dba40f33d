#include "core/path_walk.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

int path_walk(const char *path, int (*fn)(const char *dir, const struct stat *st, void *arg),
              void *arg)
{
	char real[PATH_MAX];
	if (!realpath(path, real))
		return -1;
	size_t len = strlen(real);
	for (size_t end = 1; end <= len; end++) {
		/* "/", each directory below it, and at last path itself. */
		if (end != 1 && end != len && real[end] != '/')
			continue;
		char saved = real[end];
		real[end] = '\0';
		struct stat st;
		int ret = stat(real, &st) < 0 ? -1 : fn(real, &st, arg);
		real[end] = saved;
		if (ret != 0)
			return ret;
	}
	return 0;
}
