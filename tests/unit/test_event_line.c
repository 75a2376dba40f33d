#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "engine/client/event_line.h"
#include "engine/client/human_size.h"
#include "core/json.h"

static char *line_of(const char *json)
{
	yajl_val v = json_parse(json, NULL, 0);
	char *line = event_format_line(v);
	if (v)
		yajl_tree_free(v);
	return line;
}

static void test_isulad_format(void **state)
{
	setenv("TZ", "Asia/Shanghai", 1);
	tzset();
	char *line = line_of(
	    "{\"status\":\"start\",\"id\":\"abc\",\"Type\":\"container\",\"Action\":\"start\","
	    "\"Actor\":{\"ID\":\"abc\",\"Attributes\":{\"pid\":\"9007\",\"name\":\"web\","
	    "\"image\":\"none\"}},\"time\":1652174434,\"timeNano\":1652174434661862100}");
	assert_non_null(line);
	assert_string_equal(line, "2022-05-10T17:20:34.661862100+08:00 container start abc "
	                          "(image=none, name=web, pid=9007)");
	free(line);
}

static void test_no_attributes_and_old_fields(void **state)
{
	setenv("TZ", "UTC", 1);
	tzset();
	char *line = line_of("{\"status\":\"die\",\"id\":\"abc\",\"time\":1652174434}");
	assert_non_null(line);
	assert_string_equal(line, "2022-05-10T09:20:34.000000000Z container die abc");
	free(line);
	assert_null(line_of("[1,2]"));
	assert_null(event_format_line(NULL));
}

static void test_binary_sizes(void **state)
{
	char buf[32];
	format_binary_size(0, buf, sizeof(buf));
	assert_string_equal(buf, "0.00 B");
	format_binary_size(57344, buf, sizeof(buf));
	assert_string_equal(buf, "56.00 KiB");
	format_binary_size(7.45 * 1024 * 1024 * 1024, buf, sizeof(buf));
	assert_string_equal(buf, "7.45 GiB");
	format_binary_size(-3, buf, sizeof(buf));
	assert_string_equal(buf, "0.00 B");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_isulad_format),
	    cmocka_unit_test(test_no_attributes_and_old_fields),
	    cmocka_unit_test(test_binary_sizes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
