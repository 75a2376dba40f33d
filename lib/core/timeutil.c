#include "core/timeutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/units.h"

void time_format_rfc3339(const struct timespec *ts, char *buf, size_t len)
{
	if (ts->tv_sec == 0 && ts->tv_nsec == 0) {
		snprintf(buf, len, "%s", TIME_ZERO_STRING);
		return;
	}
	struct tm tm;
	char date[32];
	if (!localtime_r(&ts->tv_sec, &tm)) { /* beyond a year int holds */
		snprintf(buf, len, "%s", TIME_ZERO_STRING);
		return;
	}
	strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%S", &tm);
	long off = tm.tm_gmtoff / 60;
	if (off == 0) {
		snprintf(buf, len, "%s.%09ldZ", date, ts->tv_nsec);
		return;
	}
	char sign = off < 0 ? '-' : '+';
	if (off < 0)
		off = -off;
	snprintf(buf, len, "%s.%09ld%c%02ld:%02ld", date, ts->tv_nsec, sign, off / 60, off % 60);
}

/* The digits after a '.' (p points past it) as nanoseconds, extra digits dropped; *digits
 * says how many there were. Returns where the digits end. */
static const char *parse_fraction_ns(const char *p, long *nsec, int *digits)
{
	*nsec = 0;
	*digits = 0;
	for (; *p >= '0' && *p <= '9'; p++, (*digits)++) {
		if (*digits < 9)
			*nsec = *nsec * 10 + (*p - '0');
	}
	for (int d = *digits; d < 9; d++)
		*nsec *= 10;
	return p;
}

static bool two_digits(const char *s)
{
	return s[0] >= '0' && s[0] <= '9' && s[1] >= '0' && s[1] <= '9';
}

int time_parse_rfc3339(const char *s, struct timespec *out)
{
	struct tm tm = {0};
	const char *p = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm);
	if (!p)
		return -1;
	long nsec = 0;
	int digits;
	if (*p == '.')
		p = parse_fraction_ns(p + 1, &nsec, &digits);
	long off = 0;
	if (*p == '+' || *p == '-') {
		/* "+hh:mm" exactly: a longer number would overflow the offset. */
		const char *o = p + 1;
		if (!two_digits(o) || o[2] != ':' || !two_digits(o + 3))
			return -1;
		int h = (o[0] - '0') * 10 + (o[1] - '0'), m = (o[3] - '0') * 10 + (o[4] - '0');
		if (h > 23 || m > 59)
			return -1;
		off = (h * 60L + m) * 60 * (*p == '-' ? -1 : 1);
	} else if (*p != 'Z') {
		return -1;
	}
	if (tm.tm_year + 1900 <= 1) {
		out->tv_sec = 0;
		out->tv_nsec = 0;
		return 0;
	}
	out->tv_sec = timegm(&tm) - off;
	out->tv_nsec = nsec;
	return 0;
}

static int parse_unix_seconds(const char *s, struct timespec *out)
{
	const char *p = s;
	long long sec = 0;
	if (*p < '0' || *p > '9')
		return -1;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (sec > (LLONG_MAX - 9) / 10)
			return -1;
		sec = sec * 10 + (*p - '0');
	}
	long nsec = 0;
	int digits;
	if (*p == '.') {
		p = parse_fraction_ns(p + 1, &nsec, &digits);
		if (digits == 0)
			return -1;
	}
	if (*p)
		return -1;
	out->tv_sec = (time_t)sec;
	out->tv_nsec = nsec;
	return 0;
}

/* RFC 3339 or a date, without a zone: local time. */
static int parse_local(const char *s, struct timespec *out)
{
	static const char *const formats[] = {"%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d",
	                                      NULL};
	for (size_t i = 0; formats[i]; i++) {
		struct tm tm = {0};
		const char *p = strptime(s, formats[i], &tm);
		if (!p)
			continue;
		long nsec = 0;
		int digits;
		if (*p == '.' && i == 0)
			p = parse_fraction_ns(p + 1, &nsec, &digits);
		if (*p)
			continue;
		tm.tm_isdst = -1;
		time_t t = mktime(&tm);
		if (t == (time_t)-1)
			return -1;
		out->tv_sec = t;
		out->tv_nsec = nsec;
		return 0;
	}
	return -1;
}

int time_parse_point(const char *s, const struct timespec *now, struct timespec *out)
{
	if (!s || !*s)
		return -1;
	if (parse_unix_seconds(s, out) == 0)
		return 0;
	if (strchr(s, '-') && (time_parse_rfc3339(s, out) == 0 || parse_local(s, out) == 0))
		return 0;
	int64_t ms;
	if (parse_duration_ms(s, &ms) == 0) {
		/* Longer ago than the epoch: the epoch (ms * 1000000 may not fit in 64 bits). */
		int64_t now_ns = (int64_t)now->tv_sec * 1000000000 + now->tv_nsec;
		int64_t ns = ms > now_ns / 1000000 ? 0 : now_ns - ms * 1000000;
		out->tv_sec = (time_t)(ns / 1000000000);
		out->tv_nsec = (long)(ns % 1000000000);
		return 0;
	}
	return -1;
}
