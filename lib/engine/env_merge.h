/* --env-target-file (seed 000 §2.3.9): the env file inside the rootfs and the container's env
 * merged ("If the value of --env conflicts with that of env in the target file, the value of
 * --env prevails"), and the merged env written back one KEY=VALUE a line. */
#ifndef LIB_ENGINE_ENV_MERGE_H
#define LIB_ENGINE_ENV_MERGE_H

#include <stddef.h>

/* Appends to *env the KEY=VALUE lines of text whose KEY *env does not set. Blank lines, '#'
 * comments and lines without a valid KEY= are skipped; an "export " prefix is dropped.
 * Returns the number of entries added, or -1 (out of memory). */
int env_merge_file(char ***env, const char *text);
/* "KEY=VALUE\n" for each entry that holds no newline (malloc'd). */
char *env_render(char *const *env, size_t *len);

#endif
