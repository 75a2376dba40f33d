/* The longest end of one byte string that another begins with: for joining two captures of
 * one stream that may share a stretch (a console's history and its live output). */
#ifndef LIB_CORE_OVERLAP_H
#define LIB_CORE_OVERLAP_H

#include <stddef.h>

/* The largest k (k <= alen, k <= blen) such that the last k bytes of a equal the first k of
 * b; linear time. (size_t)-1 when out of memory. */
size_t overlap_suffix_prefix(const char *a, size_t alen, const char *b, size_t blen);

/* The same where b's "\r\r\n" may stand for a's "\r\n" (a terminal that added a CR to what a
 * recorded): the largest prefix of b, in b's own bytes, that with those collapsed repeats the
 * end of a. 0 when none (or out of memory). */
size_t overlap_suffix_prefix_crlf(const char *a, size_t alen, const char *b, size_t blen);

#endif
