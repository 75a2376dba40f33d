#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <ctype.h>
#include <string.h>
#include <cmocka.h>

#include "host/boot_id.h"

static void parse(void **state)
{
	char id[BOOT_ID_LEN + 1];
	assert_int_equal(boot_id_parse("0f3c1a52-7d4e-4b8a-9c1d-2e5f6a7b8c9d\n", id), 0);
	assert_string_equal(id, "0f3c1a52-7d4e-4b8a-9c1d-2e5f6a7b8c9d");
	assert_int_equal(boot_id_parse("0F3C1A52-7D4E-4B8A-9C1D-2E5F6A7B8C9D", id), 0);
	assert_string_equal(id, "0f3c1a52-7d4e-4b8a-9c1d-2e5f6a7b8c9d");
	assert_int_equal(boot_id_parse(NULL, id), -1);
	assert_int_equal(boot_id_parse("", id), -1);
	assert_int_equal(boot_id_parse("0f3c1a52-7d4e-4b8a-9c1d-2e5f6a7b8c9", id), -1); /* short */
	assert_int_equal(boot_id_parse("0f3c1a52-7d4e-4b8a-9c1d-2e5f6a7b8c9dd", id), -1);
	assert_int_equal(boot_id_parse("0f3c1a52-7d4e-4b8a-9c1d-2e5f6a7b8c9d\n\n", id), -1);
	assert_int_equal(boot_id_parse("0f3c1a527-d4e-4b8a-9c1d-2e5f6a7b8c9d", id), -1);
	assert_int_equal(boot_id_parse("0f3c1a52-7d4e-4b8a-9c1d-2e5f6a7b8c9g", id), -1);
}

static void current(void **state)
{
	const char *now = boot_id_current();
	char id[BOOT_ID_LEN + 1];
	/* Linux tells: this boot's id is a valid one, and the same at each call. */
	assert_int_equal(boot_id_parse(now, id), 0);
	assert_ptr_equal(boot_id_current(), now);
	assert_true(boot_id_is_current(now));
	for (size_t i = 0; i < BOOT_ID_LEN; i++)
		id[i] = (char)toupper((unsigned char)now[i]);
	assert_true(boot_id_is_current(id));
	/* Records that did not stamp one. */
	assert_true(boot_id_is_current(NULL));
	assert_true(boot_id_is_current(""));
	/* Another boot's id, and a stamp that is no id at all. */
	strcpy(id, now);
	id[0] = id[0] == 'a' ? 'b' : 'a';
	assert_false(boot_id_is_current(id));
	assert_false(boot_id_is_current("?"));
	assert_false(boot_id_is_current("not-a-boot-id"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(parse),
	    cmocka_unit_test(current),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
