#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "engine/daemon/ps_output.h"

static const char g_ps[] = "UID        PID  PPID  C STIME TTY          TIME CMD\n"
                           "root         1     0  0 09:00 ?        00:00:01 /sbin/init\n"
                           "root       900     1  0 09:01 pts/1    00:00:00 sh -c sleep 5\n"
                           "root       901   900  0 09:01 pts/1    00:00:00 sleep 5\n";

static void test_keeps_container_rows(void **state)
{
	pid_t pids[] = {900, 901};
	struct ps_table t;
	char err[256];
	assert_int_equal(ps_table_parse(g_ps, pids, 2, &t, err, sizeof(err)), 0);
	assert_int_equal(t.ntitles, 8);
	assert_string_equal(t.titles[1], "PID");
	assert_string_equal(t.titles[7], "CMD");
	assert_int_equal(t.nrows, 2);
	assert_string_equal(t.rows[0][1], "900");
	/* The last column keeps the command's spaces. */
	assert_string_equal(t.rows[0][7], "sh -c sleep 5");
	assert_string_equal(t.rows[1][7], "sleep 5");
	ps_table_free(&t);
}

static void test_other_columns_and_short_lines(void **state)
{
	pid_t pids[] = {7};
	struct ps_table t;
	char err[256];
	assert_int_equal(
	    ps_table_parse("  PID COMMAND\n    7\n    8 other\n", pids, 1, &t, err, sizeof(err)),
	    0);
	assert_int_equal(t.nrows, 1);
	assert_string_equal(t.rows[0][0], "7");
	assert_string_equal(t.rows[0][1], "");
	ps_table_free(&t);
}

static void test_errors(void **state)
{
	pid_t pids[] = {1};
	struct ps_table t;
	char err[256];
	assert_int_equal(ps_table_parse("USER COMMAND\nroot init\n", pids, 1, &t, err, sizeof(err)),
	                 -1);
	assert_non_null(strstr(err, "Couldn't find PID field"));
	assert_int_equal(ps_table_parse("PID CMD\nx1 init\n", pids, 1, &t, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "Unexpected pid 'x1'"));
	assert_int_equal(ps_table_parse("", pids, 1, &t, err, sizeof(err)), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_keeps_container_rows),
	    cmocka_unit_test(test_other_columns_and_short_lines),
	    cmocka_unit_test(test_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
