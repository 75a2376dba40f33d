/* UTF-8 validation, repair and cutting (lib/core/utf8.c), and the JSON generator's repair. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "core/utf8.h"

static void validates(void **state)
{
	assert_true(utf8_valid("", 0));
	assert_true(utf8_valid("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", 14));
	assert_false(utf8_valid("caf\xe9", 4));          /* Latin-1 */
	assert_false(utf8_valid("a\xe2\x82", 3));        /* cut € */
	assert_false(utf8_valid("\xc0\xaf", 2));         /* overlong */
	assert_false(utf8_valid("\xed\xa0\x80", 3));     /* surrogate */
	assert_false(utf8_valid("\xf4\x90\x80\x80", 4)); /* > U+10FFFF */
	assert_false(utf8_valid("\x80", 1));
}

static void repairs_with_replacement_characters(void **state)
{
	size_t len;
	char *s = utf8_repair("caf\xe9!", 5, &len);
	assert_string_equal(s, "caf\xef\xbf\xbd!");
	assert_int_equal(len, 7);
	free(s);
	s = utf8_repair("a\xe2\x82", 3, NULL);
	assert_string_equal(s, "a\xef\xbf\xbd\xef\xbf\xbd");
	free(s);
	s = utf8_repair("ok \xe2\x82\xac", 6, NULL);
	assert_string_equal(s, "ok \xe2\x82\xac");
	free(s);
}

static void cuts_between_characters(void **state)
{
	const char *s = "ab\xe2\x82\xac"; /* ab€ */
	assert_int_equal(utf8_cut(s, 5, 10), 5);
	assert_int_equal(utf8_cut(s, 5, 5), 5);
	assert_int_equal(utf8_cut(s, 5, 4), 2);
	assert_int_equal(utf8_cut(s, 5, 3), 2);
	assert_int_equal(utf8_cut(s, 5, 2), 2);
	assert_int_equal(utf8_cut(s, 5, 1), 1);
	/* E1: 4092 'a' + € cut at 4095 bytes keeps the a's only. */
	char big[4096];
	memset(big, 'a', 4092);
	memcpy(big + 4092, "\xe2\x82\xac", 3);
	assert_int_equal(utf8_cut(big, 4095, 4093), 4092);
	/* Invalid text: a plain byte cut. */
	assert_int_equal(utf8_cut("\x80\x80\x80\x80\x80", 5, 3), 3);
}

static void generator_writes_valid_utf8(void **state)
{
	yajl_gen g = yajl_gen_alloc(NULL);
	yajl_gen_map_open(g);
	jg_kstr(g, "Error", "hook: \xe5\xa4\xb1\xe8\xb4");
	char *kv[] = {"k\xff=caf\xe9", NULL};
	jg_kmap_from_kv(g, "Labels", kv);
	yajl_gen_map_close(g);
	char *json = jg_finish(g, NULL);
	assert_non_null(json);
	assert_true(utf8_valid(json, strlen(json)));
	assert_non_null(strstr(json, "\"hook: \xe5\xa4\xb1\xef\xbf\xbd\xef\xbf\xbd\""));
	assert_non_null(strstr(json, "\"k\xef\xbf\xbd\":\"caf\xef\xbf\xbd\""));
	char err[128];
	yajl_val v = json_parse(json, err, sizeof(err));
	assert_non_null(v);
	yajl_tree_free(v);
	free(json);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(validates),
	    cmocka_unit_test(repairs_with_replacement_characters),
	    cmocka_unit_test(cuts_between_characters),
	    cmocka_unit_test(generator_writes_valid_utf8),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
