#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/hex.h"

static void digits(void **state)
{
	assert_int_equal(hex_digit('0'), 0);
	assert_int_equal(hex_digit('9'), 9);
	assert_int_equal(hex_digit('a'), 10);
	assert_int_equal(hex_digit('F'), 15);
	assert_int_equal(hex_digit('g'), -1);
	assert_int_equal(hex_digit(':'), -1);
	assert_int_equal(hex_digit('\0'), -1);
}

static void byte_strings(void **state)
{
	unsigned char b[6];
	assert_int_equal(hex_bytes_parse("00:fF:48:13:0a:01", ':', b, 6), 6);
	assert_int_equal(b[1], 0xff);
	assert_int_equal(b[5], 0x01);
	assert_int_equal(hex_bytes_parse("aa-bb", '-', b, 6), 2);
	assert_int_equal(hex_bytes_parse("", ':', b, 6), 0);
	assert_int_equal(hex_bytes_parse("aa:bb:cc:dd:ee:ff:00", ':', b, 6), -1); /* too long */
	assert_int_equal(hex_bytes_parse("a:bb", ':', b, 6), -1);
	assert_int_equal(hex_bytes_parse("aa:", ':', b, 6), -1);
	assert_int_equal(hex_bytes_parse("aa-bb", ':', b, 6), -1);
	assert_int_equal(hex_bytes_parse("zz", ':', b, 6), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(digits),
	    cmocka_unit_test(byte_strings),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
