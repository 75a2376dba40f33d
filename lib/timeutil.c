#include "timeutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void time_format_rfc3339(const struct timespec *ts, char *buf, size_t len)
{
	if (ts->tv_sec == 0 && ts->tv_nsec == 0) {
		snprintf(buf, len, "%s", TIME_ZERO_STRING);
		return;
	}
	struct tm tm;
	char date[32];
	localtime_r(&ts->tv_sec, &tm);
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

int time_parse_rfc3339(const char *s, struct timespec *out)
{
	struct tm tm = {0};
	const char *p = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm);
	if (!p)
		return -1;
	long nsec = 0;
	if (*p == '.') {
		int digits = 0;
		for (p++; *p >= '0' && *p <= '9'; p++, digits++) {
			if (digits < 9)
				nsec = nsec * 10 + (*p - '0');
		}
		for (; digits < 9; digits++)
			nsec *= 10;
	}
	long off = 0;
	if (*p == '+' || *p == '-') {
		int h, m;
		if (sscanf(p + 1, "%d:%d", &h, &m) != 2)
			return -1;
		off = (h * 60 + m) * 60 * (*p == '-' ? -1 : 1);
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
