/* JSON text written by hand, where a generator does not fit: string escaping and \u escapes'
 * UTF-8. Used by the json-file log records (lib/engine/json_log_codec.c) and by
 * `isula inspect -f '{{json .X}}'` (engine/client/inspect_print.c); yajl_gen (core/json.h)
 * writes every other document. */
#ifndef LIB_CORE_JSON_TEXT_H
#define LIB_CORE_JSON_TEXT_H

#include <stddef.h>

#include "core/strbuf.h"

/* What is escaped beyond what JSON requires (", \, and control characters below 0x20, as
 * \n \r \t \b \f or \u00XX). Invalid UTF-8 bytes always become \ufffd. */
enum json_text_flags {
	/* DEL (0x7f) as \u007f: the json-file log's records (kept byte for byte). */
	JSON_TEXT_ESCAPE_DEL = 1 << 0,
	/* U+2028 and U+2029 as \u2028 and \u2029 (they end JavaScript strings): Go's
	 * encoding/json, which `inspect -f '{{json}}'` reproduces. */
	JSON_TEXT_ESCAPE_LINE_SEPARATORS = 1 << 1,
};

/* Appends the len bytes at s, escaped, without quotes. */
void json_text_escape(struct strbuf *b, const char *s, size_t len, unsigned flags);
/* Appends s (NUL-terminated) as a quoted JSON string. */
void json_text_string(struct strbuf *b, const char *s, unsigned flags);
/* Appends code point cp (a decoded \uXXXX escape; <= U+10FFFF, not a surrogate) as UTF-8. */
void json_text_put_utf8(struct strbuf *b, unsigned cp);

#endif
