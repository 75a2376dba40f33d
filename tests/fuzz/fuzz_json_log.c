/* Fuzzes the json-file log codec and reader (lib/engine/json_log_codec, json_log_read): the
 * input as one record line, as raw output to encode, and as a log file (split at the first
 * byte's place into a rotated PATH.1 and the live PATH) read with a tail taken from the first
 * byte. Invariants: a decoded record's text is within its buffer and its time fields are
 * sane; any bytes encode to one line that decodes back to them (to their UTF-8 repair when
 * they are not UTF-8) with the same stream and time; the reader gives at most as many
 * entries as there are lines (at most `tail` of them); nothing leaks. Files live in a
 * private temp dir, removed after each input. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/utf8.h"
#include "engine/json_log.h"

static char g_dir[] = "/tmp/fuzz_json_log.XXXXXX";
static char g_path[64], g_path1[80];

static void remove_dir(void)
{
	unlink(g_path);
	unlink(g_path1);
	rmdir(g_dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	if (!mkdtemp(g_dir))
		abort();
	atexit(remove_dir);
	snprintf(g_path, sizeof(g_path), "%s/log", g_dir);
	snprintf(g_path1, sizeof(g_path1), "%s/log.1", g_dir);
	return 0;
}

static void check_line(const char *data, size_t size)
{
	char *line = malloc(size ? size : 1); /* exact size: ASan sees a read past it */
	if (!line)
		return;
	memcpy(line, data, size);
	struct json_log_entry e;
	char *buf = NULL;
	size_t cap = 0;
	if (json_log_parse_line(line, size, &e, &buf, &cap) == 0) {
		if (!e.data || (e.len && (e.len > cap || e.data != buf)) || !e.time ||
		    (e.time_len && (e.time < line || e.time + e.time_len > line + size)) ||
		    e.ts.tv_nsec < 0 || e.ts.tv_nsec >= 1000000000L ||
		    (e.stream != JSON_LOG_STDOUT && e.stream != JSON_LOG_STDERR))
			abort();
	}
	free(buf);
	free(line);
}

static void check_roundtrip(const char *data, size_t size, uint8_t sel)
{
	struct timespec ts = {.tv_sec = 1700000000 + sel * 1000, .tv_nsec = sel * 3};
	enum json_log_stream s = sel & 1 ? JSON_LOG_STDERR : JSON_LOG_STDOUT;
	size_t n;
	char *rec = json_log_encode(s, data, size, &ts, &n);
	if (!rec)
		return;
	if (n == 0 || rec[n - 1] != '\n' || memchr(rec, '\n', n - 1))
		abort();
	size_t want_len = size;
	char *want = utf8_valid(data, size) ? NULL : utf8_repair(data, size, &want_len);
	struct json_log_entry e;
	char *buf = NULL;
	size_t cap = 0;
	if (json_log_parse_line(rec, n - 1, &e, &buf, &cap) < 0 || e.stream != s ||
	    e.ts.tv_sec != ts.tv_sec || e.ts.tv_nsec != ts.tv_nsec || e.len != want_len ||
	    memcmp(e.data, want ? want : data, want_len) != 0)
		abort();
	free(want);
	free(buf);
	free(rec);
}

static int write_file(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "w");
	if (!f)
		return -1;
	size_t w = fwrite(data, 1, len, f);
	return fclose(f) == 0 && w == len ? 0 : -1;
}

static void check_reader(const char *data, size_t size, uint8_t sel)
{
	size_t cut = size ? sel % (size + 1) : 0;
	if (write_file(g_path1, data, cut) < 0 || write_file(g_path, data + cut, size - cut) < 0)
		abort();
	size_t lines = 2;
	for (size_t i = 0; i < size; i++)
		lines += data[i] == '\n';
	struct json_log_read_opts o = {.raw = sel >> 7, .tail = sel & 0x40 ? sel & 7 : -1};
	if (sel & 0x20)
		o.until.tv_sec = 1700000000;
	struct json_log_reader *r = json_log_reader_open(g_path, &o);
	if (!r)
		abort();
	struct json_log_entry e;
	size_t n = 0;
	int got;
	while ((got = json_log_reader_next(r, &e)) == 1) {
		n++;
		if (!o.raw && (n > lines || (o.tail >= 0 && n > (size_t)o.tail)))
			abort();
	}
	if (got < 0)
		abort();
	json_log_reader_close(r);
	unlink(g_path);
	unlink(g_path1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > 64 * 1024)
		return 0;
	const char *text = (const char *)data + 1;
	check_line(text, size - 1);
	check_roundtrip(text, size - 1, data[0]);
	check_reader(text, size - 1, data[0]);
	return 0;
}
