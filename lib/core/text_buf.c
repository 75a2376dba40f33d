#include "core/text_buf.h"

#include <stdlib.h>

int text_buf_open(struct text_buf *b)
{
	b->data = NULL;
	b->len = 0;
	b->f = open_memstream(&b->data, &b->len);
	return b->f ? 0 : -1;
}

char *text_buf_finish(struct text_buf *b, bool keep)
{
	bool ok = b->f && !ferror(b->f);
	if (b->f && fclose(b->f) != 0)
		ok = false;
	b->f = NULL;
	if (ok && keep)
		return b->data;
	free(b->data);
	b->data = NULL;
	return NULL;
}
