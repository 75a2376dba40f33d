/* The X-Docker-Container-Path-Stat header of the archive API: base64 of
 * {"name","size","mode","mtime","linkTarget"}, mode in Go's os.FileMode bits so that
 * Docker clients read it too. */
#ifndef LIB_ENGINE_PATH_STAT_H
#define LIB_ENGINE_PATH_STAT_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>

#define PATH_STAT_HEADER "X-Docker-Container-Path-Stat"

struct path_stat {
	char *name;
	int64_t size;
	uint32_t mode; /* Go FileMode */
	char *link_target;
};

/* Go FileMode of a struct stat's st_mode, and the type tests on it. */
uint32_t path_stat_go_mode(mode_t st_mode);
bool path_stat_is_dir(const struct path_stat *ps);
bool path_stat_is_symlink(const struct path_stat *ps);

/* The header value (malloc'd) for an entry called name. */
char *path_stat_encode(const char *name, const struct stat *st, const char *link_target);
/* Parses a header value; 0, or -1 when it is not valid base64 JSON of that shape. */
int path_stat_decode(const char *value, struct path_stat *out);
void path_stat_free(struct path_stat *ps);

#endif
