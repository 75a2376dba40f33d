#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "core/proc_spawn.h"

static void captures_stdout_and_stderr_apart(void **state)
{
	char *argv[] = {"sh", "-c", "echo out; echo err >&2; exit 3", NULL};
	struct spawn_capture cap;
	assert_int_equal(spawn_capture("sh", argv, SPAWN_SEARCH_PATH, 4096, 4096, &cap), 0);
	assert_int_equal(cap.status, 3);
	assert_string_equal(cap.out, "out\n");
	assert_string_equal(cap.err, "err\n");
	assert_false(cap.out_truncated);
	spawn_capture_free(&cap);
}

static void merges_stderr_and_bounds_the_output(void **state)
{
	/* 1 MiB written, 10 bytes kept: the helper still runs to its end (no full pipe). */
	char *argv[] = {"sh", "-c", "echo e >&2; head -c 1048576 /dev/zero; exit 0", NULL};
	struct spawn_capture cap;
	assert_int_equal(spawn_capture("/bin/sh", argv, SPAWN_STDERR_TO_OUT, 10, 0, &cap), 0);
	assert_int_equal(cap.status, 0);
	assert_int_equal(cap.out_len, 10);
	assert_true(cap.out_truncated);
	assert_memory_equal(cap.out, "e\n", 2);
	assert_string_equal(cap.err, "");
	spawn_capture_free(&cap);
}

static void reports_signals_and_missing_programs(void **state)
{
	char *argv[] = {"sh", "-c", "kill -9 $$", NULL};
	struct spawn_capture cap;
	assert_int_equal(spawn_capture("/bin/sh", argv, 0, 16, 16, &cap), 0);
	assert_int_equal(cap.status, 128 + 9);
	assert_string_equal(cap.out, "");
	spawn_capture_free(&cap);
	char *none[] = {"no-such-program-here", NULL};
	errno = 0;
	assert_int_equal(
	    spawn_capture("no-such-program-here", none, SPAWN_SEARCH_PATH, 16, 16, &cap), -1);
	assert_int_equal(errno, ENOENT);
	assert_null(cap.out);
}

static void feeds_stdin_sets_the_environment_and_times_out(void **state)
{
	char *argv[] = {"sh", "-c", "cat; echo \"[$ONLY_ME] ${HOME:-unset}\"", NULL};
	char *env[] = {"ONLY_ME=yes", NULL};
	/* More than a pipe holds: the input never blocks the caller. */
	static char big[200000];
	memset(big, 'a', sizeof(big));
	struct spawn_opts o = {.envp = env, .input = big, .input_len = sizeof(big)};
	struct spawn_capture cap;
	assert_int_equal(spawn_capture_opts("/bin/sh", argv, 0, 1 << 20, 16, &o, &cap), 0);
	assert_int_equal(cap.status, 0);
	assert_int_equal(cap.out_len, sizeof(big) + strlen("[yes] unset\n"));
	assert_string_equal(cap.out + sizeof(big), "[yes] unset\n");
	spawn_capture_free(&cap);
	char *slow[] = {"sleep", "10", NULL};
	struct spawn_opts t = {.timeout_ms = 200};
	assert_int_equal(spawn_capture_opts("sleep", slow, SPAWN_SEARCH_PATH, 16, 16, &t, &cap), 0);
	assert_true(cap.timed_out);
	assert_int_equal(cap.status, 128 + 9);
	spawn_capture_free(&cap);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(captures_stdout_and_stderr_apart),
	    cmocka_unit_test(merges_stderr_and_bounds_the_output),
	    cmocka_unit_test(reports_signals_and_missing_programs),
	    cmocka_unit_test(feeds_stdin_sets_the_environment_and_times_out),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
