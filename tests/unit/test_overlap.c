#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/overlap.h"

static size_t ov(const char *a, const char *b)
{
	return overlap_suffix_prefix(a, strlen(a), b, strlen(b));
}

/* The obvious quadratic answer, to check the linear one against. */
static size_t naive(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t k = alen < blen ? alen : blen;
	for (; k > 0; k--) {
		if (memcmp(a + alen - k, b, k) == 0)
			return k;
	}
	return 0;
}

static void joins_console_captures(void **state)
{
	assert_int_equal(ov("history\nat-once\n", "at-once\nlater\n"), 8);
	assert_int_equal(ov("at-once\n", "at-once\n"), 8);
	assert_int_equal(ov("abc", "xyz"), 0);
	assert_int_equal(ov("", "abc"), 0);
	assert_int_equal(ov("abc", ""), 0);
	assert_int_equal(ov("aaaa", "aa"), 2);
	assert_int_equal(ov("xaab", "aabaab"), 3);
	assert_int_equal(ov("abab", "ababx"), 4);
	assert_int_equal(ov("b", "ab"), 0);
}

static void agrees_with_the_naive_answer(void **state)
{
	srand(7);
	char a[64], b[64];
	for (int round = 0; round < 20000; round++) {
		size_t alen = (size_t)(rand() % 40), blen = (size_t)(rand() % 40);
		for (size_t i = 0; i < alen; i++)
			a[i] = (char)('a' + rand() % 2);
		for (size_t i = 0; i < blen; i++)
			b[i] = (char)('a' + rand() % 2);
		assert_int_equal(overlap_suffix_prefix(a, alen, b, blen), naive(a, alen, b, blen));
	}
}

static void crlf_doubled_by_a_terminal(void **state)
{
	(void)state;
	/* history "hello\r\n", live "hello\r\r\nmore": the repeat is 8 live bytes */
	assert_int_equal(overlap_suffix_prefix_crlf("x\r\nhello\r\n", 10, "hello\r\r\nmore", 12),
	                 8);
	/* the plain form still matches */
	assert_int_equal(overlap_suffix_prefix_crlf("ab\r\n", 4, "ab\r\nc", 5), 4);
	/* a lone CR is kept */
	assert_int_equal(overlap_suffix_prefix_crlf("a\r", 2, "a\rb", 3), 2);
	/* an overlap that ends inside a doubled CR sequence: "\r" of "\r\r\n" counts */
	assert_int_equal(overlap_suffix_prefix_crlf("q\r", 2, "q\r\r\n", 4), 3);
	assert_int_equal(overlap_suffix_prefix_crlf("abc", 3, "xyz", 3), 0);
	assert_int_equal(overlap_suffix_prefix_crlf("", 0, "\r\r\n", 3), 0);
	assert_int_equal(overlap_suffix_prefix_crlf("\r\n", 2, "", 0), 0);
}

static void long_repeats_stay_linear(void **state)
{
	size_t n = 1 << 20;
	char *a = malloc(n), *b = malloc(n);
	assert_non_null(a);
	assert_non_null(b);
	memset(a, 'a', n);
	memset(b, 'a', n);
	b[n - 1] = 'b';
	assert_int_equal(overlap_suffix_prefix(a, n, b, n), n - 1);
	free(a);
	free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(joins_console_captures),
	    cmocka_unit_test(agrees_with_the_naive_answer),
	    cmocka_unit_test(long_repeats_stay_linear),
	    cmocka_unit_test(crlf_doubled_by_a_terminal),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
