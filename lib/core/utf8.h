/* UTF-8 checks and repair for text that comes from outside (a container's output, its rootfs
 * files, API strings cut to a length) before it reaches JSON: yajl's readers refuse invalid
 * UTF-8, so one bad byte in a state file would make it unreadable. */
#ifndef LIB_CORE_UTF8_H
#define LIB_CORE_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/* Length of the valid UTF-8 sequence at s (1-4), or 0 when the bytes there are not one
 * (overlong forms, surrogates, > U+10FFFF and cut sequences are not). n > 0. */
size_t utf8_seq_len(const unsigned char *s, size_t n);
/* True when the n bytes at s are valid UTF-8. */
bool utf8_valid(const char *s, size_t n);
/* A copy of the n bytes at s (NUL-terminated, malloc'd) with every invalid byte replaced by
 * U+FFFD; *out_len (if not NULL) gets its length. NULL when out of memory. */
char *utf8_repair(const char *s, size_t n, size_t *out_len);
/* Writes code point cp (<= U+10FFFF, not a surrogate) as UTF-8 into out; returns its length
 * (1-4). */
size_t utf8_encode(unsigned cp, char out[4]);
/* The largest length <= max at which s (of length n) can be cut without splitting a
 * character. */
size_t utf8_cut(const char *s, size_t n, size_t max);

/* True when s (NUL-terminated) holds a C0 control character or DEL: such a value never goes
 * into a generated config, a record or a message line. */
bool str_has_control(const char *s);
#endif
