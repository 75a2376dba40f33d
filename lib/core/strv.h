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
/* Index of the "KEY=" entry for key, or -1. */
int strv_find_env(char *const *v, const char *key, size_t keylen);

#endif
