/* Container logs in Docker's json-file format: one JSON object per line,
 *   {"log":"text\n","stream":"stdout","time":"2024-01-02T03:04:05.123456789Z"}
 * in PATH, rotated to PATH.1 (newest) ... PATH.<max_file-1> (oldest).
 *
 * The writer is used by isulad-monitor (which owns a running container's log, so the log
 * survives the daemon); the reader by the daemon's logs and attach endpoints. */
#ifndef LIB_ENGINE_JSON_LOG_H
#define LIB_ENGINE_JSON_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

enum json_log_stream { JSON_LOG_STDOUT = 1, JSON_LOG_STDERR = 2 };

/* A line longer than this is written as several records (Docker does the same at 16 KiB);
 * only the last one ends with "\n". */
#define JSON_LOG_MAX_LINE (16 * 1024)

/* ------------------------------------------------------------------------------- writer */

struct json_log_writer;

/* Opens PATH for appending (created 0600). max_size <= 0: never rotate. max_file >= 1 is the
 * number of files kept, PATH included; with 1 the file is truncated when full. Rotated files
 * beyond max_file (left by an earlier, larger setting) are removed. NULL with errno set. */
struct json_log_writer *json_log_writer_open(const char *path, int64_t max_size, int max_file);
/* Feeds bytes read from a stream: every complete line becomes a record stamped ts (NULL: now);
 * a partial line is kept until its end arrives or json_log_writer_flush. 0, or -1 (errno) when
 * the log cannot be written (the data is dropped, the writer stays usable). */
int json_log_writer_feed(struct json_log_writer *w, enum json_log_stream s, const char *data,
                         size_t len, const struct timespec *ts);
/* Writes out a kept partial line of stream s as a record without "\n". */
int json_log_writer_flush(struct json_log_writer *w, enum json_log_stream s,
                          const struct timespec *ts);
/* Flushes both streams and closes. */
void json_log_writer_close(struct json_log_writer *w);

/* Encodes one record (with its trailing "\n") into a malloc'd buffer. Control characters are
 * escaped; invalid UTF-8 bytes become U+FFFD (as Docker does: JSON text must be UTF-8). */
char *json_log_encode(enum json_log_stream s, const char *data, size_t len,
                      const struct timespec *ts, size_t *out_len);
/* "2024-01-02T03:04:05.123456789Z" (always 9 fraction digits; UTC). buf >= 32 bytes. */
void json_log_format_time(const struct timespec *ts, char *buf, size_t len);
/* Parses an RFC 3339 time with any offset and 0-9 fraction digits. 0 or -1. */
int json_log_parse_time(const char *s, size_t len, struct timespec *out);

/* ------------------------------------------------------------------------------- reader */

struct json_log_entry {
	enum json_log_stream stream;
	const char *data; /* decoded bytes, valid until the next call on the reader */
	size_t len;
	const char *time; /* the record's time text as stored ("" in raw mode) */
	size_t time_len;
	struct timespec ts; /* parsed time ({0,0} in raw mode or when unparsable) */
};

/* Decodes one line (without its "\n") into e, using *buf (of *cap bytes) as growable storage for
 * the decoded text. 0, or -1 for a line that is not a json-file record. */
int json_log_parse_line(const char *line, size_t len, struct json_log_entry *e, char **buf,
                        size_t *cap);

struct json_log_read_opts {
	bool raw;     /* the files hold raw bytes (tty console log): entries are chunks */
	int64_t tail; /* < 0: everything; else only the last `tail` lines */
	bool follow;  /* at the end wait for more (json_log_reader_wait), across rotation */
	struct timespec since, until; /* {0,0}: unbounded; records outside are skipped */
};

struct json_log_reader;

/* Opens PATH and its rotated files (oldest first). A missing PATH reads as empty (and, when
 * following, is picked up once it appears). NULL with errno set. */
struct json_log_reader *json_log_reader_open(const char *path,
                                             const struct json_log_read_opts *opts);
/* 1: *e holds the next entry; 0: nothing more for now (follow: wait, then call again);
 * -1: error (errno); 2: the `until` time was passed, nothing more will come. */
int json_log_reader_next(struct json_log_reader *r, struct json_log_entry *e);
/* Blocks until the log changes or timeout_ms passes (inotify; plain sleep without it). */
void json_log_reader_wait(struct json_log_reader *r, int timeout_ms);
void json_log_reader_close(struct json_log_reader *r);

#endif
