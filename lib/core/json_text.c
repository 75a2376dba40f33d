#include "core/json_text.h"

#include <stdio.h>
#include <string.h>

#include "core/utf8.h"

static bool plain(unsigned char c)
{
	return c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
}

void json_text_escape(struct strbuf *b, const char *data, size_t len, unsigned flags)
{
	const unsigned char *s = (const unsigned char *)data;
	size_t i = 0;
	strbuf_space(b, len); /* the size when nothing needs escaping */
	while (i < len && !b->failed) {
		/* Copy runs of plain ASCII at once: the common case. */
		size_t run = i;
		while (run < len && plain(s[run]))
			run++;
		if (run > i) {
			strbuf_add(b, data + i, run - i);
			i = run;
			continue;
		}
		unsigned char c = s[i];
		const char *esc = NULL;
		switch (c) {
		case '"':
			esc = "\\\"";
			break;
		case '\\':
			esc = "\\\\";
			break;
		case '\n':
			esc = "\\n";
			break;
		case '\r':
			esc = "\\r";
			break;
		case '\t':
			esc = "\\t";
			break;
		case '\b':
			esc = "\\b";
			break;
		case '\f':
			esc = "\\f";
			break;
		}
		if (esc) {
			strbuf_add(b, esc, 2);
			i++;
			continue;
		}
		if (c < 0x20 || (c == 0x7f && (flags & JSON_TEXT_ESCAPE_DEL))) {
			char u[8];
			snprintf(u, sizeof(u), "\\u%04x", c);
			strbuf_add(b, u, 6);
			i++;
			continue;
		}
		if (c == 0x7f) {
			strbuf_putc(b, (char)c);
			i++;
			continue;
		}
		size_t n = utf8_seq_len(s + i, len - i);
		if (n == 0) {
			strbuf_add(b, "\\ufffd", 6);
			n = 1;
		} else if (n == 3 && (flags & JSON_TEXT_ESCAPE_LINE_SEPARATORS) && c == 0xe2 &&
		           s[i + 1] == 0x80 && (s[i + 2] == 0xa8 || s[i + 2] == 0xa9)) {
			strbuf_add(b, s[i + 2] == 0xa8 ? "\\u2028" : "\\u2029", 6);
		} else {
			strbuf_add(b, data + i, n);
		}
		i += n;
	}
}

void json_text_string(struct strbuf *b, const char *s, unsigned flags)
{
	strbuf_putc(b, '"');
	json_text_escape(b, s, strlen(s), flags);
	strbuf_putc(b, '"');
}

void json_text_put_utf8(struct strbuf *b, unsigned cp)
{
	char u[4];
	strbuf_add(b, u, utf8_encode(cp, u));
}
