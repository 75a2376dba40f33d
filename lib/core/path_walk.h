/* Walks the directories a path goes through, as the kernel does to reach it: "/", each one
 * below it, and the path itself, after resolving symlinks. For the questions "who can get
 * there" (a user-remapped root, other host users). */
#ifndef LIB_CORE_PATH_WALK_H
#define LIB_CORE_PATH_WALK_H

#include <sys/stat.h>

/* Calls fn for each directory of path's real path, outermost first, with its stat; stops at
 * the first non-zero return and gives it back (0 when every call returned 0). -1 with errno
 * when path cannot be resolved or a component cannot be stat'ed. */
int path_walk(const char *path, int (*fn)(const char *dir, const struct stat *st, void *arg),
              void *arg);

#endif
