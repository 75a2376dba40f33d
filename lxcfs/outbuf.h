/* A growable text buffer that every virtual file is rendered into. */
#ifndef LXCFS_OUTBUF_H
#define LXCFS_OUTBUF_H

#include <stdbool.h>
#include <stddef.h>

struct outbuf {
	char *data; /* NUL-terminated while not failed */
	size_t len, cap;
	bool failed; /* an allocation failed: the content is incomplete */
};

void outbuf_reset(struct outbuf *b);
void outbuf_free(struct outbuf *b);
void outbuf_add(struct outbuf *b, const char *s, size_t n);
void outbuf_puts(struct outbuf *b, const char *s);
void outbuf_printf(struct outbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Room for at least min more bytes (plus the NUL) at data + len: its size, or 0 when out of
 * memory. Write there, then outbuf_commit the bytes written. */
size_t outbuf_space(struct outbuf *b, size_t min);
void outbuf_commit(struct outbuf *b, size_t n);

#endif
