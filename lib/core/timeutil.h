/* Timestamps in the RFC 3339 form with nanoseconds and local offset that iSulad prints. */
#ifndef LIB_CORE_TIMEUTIL_H
#define LIB_CORE_TIMEUTIL_H

#include <stddef.h>
#include <time.h>

/* A time too far off for a struct tm prints as TIME_ZERO_STRING. */
void time_format_rfc3339(const struct timespec *ts, char *buf, size_t len);
/* Parses what time_format_rfc3339 (or Docker) writes; 0 on success. */
int time_parse_rfc3339(const char *s, struct timespec *out);
/* A point in time as `events --since/--until` take it: unix seconds with an optional
 * fraction ("1652174434.661862100", what Docker clients send), RFC 3339 with or without
 * fraction and zone (no zone: local time), a date ("2022-05-10", local midnight), or a Go
 * duration ("10m", "1h30m") meaning that long before now. 0, or -1 for anything else. */
int time_parse_point(const char *s, const struct timespec *now, struct timespec *out);
#define TIME_ZERO_STRING "0001-01-01T00:00:00Z"

#endif
