/* Lexical path cleaning, as Go's path.Clean (which Docker, iSulad and the original hot-plug
 * tools apply to every path they are given): no empty, "." or ".." elements, no trailing
 * slash; ".." at the root stays at the root, a leading ".." of a relative path stays; "" is
 * ".". Nothing is looked up on disk. */
#ifndef LIB_CORE_PATH_CLEAN_H
#define LIB_CORE_PATH_CLEAN_H
/* malloc'd, NULL when out of memory. */
char *path_clean(const char *path);
#endif
