#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/fileutil.h"
#include "engine/json_log.h"

static const struct timespec TS = {.tv_sec = 1700000000, .tv_nsec = 5};

static char *encode(const char *data, size_t len, enum json_log_stream s)
{
	size_t n;
	char *rec = json_log_encode(s, data, len, &TS, &n);
	assert_non_null(rec);
	assert_int_equal(rec[n - 1], '\n');
	rec[n - 1] = '\0';
	return rec;
}

static void encodes_docker_format(void **state)
{
	char *rec = encode("hi\n", 3, JSON_LOG_STDOUT);
	assert_string_equal(rec, "{\"log\":\"hi\\n\",\"stream\":\"stdout\","
	                         "\"time\":\"2023-11-14T22:13:20.000000005Z\"}");
	free(rec);
	rec = encode("x", 1, JSON_LOG_STDERR);
	assert_non_null(strstr(rec, "\"stream\":\"stderr\""));
	free(rec);
}

static void escapes_control_chars_and_quotes(void **state)
{
	const char in[] = "a\"b\\c\td\re\x01\x1f\x7f\b\f";
	char *rec = encode(in, sizeof(in) - 1, JSON_LOG_STDOUT);
	assert_non_null(strstr(rec, "\"log\":\"a\\\"b\\\\c\\td\\re\\u0001\\u001f\\u007f\\b\\f\""));
	free(rec);
}

static void repairs_invalid_utf8(void **state)
{
	/* valid 2/3/4-byte sequences pass; stray continuation, overlong, surrogate, truncated
	 * sequences become U+FFFD per byte */
	const char in[] =
	    "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80|\x80|\xc0\xaf|\xed\xa0\x80|\xe2\x82";
	char *rec = encode(in, sizeof(in) - 1, JSON_LOG_STDOUT);
	assert_non_null(strstr(rec, "\"log\":\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80|\\ufffd|"
	                            "\\ufffd\\ufffd|\\ufffd\\ufffd\\ufffd|\\ufffd\\ufffd\""));
	free(rec);
}

static void parses_what_it_encodes(void **state)
{
	const char in[] = "tab\there \"q\" \\ \x02 \xc3\xa9\n";
	char *rec = encode(in, sizeof(in) - 1, JSON_LOG_STDERR);
	struct json_log_entry e;
	char *buf = NULL;
	size_t cap = 0;
	assert_int_equal(json_log_parse_line(rec, strlen(rec), &e, &buf, &cap), 0);
	assert_int_equal(e.len, sizeof(in) - 1);
	assert_memory_equal(e.data, in, e.len);
	assert_int_equal(e.stream, JSON_LOG_STDERR);
	assert_int_equal(e.ts.tv_sec, TS.tv_sec);
	assert_int_equal(e.ts.tv_nsec, TS.tv_nsec);
	assert_int_equal(e.time_len, 30);
	free(rec);
	/* other key orders, \u escapes with surrogate pairs, \/ */
	const char *other = "{ \"stream\" : \"stdout\", \"time\":\"2020-01-01T00:00:00Z\","
	                    "\"log\":\"\\u00e9\\ud83d\\ude00\\/\\ud800x\" }";
	assert_int_equal(json_log_parse_line(other, strlen(other), &e, &buf, &cap), 0);
	assert_int_equal(e.len, 2 + 4 + 1 + 3 + 1);
	assert_memory_equal(e.data, "\xc3\xa9\xf0\x9f\x98\x80/\xef\xbf\xbdx", e.len);
	assert_int_equal(e.ts.tv_sec, 1577836800);
	const char *bad[] = {
	    "", "{}", "{\"log\":1}", "{\"log\":\"x\"", "not json", "{\"log\":\"\\q\"}"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(json_log_parse_line(bad[i], strlen(bad[i]), &e, &buf, &cap), -1);
	free(buf);
}

static void parses_times(void **state)
{
	struct timespec t;
	assert_int_equal(json_log_parse_time("2023-11-14T22:13:20.5Z", 22, &t), 0);
	assert_int_equal(t.tv_sec, 1700000000);
	assert_int_equal(t.tv_nsec, 500000000);
	assert_int_equal(json_log_parse_time("2023-11-15T00:13:20+02:00", 25, &t), 0);
	assert_int_equal(t.tv_sec, 1700000000);
	assert_int_equal(json_log_parse_time("2023-11-14 22:13:20Z", 20, &t), -1);
	assert_int_equal(json_log_parse_time("2023-13-14T22:13:20Z", 20, &t), -1);
	char buf[48];
	json_log_format_time(&TS, buf, sizeof(buf));
	assert_string_equal(buf, "2023-11-14T22:13:20.000000005Z");
}

/* ------------------------------------------------------------------------ writer/reader */

static char g_dir[] = "/tmp/test_json_log.XXXXXX";
static char g_path[256];

static int setup(void **state)
{
	strcpy(g_dir, "/tmp/test_json_log.XXXXXX");
	assert_non_null(mkdtemp(g_dir));
	snprintf(g_path, sizeof(g_path), "%s/console.log", g_dir);
	return 0;
}

static int teardown(void **state)
{
	remove_tree(g_dir);
	return 0;
}

/* Reads every entry (not following) into one "stream:data" text. */
static char *read_all(const struct json_log_read_opts *o)
{
	struct json_log_reader *r = json_log_reader_open(g_path, o);
	assert_non_null(r);
	size_t cap = 1 << 20, len = 0;
	char *out = calloc(1, cap);
	struct json_log_entry e;
	while (json_log_reader_next(r, &e) == 1) {
		assert_true(len + e.len + 2 < cap);
		if (!o->raw)
			out[len++] = e.stream == JSON_LOG_STDERR ? 'E' : 'O';
		memcpy(out + len, e.data, e.len);
		len += e.len;
	}
	json_log_reader_close(r);
	return out;
}

static void splits_lines_and_keeps_partials(void **state)
{
	struct json_log_writer *w = json_log_writer_open(g_path, 0, 1);
	assert_non_null(w);
	assert_int_equal(json_log_writer_feed(w, JSON_LOG_STDOUT, "a\nb", 3, NULL), 0);
	assert_int_equal(json_log_writer_feed(w, JSON_LOG_STDERR, "err", 3, NULL), 0);
	assert_int_equal(json_log_writer_feed(w, JSON_LOG_STDOUT, "c\nd\n", 4, NULL), 0);
	json_log_writer_close(w); /* flushes "err" without a newline */
	struct json_log_read_opts o = {.tail = -1};
	char *all = read_all(&o);
	assert_string_equal(all, "Oa\nObc\nOd\nEerr");
	free(all);
	char *text = read_file(g_path, 1 << 20, NULL);
	int lines = 0;
	for (char *p = text; (p = strchr(p, '\n')); p++)
		lines++;
	assert_int_equal(lines, 4);
	free(text);
}

static void splits_long_lines(void **state)
{
	size_t n = JSON_LOG_MAX_LINE * 2 + 100;
	char *big = malloc(n + 1);
	memset(big, 'x', n);
	big[n] = '\n';
	struct json_log_writer *w = json_log_writer_open(g_path, 0, 1);
	assert_int_equal(json_log_writer_feed(w, JSON_LOG_STDOUT, big, n + 1, NULL), 0);
	json_log_writer_close(w);
	struct json_log_read_opts o = {.tail = -1};
	struct json_log_reader *r = json_log_reader_open(g_path, &o);
	struct json_log_entry e;
	size_t sizes[4] = {0}, k = 0;
	while (json_log_reader_next(r, &e) == 1 && k < 4)
		sizes[k++] = e.len;
	json_log_reader_close(r);
	assert_int_equal(k, 3);
	assert_int_equal(sizes[0], JSON_LOG_MAX_LINE);
	assert_int_equal(sizes[1], JSON_LOG_MAX_LINE);
	assert_int_equal(sizes[2], 101);
	free(big);
}

static int64_t file_size(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 ? st.st_size : -1;
}

static void write_numbered(struct json_log_writer *w, int from, int to)
{
	char line[64];
	for (int i = from; i < to; i++) {
		int n = snprintf(line, sizeof(line), "line %05d\n", i);
		assert_int_equal(json_log_writer_feed(w, JSON_LOG_STDOUT, line, (size_t)n, NULL),
		                 0);
	}
}

static void rotates_at_the_size_limit(void **state)
{
	struct json_log_writer *w = json_log_writer_open(g_path, 1000, 3);
	write_numbered(w, 0, 200);
	json_log_writer_close(w);
	char p[300];
	for (int i = 0; i < 3; i++) {
		snprintf(p, sizeof(p), i ? "%s.%d" : "%s", g_path, i);
		int64_t sz = file_size(p);
		assert_true(sz > 0 && sz <= 1000);
	}
	snprintf(p, sizeof(p), "%s.3", g_path);
	assert_int_equal(file_size(p), -1);
	struct json_log_read_opts o = {.tail = -1};
	char *all = read_all(&o);
	/* oldest dropped, the rest in order, ending with the newest */
	assert_null(strstr(all, "line 00000"));
	assert_non_null(strstr(all, "Oline 00199\n"));
	int prev = -1, count = 0;
	for (char *q = all; (q = strstr(q, "line ")); q += 5) {
		int v = atoi(q + 5);
		assert_true(prev < 0 || v == prev + 1);
		prev = v;
		count++;
	}
	assert_true(count > 20);
	free(all);
	/* a lower max-file later removes the extra files */
	w = json_log_writer_open(g_path, 1000, 2);
	json_log_writer_close(w);
	snprintf(p, sizeof(p), "%s.2", g_path);
	assert_int_equal(file_size(p), -1);
}

static void tails_across_rotated_files(void **state)
{
	struct json_log_writer *w = json_log_writer_open(g_path, 1000, 5);
	write_numbered(w, 0, 50);
	json_log_writer_close(w);
	for (int64_t tail = 0; tail <= 60; tail++) {
		struct json_log_read_opts o = {.tail = tail};
		char *all = read_all(&o);
		int count = 0, first = -1;
		for (char *q = all; (q = strstr(q, "line ")); q += 5) {
			if (first < 0)
				first = atoi(q + 5);
			count++;
		}
		assert_int_equal(count, tail < 50 ? tail : 50);
		if (tail > 0)
			assert_int_equal(first, tail < 50 ? 50 - tail : 0);
		free(all);
	}
}

static void follows_across_rotation(void **state)
{
	struct json_log_writer *w = json_log_writer_open(g_path, 500, 4);
	write_numbered(w, 0, 10);
	struct json_log_read_opts o = {.tail = -1, .follow = true};
	struct json_log_reader *r = json_log_reader_open(g_path, &o);
	struct json_log_entry e;
	int expect = 0;
	for (int round = 0; round < 5; round++) {
		int ret;
		while ((ret = json_log_reader_next(r, &e)) == 1) {
			char want[32];
			snprintf(want, sizeof(want), "line %05d\n", expect++);
			assert_int_equal(e.len, strlen(want));
			assert_memory_equal(e.data, want, e.len);
		}
		assert_int_equal(ret, 0);
		/* 20 lines of ~70 bytes: more than one rotation of a 500-byte file per round
		 * would lose lines (as with Docker); ~3 rotations of 4 files are kept */
		write_numbered(w, 10 + round * 5, 15 + round * 5);
	}
	while (json_log_reader_next(r, &e) == 1)
		expect++;
	assert_int_equal(expect, 35);
	json_log_reader_close(r);
	json_log_writer_close(w);
}

static void filters_since_until(void **state)
{
	struct json_log_writer *w = json_log_writer_open(g_path, 0, 1);
	for (int i = 0; i < 10; i++) {
		struct timespec t = {.tv_sec = 1000 + i};
		char line[8];
		int n = snprintf(line, sizeof(line), "%d\n", i);
		json_log_writer_feed(w, JSON_LOG_STDOUT, line, (size_t)n, &t);
	}
	json_log_writer_close(w);
	struct json_log_read_opts o = {.tail = -1, .since = {1003, 0}, .until = {1006, 0}};
	char *all = read_all(&o);
	assert_string_equal(all, "O3\nO4\nO5\nO6\n");
	free(all);
}

static void raw_mode_tails_lines(void **state)
{
	char p1[300];
	snprintf(p1, sizeof(p1), "%s.1", g_path);
	atomic_write_file(p1, "old1\nold2\n", 10, 0600);
	atomic_write_file(g_path, "new1\r\nnew2\nprompt$ ", 19, 0600);
	struct json_log_read_opts o = {.raw = true, .tail = -1};
	char *all = read_all(&o);
	assert_string_equal(all, "old1\nold2\nnew1\r\nnew2\nprompt$ ");
	free(all);
	o.tail = 2;
	all = read_all(&o);
	assert_string_equal(all, "new1\r\nnew2\nprompt$ ");
	free(all);
	o.tail = 3;
	all = read_all(&o);
	assert_string_equal(all, "old2\nnew1\r\nnew2\nprompt$ ");
	free(all);
}

static void missing_log_reads_empty(void **state)
{
	struct json_log_read_opts o = {.tail = -1};
	char *all = read_all(&o);
	assert_string_equal(all, "");
	free(all);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(encodes_docker_format),
	    cmocka_unit_test(escapes_control_chars_and_quotes),
	    cmocka_unit_test(repairs_invalid_utf8),
	    cmocka_unit_test(parses_what_it_encodes),
	    cmocka_unit_test(parses_times),
	    cmocka_unit_test_setup_teardown(splits_lines_and_keeps_partials, setup, teardown),
	    cmocka_unit_test_setup_teardown(splits_long_lines, setup, teardown),
	    cmocka_unit_test_setup_teardown(rotates_at_the_size_limit, setup, teardown),
	    cmocka_unit_test_setup_teardown(tails_across_rotated_files, setup, teardown),
	    cmocka_unit_test_setup_teardown(follows_across_rotation, setup, teardown),
	    cmocka_unit_test_setup_teardown(filters_since_until, setup, teardown),
	    cmocka_unit_test_setup_teardown(raw_mode_tails_lines, setup, teardown),
	    cmocka_unit_test_setup_teardown(missing_log_reads_empty, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
