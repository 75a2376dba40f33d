/* NULL-terminated string vectors (argv, env lists). */
#ifndef LIB_CORE_STRV_H
#define LIB_CORE_STRV_H

#include <stddef.h>

size_t strv_len(char *const *v);
/* Appends a copy of s; returns 0 or -1 (v untouched on failure). */
int strv_push(char ***v, const char *s);
/* Appends a formatted string; 0 or -1. */
int strv_pushf(char ***v, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char **strv_dup(char *const *v);
void strv_free(char **v);
/* The strings of v, each with its NUL, one after the other (a /proc/PID/cmdline), malloc'd
 * with its length in *len; NULL when out of memory or v is empty. */
char *strv_join_nul(char *const *v, size_t *len);
/* The reverse: NULL unless buf is one or more strings, each ending in NUL. */
char **strv_split_nul(const char *buf, size_t len);
/* Index of the "KEY=" entry for key, or -1. */
int strv_find_env(char *const *v, const char *key, size_t keylen);

#endif
