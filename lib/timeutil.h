/* Timestamps in the RFC 3339 form with nanoseconds and local offset that iSulad prints. */
#ifndef LIB_TIMEUTIL_H
#define LIB_TIMEUTIL_H

#include <stddef.h>
#include <time.h>

void time_format_rfc3339(const struct timespec *ts, char *buf, size_t len);
/* Parses what time_format_rfc3339 (or Docker) writes; 0 on success. */
int time_parse_rfc3339(const char *s, struct timespec *out);
#define TIME_ZERO_STRING "0001-01-01T00:00:00Z"

#endif
