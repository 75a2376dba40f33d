/* A text built with stdio calls into memory (open_memstream), for generated files. */
#ifndef LIB_CORE_TEXT_BUF_H
#define LIB_CORE_TEXT_BUF_H

#include <stdbool.h>
#include <stdio.h>

struct text_buf {
	FILE *f; /* fprintf/fputs into this */
	char *data;
	size_t len;
};

/* 0, or -1 (out of memory) with b->f NULL. */
int text_buf_open(struct text_buf *b);
/* Closes the stream. The text (malloc'd, NUL-terminated) when keep is true and every write
 * succeeded; else NULL, the text freed. */
char *text_buf_finish(struct text_buf *b, bool keep);

#endif
