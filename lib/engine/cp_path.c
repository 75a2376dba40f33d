#include "engine/cp_path.h"

#include "core/path_clean.h"

#include <stdlib.h>
#include <string.h>

int cp_split_arg(const char *arg, char **container, const char **path)
{
	*container = NULL;
	*path = arg;
	const char *colon = strchr(arg, ':');
	if (arg[0] == '/' || !colon || arg[0] == '.')
		return 0;
	*container = strndup(arg, (size_t)(colon - arg));
	if (!*container)
		return -1;
	*path = colon + 1;
	return 0;
}

/* Go's filepath.Base(path) == "." (trailing slashes ignored). */
static bool specifies_current_dir(const char *path)
{
	size_t n = strlen(path);
	while (n > 1 && path[n - 1] == '/')
		n--;
	return (n == 1 && path[0] == '.') || (n >= 2 && path[n - 1] == '.' && path[n - 2] == '/');
}

bool cp_asserts_dir(const char *path)
{
	size_t n = strlen(path);
	return (n > 0 && path[n - 1] == '/') || specifies_current_dir(path);
}

int cp_split_dir_entry(const char *path, char **dir, char **base)
{
	*dir = *base = NULL;
	char *clean = path_clean(path);
	if (!clean)
		return -1;
	if (specifies_current_dir(path)) {
		*dir = clean;
		*base = strdup(".");
		return *base ? 0 : -1;
	}
	char *slash = strrchr(clean, '/');
	if (!slash) {
		*dir = strdup(".");
		*base = clean;
	} else if (slash == clean && clean[1] == '\0') { /* "/" */
		*dir = strdup("/");
		*base = clean;
	} else {
		*base = strdup(slash + 1);
		*slash = '\0';
		*dir = strdup(slash == clean ? "/" : clean);
		free(clean);
	}
	if (!*dir || !*base) {
		free(*dir);
		free(*base);
		*dir = *base = NULL;
		return -1;
	}
	return 0;
}

int cp_prepare(const struct cp_info *src, const struct cp_info *dst, char **dst_dir,
               char **rebase_from, char **rebase_to, const char **err)
{
	*dst_dir = *rebase_from = *rebase_to = NULL;
	*err = NULL;
	if (dst->exists && dst->is_dir) { /* extract into it as it is */
		*dst_dir = strdup(dst->path);
		return *dst_dir ? 0 : -1;
	}
	if (dst->exists && src->is_dir) {
		*err = "cannot copy directory";
		return -1;
	}
	if (dst->exists && cp_asserts_dir(dst->path)) {
		*err = "not a directory";
		return -1;
	}
	if (!dst->exists && !src->is_dir && cp_asserts_dir(dst->path)) {
		*err = "no such directory";
		return -1;
	}
	/* Extract into dst's parent, the top entry taking dst's name. */
	char *sdir, *sbase, *ddir, *dbase;
	if (cp_split_dir_entry(src->path, &sdir, &sbase) < 0)
		return -1;
	if (cp_split_dir_entry(dst->path, &ddir, &dbase) < 0) {
		free(sdir);
		free(sbase);
		return -1;
	}
	free(sdir);
	*dst_dir = ddir;
	*rebase_from = sbase;
	*rebase_to = dbase;
	return 0;
}
