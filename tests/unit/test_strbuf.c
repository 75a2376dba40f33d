/* The growable text buffer (lib/core/strbuf.c) and JSON string text (lib/core/json_text.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/json_text.h"
#include "core/strbuf.h"
#include "core/utf8.h"

static void grows(void **state)
{
	struct strbuf b = {0};
	char big[10000];
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	strbuf_printf(&b, "%s-%d", big, 7);
	strbuf_puts(&b, "!");
	assert_int_equal(b.len, sizeof(big) - 1 + 3);
	assert_string_equal(b.data + sizeof(big) - 1, "-7!");
	size_t room = strbuf_space(&b, 100);
	assert_true(room >= 100);
	memcpy(b.data + b.len, "ab", 2);
	strbuf_commit(&b, 2);
	assert_string_equal(b.data + b.len - 3, "!ab");
	strbuf_free(&b);
}

static void takes(void **state)
{
	struct strbuf b = {0};
	char *empty = strbuf_take(&b);
	assert_string_equal(empty, "");
	free(empty);
	strbuf_putc(&b, 'a');
	strbuf_add(&b, "bcd", 2);
	strbuf_printf(&b, "%d", 42);
	char *text = strbuf_take(&b);
	assert_string_equal(text, "abc42");
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	free(text);
	strbuf_puts(&b, "x");
	strbuf_reset(&b);
	assert_string_equal(b.data, "");
	b.failed = true; /* as after an allocation failure */
	strbuf_puts(&b, "ignored");
	assert_null(strbuf_take(&b));
	assert_null(b.data);
}

static char *escaped(const char *s, size_t len, unsigned flags)
{
	struct strbuf b = {0};
	json_text_escape(&b, s, len, flags);
	return strbuf_take(&b);
}

static void escapes(void **state)
{
	const char in[] = "a\"b\\c\td\re\n\x01\x1f\x7f\b\f \xe2\x80\xa8\xe2\x80\xa9 \xff \xc3\xa9";
	char *log = escaped(in, sizeof(in) - 1, JSON_TEXT_ESCAPE_DEL);
	assert_string_equal(log, "a\\\"b\\\\c\\td\\re\\n\\u0001\\u001f\\u007f\\b\\f "
	                         "\xe2\x80\xa8\xe2\x80\xa9 \\ufffd \xc3\xa9");
	free(log);
	char *go = escaped(in, sizeof(in) - 1, JSON_TEXT_ESCAPE_LINE_SEPARATORS);
	assert_string_equal(go, "a\\\"b\\\\c\\td\\re\\n\\u0001\\u001f\x7f\\b\\f "
	                        "\\u2028\\u2029 \\ufffd \xc3\xa9");
	free(go);
	struct strbuf b = {0};
	json_text_string(&b, "q\"", 0);
	char *quoted = strbuf_take(&b);
	assert_string_equal(quoted, "\"q\\\"\"");
	free(quoted);
}

static void encodes_utf8(void **state)
{
	struct strbuf b = {0};
	json_text_put_utf8(&b, 0x41);
	json_text_put_utf8(&b, 0xe9);
	json_text_put_utf8(&b, 0x20ac);
	json_text_put_utf8(&b, 0x1f600);
	char *text = strbuf_take(&b);
	assert_string_equal(text, "A\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80");
	assert_true(utf8_valid(text, strlen(text)));
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(grows),
	    cmocka_unit_test(takes),
	    cmocka_unit_test(escapes),
	    cmocka_unit_test(encodes_utf8),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
