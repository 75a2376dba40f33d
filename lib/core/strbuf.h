/* The growable text buffer: every text the engine builds in memory (the lxc config, generated
 * files, json-file records, inspect -f output, lxcfs's virtual files) is appended to one of
 * these. Appends never fail: after an allocation failure they do nothing and `failed` stays
 * set, so a caller checks once at the end (strbuf_take returns NULL). */
#ifndef LIB_CORE_STRBUF_H
#define LIB_CORE_STRBUF_H

#include <stdbool.h>
#include <stddef.h>

/* Zero-initialised ({0}) is an empty buffer. */
struct strbuf {
	char *data; /* NUL-terminated once anything was added, while not failed; else NULL */
	size_t len, cap;
	bool failed; /* an allocation failed: the content is incomplete */
};

/* Empties the buffer, keeping its memory (and clears failed). */
void strbuf_reset(struct strbuf *b);
void strbuf_free(struct strbuf *b);
void strbuf_add(struct strbuf *b, const char *s, size_t n);
void strbuf_puts(struct strbuf *b, const char *s);
void strbuf_putc(struct strbuf *b, char c);
void strbuf_printf(struct strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Room for at least min more bytes (plus the NUL) at data + len: its size, or 0 when out of
 * memory. Write there, then strbuf_commit the bytes written. */
size_t strbuf_space(struct strbuf *b, size_t min);
void strbuf_commit(struct strbuf *b, size_t n);
/* The text (malloc'd, NUL-terminated; "" when nothing was added), leaving b empty; NULL, the
 * text freed, when an append failed. */
char *strbuf_take(struct strbuf *b);

#endif
