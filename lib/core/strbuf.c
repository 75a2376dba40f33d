#include "core/strbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The first allocation: one page holds most texts whole (lxcfs renders a fresh buffer for
 * every read of a virtual file, so growing from less would cost reallocs on its hot path). */
#define STRBUF_FIRST_CAP 4096

static bool reserve(struct strbuf *b, size_t extra)
{
	if (b->failed)
		return false;
	if (b->len + extra + 1 <= b->cap)
		return true;
	if (extra > ((size_t)-1) / 2 - b->len - 1) {
		b->failed = true;
		return false;
	}
	size_t cap = b->cap ? b->cap : STRBUF_FIRST_CAP;
	while (cap < b->len + extra + 1)
		cap *= 2;
	char *p = realloc(b->data, cap);
	if (!p) {
		b->failed = true;
		return false;
	}
	b->data = p;
	b->cap = cap;
	return true;
}

void strbuf_reset(struct strbuf *b)
{
	b->len = 0;
	b->failed = false;
	if (b->data)
		b->data[0] = '\0';
}

void strbuf_free(struct strbuf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
	b->failed = false;
}

void strbuf_add(struct strbuf *b, const char *s, size_t n)
{
	if (!reserve(b, n))
		return;
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void strbuf_puts(struct strbuf *b, const char *s)
{
	strbuf_add(b, s, strlen(s));
}

void strbuf_putc(struct strbuf *b, char c)
{
	strbuf_add(b, &c, 1);
}

void strbuf_printf(struct strbuf *b, const char *fmt, ...)
{
	char small[256];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < sizeof(small)) {
		strbuf_add(b, small, (size_t)n);
		return;
	}
	if (!reserve(b, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

size_t strbuf_space(struct strbuf *b, size_t min)
{
	if (!reserve(b, min))
		return 0;
	return b->cap - b->len - 1;
}

void strbuf_commit(struct strbuf *b, size_t n)
{
	b->len += n;
	b->data[b->len] = '\0';
}

char *strbuf_take(struct strbuf *b)
{
	if (b->failed) {
		strbuf_free(b);
		return NULL;
	}
	char *text = b->data ? b->data : strdup("");
	b->data = NULL;
	b->len = b->cap = 0;
	return text;
}
