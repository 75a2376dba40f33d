#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "engine/signals.h"

static void test_numbers(void **state)
{
	char max[16];

	assert_int_equal(signal_parse("9"), SIGKILL);
	assert_int_equal(signal_parse("1"), 1);
	assert_int_equal(signal_parse("15"), SIGTERM);
	assert_int_equal(signal_parse("37"), 37);
	assert_int_equal(signal_parse("09"), 9);
	snprintf(max, sizeof(max), "%d", SIGRTMAX);
	assert_int_equal(signal_parse(max), SIGRTMAX);
}

static void test_names(void **state)
{
	assert_int_equal(signal_parse("KILL"), SIGKILL);
	assert_int_equal(signal_parse("SIGKILL"), SIGKILL);
	assert_int_equal(signal_parse("kill"), SIGKILL);
	assert_int_equal(signal_parse("sigkill"), SIGKILL);
	assert_int_equal(signal_parse("SigTerm"), SIGTERM);
	assert_int_equal(signal_parse("HUP"), SIGHUP);
	assert_int_equal(signal_parse("USR1"), SIGUSR1);
	assert_int_equal(signal_parse("SIGUSR2"), SIGUSR2);
	assert_int_equal(signal_parse("WINCH"), SIGWINCH);
	assert_int_equal(signal_parse("STOP"), SIGSTOP);
	assert_int_equal(signal_parse("CHLD"), SIGCHLD);
}

static void test_aliases(void **state)
{
	assert_int_equal(signal_parse("IOT"), SIGABRT);
	assert_int_equal(signal_parse("CLD"), SIGCHLD);
	assert_int_equal(signal_parse("POLL"), SIGIO);
}

static void test_realtime(void **state)
{
	char top[32];

	assert_int_equal(signal_parse("SIGRTMIN"), SIGRTMIN);
	assert_int_equal(signal_parse("RTMIN"), SIGRTMIN);
	assert_int_equal(signal_parse("SIGRTMIN+3"), SIGRTMIN + 3);
	assert_int_equal(signal_parse("RTMIN+3"), SIGRTMIN + 3);
	assert_int_equal(signal_parse("rtmin+0"), SIGRTMIN);
	assert_int_equal(signal_parse("RTMAX"), SIGRTMAX);
	assert_int_equal(signal_parse("RTMAX-1"), SIGRTMAX - 1);
	assert_int_equal(signal_parse("SIGRTMAX-1"), SIGRTMAX - 1);
	assert_int_equal(signal_parse("RTMIN+3"), signal_parse("37"));
	snprintf(top, sizeof(top), "RTMIN+%d", SIGRTMAX - SIGRTMIN);
	assert_int_equal(signal_parse(top), SIGRTMAX);
	snprintf(top, sizeof(top), "RTMAX-%d", SIGRTMAX - SIGRTMIN);
	assert_int_equal(signal_parse(top), SIGRTMIN);
}

static void test_rejects(void **state)
{
	static const char *const bad[] = {
	    "",
	    "0",
	    "-9",
	    "+9",
	    " 9",
	    "9 ",
	    "9x",
	    "0x9",
	    "65",
	    "100",
	    "99999999999999999999",
	    "SIG",
	    "SIGSIGKILL",
	    "KIL",
	    "KILLX",
	    " KILL",
	    "KILL ",
	    "SIG KILL",
	    "RTMIN-1",
	    "RTMAX+1",
	    "RTMIN+",
	    "RTMAX-",
	    "RTMIN+x",
	    "RTMIN+ 1",
	    "RTMIN++1",
	    "RTMIN+31",
	    "RTMAX-31",
	    "RTMIN3",
	    "RTMID",
	    "UNUSED",
	    "SIGRT",
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (signal_parse(bad[i]) != -1)
			fail_msg("signal_parse(\"%s\") = %d, want -1", bad[i],
			         signal_parse(bad[i]));
	}
	assert_int_equal(signal_parse(NULL), -1);
}

static void assert_name(int sig, const char *want)
{
	char buf[32];
	const char *got = signal_name(sig, buf, sizeof(buf));

	assert_non_null(got);
	assert_ptr_equal(got, buf);
	assert_string_equal(got, want);
}

static void test_signal_name(void **state)
{
	assert_name(SIGKILL, "SIGKILL");
	assert_name(SIGHUP, "SIGHUP");
	assert_name(SIGABRT, "SIGABRT"); /* not its alias IOT */
	assert_name(SIGCHLD, "SIGCHLD");
	assert_name(SIGIO, "SIGIO");
	assert_name(SIGRTMIN, "SIGRTMIN");
	assert_name(SIGRTMIN + 3, "SIGRTMIN+3");
	assert_name(SIGRTMAX, "SIGRTMAX");
	assert_name(SIGRTMAX - 1, "SIGRTMAX-1");
	if (SIGRTMIN == 34 && SIGRTMAX == 64) { /* glibc on Linux: same split as `kill -l` */
		assert_name(49, "SIGRTMIN+15");
		assert_name(50, "SIGRTMAX-14");
		assert_name(32, "32");
		assert_name(33, "33");
	}
}

static void test_signal_name_rejects(void **state)
{
	char buf[32];
	char tiny[4];

	assert_null(signal_name(0, buf, sizeof(buf)));
	assert_null(signal_name(-1, buf, sizeof(buf)));
	assert_null(signal_name(SIGRTMAX + 1, buf, sizeof(buf)));
	assert_null(signal_name(SIGKILL, NULL, 10));
	assert_null(signal_name(SIGKILL, buf, 0));
	assert_null(signal_name(SIGKILL, tiny, sizeof(tiny))); /* "SIGKILL" does not fit */
	assert_null(signal_name(SIGRTMIN + 3, tiny, sizeof(tiny)));
}

static void test_every_name_parses_back(void **state)
{
	int sig;

	for (sig = 1; sig <= SIGRTMAX; sig++) {
		char buf[32];
		const char *name = signal_name(sig, buf, sizeof(buf));

		assert_non_null(name);
		if (signal_parse(name) != sig)
			fail_msg("signal_parse(\"%s\") = %d, want %d", name, signal_parse(name),
			         sig);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_numbers),
	    cmocka_unit_test(test_names),
	    cmocka_unit_test(test_aliases),
	    cmocka_unit_test(test_realtime),
	    cmocka_unit_test(test_rejects),
	    cmocka_unit_test(test_signal_name),
	    cmocka_unit_test(test_signal_name_rejects),
	    cmocka_unit_test(test_every_name_parses_back),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
