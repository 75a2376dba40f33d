/* Fuzzes the number, size, duration and time parsers (lib/core/units, lib/core/timeutil): the
 * first byte picks one, the rest is its input (a C string). Invariants: an accepted integer,
 * size, CPU count or duration (Go's too: format_go_duration) prints back to a text that parses
 * to the same value; sizes and durations are never negative; a parsed time has
 * 0 <= nanoseconds < 10^9 and formats and parses back to the same instant; no overflow or
 * other UB (UBSan). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/timeutil.h"
#include "core/units.h"
#include "tests/fuzz/fuzz_input.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	setenv("TZ", "UTC", 1); /* local time is part of what time_parse_point reads */
	tzset();
	return 0;
}

static void check_time(const struct timespec *ts)
{
	if (ts->tv_nsec < 0 || ts->tv_nsec >= 1000000000L)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > 4096)
		return 0;
	char *s = fuzz_cstr(data + 1, size - 1);
	if (!s)
		return 0;
	char buf[128];
	switch (data[0] % 7) {
	case 0: {
		int64_t v, w;
		if (parse_int64(s, &v) == 0) {
			snprintf(buf, sizeof(buf), "%lld", (long long)v);
			if (parse_int64(buf, &w) < 0 || w != v)
				abort();
		}
		uint64_t u, x;
		if (parse_uint64(s, &u) == 0) {
			snprintf(buf, sizeof(buf), "%llu", (unsigned long long)u);
			if (parse_uint64(buf, &x) < 0 || x != u)
				abort();
		}
		break;
	}
	case 1: {
		int64_t v, w;
		if (parse_byte_size(s, &v) == 0) {
			snprintf(buf, sizeof(buf), "%lldb", (long long)v);
			if (v < 0 || parse_byte_size(buf, &w) < 0 || w != v)
				abort();
		}
		/* --cpus: exact, so WHOLE.NINE-DIGITS parses back to the same count */
		if (parse_nano_cpus(s, &v) == 0) {
			snprintf(buf, sizeof(buf), "%lld.%09lld", (long long)(v / 1000000000),
			         (long long)(v % 1000000000));
			if (v < 0 || parse_nano_cpus(buf, &w) < 0 || w != v)
				abort();
		}
		break;
	}
	case 2: {
		int64_t v, w;
		if (parse_duration_ms(s, &v) == 0) {
			/* Whole seconds as plain seconds (they go beyond Go's int64 nanoseconds),
			 * others in milliseconds (below that bound but for the rounding). */
			if (v % 1000 == 0)
				snprintf(buf, sizeof(buf), "%lld", (long long)(v / 1000));
			else
				snprintf(buf, sizeof(buf), "%lldms", (long long)v);
			if (v < 0 || ((v % 1000 == 0 || v < INT64_MAX / 1000000) &&
			              (parse_duration_ms(buf, &w) < 0 || w != v)))
				abort();
			format_human_duration(v / 1000, buf, sizeof(buf));
			if (!buf[0])
				abort();
		}
		break;
	}
	case 3: {
		struct timespec ts, back;
		if (time_parse_rfc3339(s, &ts) == 0) {
			check_time(&ts);
			/* Years 1970..9999 print as four digits that parse again. */
			if (ts.tv_sec < 0 || ts.tv_sec > 253402300799LL)
				break;
			time_format_rfc3339(&ts, buf, sizeof(buf));
			if (time_parse_rfc3339(buf, &back) < 0 || back.tv_sec != ts.tv_sec ||
			    back.tv_nsec != ts.tv_nsec)
				abort();
		}
		break;
	}
	case 4: {
		struct timespec now = {.tv_sec = 1700000000, .tv_nsec = 123456789}, ts;
		if (time_parse_point(s, &now, &ts) == 0)
			check_time(&ts);
		break;
	}
	case 6: {
		/* Go's ParseDuration and Duration.String: what prints parses back the same. */
		int64_t v, w;
		if (parse_go_duration(s, &v) == 0) {
			format_go_duration(v, buf, sizeof(buf));
			if (parse_go_duration(buf, &w) < 0 || w != v)
				abort();
		}
		break;
	}
	default: {
		int64_t secs;
		if (size >= 9) {
			memcpy(&secs, data + 1, sizeof(secs));
			format_human_duration(secs, buf, sizeof(buf));
			if (!buf[0])
				abort();
		}
		break;
	}
	}
	free(s);
	return 0;
}
