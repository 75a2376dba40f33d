/* The json-file record format: encoding (escapes, UTF-8 repair), decoding, timestamps. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/hex.h"
#include "engine/json_log.h"
#include "core/json_text.h"
#include "core/strbuf.h"

void json_log_format_time(const struct timespec *ts, char *buf, size_t len)
{
	struct tm tm;
	gmtime_r(&ts->tv_sec, &tm);
	snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d.%09ldZ", tm.tm_year + 1900, tm.tm_mon + 1,
	         tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (long)ts->tv_nsec);
}

char *json_log_encode(enum json_log_stream s, const char *data, size_t len,
                      const struct timespec *ts, size_t *out_len)
{
	struct strbuf b = {0};
	char when[48];
	struct timespec now;
	if (!ts) {
		clock_gettime(CLOCK_REALTIME, &now);
		ts = &now;
	}
	json_log_format_time(ts, when, sizeof(when));
	strbuf_puts(&b, "{\"log\":\"");
	json_text_escape(&b, data, len, JSON_TEXT_ESCAPE_DEL);
	const char *tail = s == JSON_LOG_STDERR ? "\",\"stream\":\"stderr\",\"time\":\""
	                                        : "\",\"stream\":\"stdout\",\"time\":\"";
	strbuf_puts(&b, tail);
	strbuf_puts(&b, when);
	strbuf_puts(&b, "\"}\n");
	*out_len = b.len;
	return strbuf_take(&b);
}

static int digits(const char *s, size_t n, int *out)
{
	int v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

int json_log_parse_time(const char *s, size_t len, struct timespec *out)
{
	int y, mo, d, h, mi, sec;
	if (len < 20 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != 't') ||
	    s[13] != ':' || s[16] != ':' || digits(s, 4, &y) < 0 || digits(s + 5, 2, &mo) < 0 ||
	    digits(s + 8, 2, &d) < 0 || digits(s + 11, 2, &h) < 0 || digits(s + 14, 2, &mi) < 0 ||
	    digits(s + 17, 2, &sec) < 0)
		return -1;
	size_t i = 19;
	long nsec = 0;
	if (i < len && s[i] == '.') {
		int nd = 0;
		for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++, nd++) {
			if (nd < 9)
				nsec = nsec * 10 + (s[i] - '0');
		}
		if (nd == 0)
			return -1;
		for (; nd < 9; nd++)
			nsec *= 10;
	}
	long off = 0;
	if (i < len && (s[i] == 'Z' || s[i] == 'z')) {
		i++;
	} else if (i + 6 == len && (s[i] == '+' || s[i] == '-') && s[i + 3] == ':') {
		int oh, om;
		if (digits(s + i + 1, 2, &oh) < 0 || digits(s + i + 4, 2, &om) < 0)
			return -1;
		off = (oh * 60L + om) * 60L * (s[i] == '-' ? -1 : 1);
		i += 6;
	} else {
		return -1;
	}
	if (i != len || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60)
		return -1;
	struct tm tm = {.tm_year = y - 1900,
	                .tm_mon = mo - 1,
	                .tm_mday = d,
	                .tm_hour = h,
	                .tm_min = mi,
	                .tm_sec = sec};
	out->tv_sec = timegm(&tm) - off;
	out->tv_nsec = nsec;
	return 0;
}

/* ------------------------------------------------------------------------------ decoding */

static int hex4(const char *s, unsigned *out)
{
	unsigned v = 0;
	for (int i = 0; i < 4; i++) {
		int d = hex_digit(s[i]);
		if (d < 0)
			return -1;
		v = v << 4 | (unsigned)d;
	}
	*out = v;
	return 0;
}

/* Decodes the JSON string starting after its opening quote at *pos; leaves *pos after the
 * closing quote; out NULL only validates. */
static int parse_string(const char *s, size_t len, size_t *pos, struct strbuf *out)
{
	size_t i = *pos;
	while (i < len) {
		size_t run = i;
		while (run < len && s[run] != '"' && s[run] != '\\')
			run++;
		if (out && run > i)
			strbuf_add(out, s + i, run - i);
		i = run;
		if (i >= len)
			return -1;
		if (s[i] == '"') {
			*pos = i + 1;
			return out && out->failed ? -1 : 0;
		}
		if (++i >= len)
			return -1;
		char c = s[i++];
		const char *simple = NULL;
		switch (c) {
		case '"':
			simple = "\"";
			break;
		case '\\':
			simple = "\\";
			break;
		case '/':
			simple = "/";
			break;
		case 'b':
			simple = "\b";
			break;
		case 'f':
			simple = "\f";
			break;
		case 'n':
			simple = "\n";
			break;
		case 'r':
			simple = "\r";
			break;
		case 't':
			simple = "\t";
			break;
		case 'u': {
			unsigned cp, lo;
			if (i + 4 > len || hex4(s + i, &cp) < 0)
				return -1;
			i += 4;
			if (cp >= 0xd800 && cp <= 0xdbff && i + 6 <= len && s[i] == '\\' &&
			    s[i + 1] == 'u' && hex4(s + i + 2, &lo) == 0 && lo >= 0xdc00 &&
			    lo <= 0xdfff) {
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
				i += 6;
			} else if (cp >= 0xd800 && cp <= 0xdfff) {
				cp = 0xfffd; /* a lone surrogate has no UTF-8 form */
			}
			if (out)
				json_text_put_utf8(out, cp);
			continue;
		}
		default:
			return -1;
		}
		if (out)
			strbuf_add(out, simple, 1);
	}
	return -1;
}

static size_t skip_ws(const char *s, size_t len, size_t i)
{
	while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n'))
		i++;
	return i;
}

int json_log_parse_line(const char *line, size_t len, struct json_log_entry *e, char **buf,
                        size_t *cap)
{
	struct strbuf dec = {.data = *buf, .cap = *cap};
	memset(e, 0, sizeof(*e));
	e->stream = JSON_LOG_STDOUT;
	bool have_log = false;
	size_t i = skip_ws(line, len, 0);
	int ret = -1;
	if (i >= len || line[i++] != '{')
		goto out;
	for (;;) {
		i = skip_ws(line, len, i);
		if (i < len && line[i] == '}')
			break;
		if (i >= len || line[i++] != '"')
			goto out;
		size_t kstart = i;
		if (parse_string(line, len, &i, NULL) < 0)
			goto out;
		size_t klen = i - 1 - kstart;
		i = skip_ws(line, len, i);
		if (i >= len || line[i++] != ':')
			goto out;
		i = skip_ws(line, len, i);
		if (i >= len || line[i] != '"')
			goto out; /* every field of a json-file record is a string */
		i++;
		size_t vstart = i;
		if (klen == 3 && memcmp(line + kstart, "log", 3) == 0) {
			dec.len = 0;
			if (parse_string(line, len, &i, &dec) < 0)
				goto out;
			have_log = true;
		} else if (parse_string(line, len, &i, NULL) < 0) {
			goto out;
		}
		size_t vlen = i - 1 - vstart;
		if (klen == 6 && memcmp(line + kstart, "stream", 6) == 0)
			e->stream = vlen == 6 && memcmp(line + vstart, "stderr", 6) == 0
			                ? JSON_LOG_STDERR
			                : JSON_LOG_STDOUT;
		else if (klen == 4 && memcmp(line + kstart, "time", 4) == 0) {
			e->time = line + vstart;
			e->time_len = vlen;
			if (json_log_parse_time(e->time, vlen, &e->ts) < 0)
				e->ts.tv_sec = e->ts.tv_nsec = 0;
		}
		i = skip_ws(line, len, i);
		if (i < len && line[i] == ',') {
			i++;
			continue;
		}
		if (i < len && line[i] == '}')
			break;
		goto out;
	}
	if (have_log) {
		e->data = dec.data ? dec.data : "";
		e->len = dec.len;
		if (!e->time) {
			e->time = "";
			e->time_len = 0;
		}
		ret = 0;
	}
out:
	*buf = dec.data;
	*cap = dec.cap;
	return ret;
}
