#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/cli_args.h"

enum {
	OPT_DETACH,
	OPT_TTY,
	OPT_INTERACTIVE,
	OPT_USER,
	OPT_ENV,
	OPT_NAME,
	OPT_RM,
	OPT_VOLUME,
	NOPTS,
};

static const struct cli_option run_opts[] = {
    [OPT_DETACH] = {"detach", 'd', CLI_BOOL, NULL, "Run container in background"},
    [OPT_TTY] = {"tty", 't', CLI_BOOL, NULL, "Allocate a pseudo-TTY"},
    [OPT_INTERACTIVE] = {"interactive", 'i', CLI_BOOL, NULL, "Keep STDIN open"},
    [OPT_USER] = {"user", 'u', CLI_STRING, "USER", "Username or UID"},
    [OPT_ENV] = {"env", 'e', CLI_LIST, "NAME=VALUE", "Set environment variables"},
    [OPT_NAME] = {"name", 0, CLI_STRING, "NAME", "Assign a name to the container"},
    [OPT_RM] = {"rm", 0, CLI_BOOL, NULL, "Remove the container when it exits"},
    [OPT_VOLUME] = {NULL, 'v', CLI_LIST, NULL, "Bind mount a volume"},
};

#define ARGC(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* Parses or fails the test, showing the parser's message. */
static struct cli_values *parse_ok(int argc, char **argv, bool stop)
{
	char err[128] = "";
	struct cli_values *v = cli_parse(run_opts, NOPTS, argc, argv, stop, err, sizeof(err));

	if (v == NULL)
		fail_msg("cli_parse failed: %s", err);
	return v;
}

static void assert_parse_error(int argc, char **argv, bool stop, const char *want)
{
	char err[128] = "";
	struct cli_values *v = cli_parse(run_opts, NOPTS, argc, argv, stop, err, sizeof(err));

	if (v != NULL) {
		cli_values_free(v);
		fail_msg("cli_parse accepted input that should fail with: %s", want);
	}
	assert_string_equal(err, want);
}

static void assert_positionals(const struct cli_values *v, const char *const *want, size_t n)
{
	size_t i;

	assert_int_equal(cli_npositional(v), n);
	for (i = 0; i < n; i++)
		assert_string_equal(cli_positional(v, i), want[i]);
}

/* The iSulad guide's example: all of these mean "detach, user root". */
static void test_short_value_forms_are_equivalent(void **state)
{
	struct {
		int argc;
		char *argv[4];
	} forms[] = {
	    {2, {"-du=root", "img"}},
	    {3, {"-du", "root", "img"}},
	    {3, {"-d", "-u=root", "img"}},
	    {4, {"-d", "-u", "root", "img"}},
	    {2, {"-duroot", "img"}},
	    {3, {"-d", "-uroot", "img"}},
	    {3, {"--detach", "--user=root", "img"}},
	    {4, {"--detach", "--user", "root", "img"}},
	};
	size_t i;

	for (i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		struct cli_values *v = parse_ok(forms[i].argc, forms[i].argv, true);

		assert_true(cli_bool(v, OPT_DETACH));
		assert_string_equal(cli_string(v, OPT_USER), "root");
		assert_int_equal(cli_list_len(v, OPT_USER), 1);
		assert_positionals(v, (const char *const[]){"img"}, 1);
		cli_values_free(v);
	}
}

static void test_long_value_forms(void **state)
{
	char *eq[] = {"--user=root", "--name", "web"};
	char *space[] = {"--user", "root", "--name=web"};
	struct cli_values *v = parse_ok(ARGC(eq), eq, true);

	assert_string_equal(cli_string(v, OPT_USER), "root");
	assert_string_equal(cli_string(v, OPT_NAME), "web");
	assert_int_equal(cli_npositional(v), 0);
	cli_values_free(v);

	v = parse_ok(ARGC(space), space, true);
	assert_string_equal(cli_string(v, OPT_USER), "root");
	assert_string_equal(cli_string(v, OPT_NAME), "web");
	cli_values_free(v);
}

static void test_value_keeps_text_after_first_equals(void **state)
{
	char *argv[] = {"--user=a=b", "-ux=y", "-e", "K=V=W"};
	struct cli_values *v = parse_ok(ARGC(argv), argv, false);

	assert_int_equal(cli_list_len(v, OPT_USER), 2);
	assert_string_equal(cli_list_at(v, OPT_USER, 0), "a=b");
	assert_string_equal(cli_list_at(v, OPT_USER, 1), "x=y");
	assert_string_equal(cli_list_at(v, OPT_ENV, 0), "K=V=W");
	cli_values_free(v);
}

static void test_empty_values(void **state)
{
	char *argv[] = {"--user=", "--name", "", "-e="};
	struct cli_values *v = parse_ok(ARGC(argv), argv, false);

	assert_string_equal(cli_string(v, OPT_USER), "");
	assert_string_equal(cli_string(v, OPT_NAME), "");
	assert_int_equal(cli_list_len(v, OPT_ENV), 1);
	assert_string_equal(cli_list_at(v, OPT_ENV, 0), "");
	cli_values_free(v);
}

/* "only the first space after the flag": the next argument is the value, dash or not. */
static void test_value_may_look_like_a_flag(void **state)
{
	char *argv[] = {"--name", "-x", "-u", "-d", "--user", "--tty"};
	struct cli_values *v = parse_ok(ARGC(argv), argv, false);

	assert_string_equal(cli_string(v, OPT_NAME), "-x");
	assert_string_equal(cli_string(v, OPT_USER), "--tty");
	assert_int_equal(cli_list_len(v, OPT_USER), 2);
	assert_string_equal(cli_list_at(v, OPT_USER, 0), "-d");
	assert_false(cli_is_set(v, OPT_DETACH));
	assert_false(cli_is_set(v, OPT_TTY));
	cli_values_free(v);
}

static void test_bool_long_forms(void **state)
{
	char *plain[] = {"--detach", "--rm=true", "--tty=false"};
	struct cli_values *v = parse_ok(ARGC(plain), plain, false);

	assert_true(cli_is_set(v, OPT_DETACH));
	assert_true(cli_bool(v, OPT_DETACH));
	assert_true(cli_bool(v, OPT_RM));
	assert_true(cli_is_set(v, OPT_TTY));
	assert_false(cli_bool(v, OPT_TTY));
	assert_false(cli_is_set(v, OPT_INTERACTIVE));
	assert_false(cli_bool(v, OPT_INTERACTIVE));
	cli_values_free(v);
}

static void test_bool_does_not_take_next_argument(void **state)
{
	char *argv[] = {"--detach", "false", "-t", "true"};
	struct cli_values *v = parse_ok(ARGC(argv), argv, false);

	assert_true(cli_bool(v, OPT_DETACH));
	assert_true(cli_bool(v, OPT_TTY));
	assert_positionals(v, (const char *const[]){"false", "true"}, 2);
	cli_values_free(v);
}

static void test_bool_last_value_wins(void **state)
{
	char *argv[] = {"-d", "--detach=false", "-t=false", "--tty"};
	struct cli_values *v = parse_ok(ARGC(argv), argv, false);

	assert_false(cli_bool(v, OPT_DETACH));
	assert_true(cli_is_set(v, OPT_DETACH));
	assert_true(cli_bool(v, OPT_TTY));
	cli_values_free(v);
}

static void test_short_bool_group(void **state)
{
	char *argv[] = {"-tid", "img"};
	struct cli_values *v = parse_ok(ARGC(argv), argv, true);

	assert_true(cli_bool(v, OPT_TTY));
	assert_true(cli_bool(v, OPT_INTERACTIVE));
	assert_true(cli_bool(v, OPT_DETACH));
	assert_false(cli_is_set(v, OPT_RM));
	assert_positionals(v, (const char *const[]){"img"}, 1);
	cli_values_free(v);
}

static void test_short_bool_with_equals_ends_group(void **state)
{
	char *argv[] = {"-td=false"};
	struct cli_values *v = parse_ok(ARGC(argv), argv, false);

	assert_true(cli_bool(v, OPT_TTY));
	assert_true(cli_is_set(v, OPT_DETACH));
	assert_false(cli_bool(v, OPT_DETACH));
	cli_values_free(v);
}

static void test_list_accumulates(void **state)
{
	char *argv[] = {"-e",    "A=1",     "--env", "B=2",  "--env=C=3",
	                "-eD=4", "-te=E=5", "-v",    "/a:/b"};
	struct cli_values *v = parse_ok(ARGC(argv), argv, false);
	static const char *const want[] = {"A=1", "B=2", "C=3", "D=4", "E=5"};
	size_t i;

	assert_int_equal(cli_list_len(v, OPT_ENV), 5);
	for (i = 0; i < 5; i++)
		assert_string_equal(cli_list_at(v, OPT_ENV, i), want[i]);
	assert_null(cli_list_at(v, OPT_ENV, 5));
	assert_string_equal(cli_string(v, OPT_ENV), "E=5");
	assert_true(cli_bool(v, OPT_TTY));
	assert_string_equal(cli_list_at(v, OPT_VOLUME, 0), "/a:/b");
	cli_values_free(v);
}

static void test_string_last_value_wins(void **state)
{
	char *argv[] = {"--user", "a", "-u", "b"};
	struct cli_values *v = parse_ok(ARGC(argv), argv, false);

	assert_string_equal(cli_string(v, OPT_USER), "b");
	assert_int_equal(cli_list_len(v, OPT_USER), 2);
	cli_values_free(v);
}

/* run/create/exec: the container command keeps its flags, even "--". */
static void test_stop_at_positional(void **state)
{
	char *argv[] = {"-d", "img", "-t", "sh", "-c", "echo hi", "--", "--user", "x"};
	struct cli_values *v = parse_ok(ARGC(argv), argv, true);
	static const char *const want[] = {"img", "-t", "sh", "-c", "echo hi", "--", "--user", "x"};

	assert_true(cli_bool(v, OPT_DETACH));
	assert_false(cli_is_set(v, OPT_TTY));
	assert_false(cli_is_set(v, OPT_USER));
	assert_positionals(v, want, 8);
	cli_values_free(v);
}

static void test_mixed_flags_and_positionals(void **state)
{
	char *argv[] = {"a", "-d", "b", "--user", "root", "c", "-t"};
	struct cli_values *v = parse_ok(ARGC(argv), argv, false);

	assert_true(cli_bool(v, OPT_DETACH));
	assert_true(cli_bool(v, OPT_TTY));
	assert_string_equal(cli_string(v, OPT_USER), "root");
	assert_positionals(v, (const char *const[]){"a", "b", "c"}, 3);
	cli_values_free(v);
}

static void test_double_dash_ends_flags(void **state)
{
	char *mixed[] = {"a", "-d", "--", "-t", "--", "b"};
	char *stop[] = {"-d", "--", "-t", "img"};
	struct cli_values *v = parse_ok(ARGC(mixed), mixed, false);

	assert_true(cli_bool(v, OPT_DETACH));
	assert_false(cli_is_set(v, OPT_TTY));
	assert_positionals(v, (const char *const[]){"a", "-t", "--", "b"}, 4);
	cli_values_free(v);

	v = parse_ok(ARGC(stop), stop, true);
	assert_false(cli_is_set(v, OPT_TTY));
	assert_positionals(v, (const char *const[]){"-t", "img"}, 2);
	cli_values_free(v);
}

static void test_lone_dash_is_positional(void **state)
{
	char *mixed[] = {"-", "-d"};
	char *stop[] = {"-", "-d"};
	struct cli_values *v = parse_ok(ARGC(mixed), mixed, false);

	assert_true(cli_bool(v, OPT_DETACH));
	assert_positionals(v, (const char *const[]){"-"}, 1);
	cli_values_free(v);

	v = parse_ok(ARGC(stop), stop, true);
	assert_false(cli_is_set(v, OPT_DETACH));
	assert_positionals(v, (const char *const[]){"-", "-d"}, 2);
	cli_values_free(v);
}

static void test_no_arguments(void **state)
{
	struct cli_values *v = parse_ok(0, NULL, true);
	size_t i;

	assert_int_equal(cli_npositional(v), 0);
	for (i = 0; i < NOPTS; i++) {
		assert_false(cli_is_set(v, i));
		assert_null(cli_string(v, i));
		assert_int_equal(cli_list_len(v, i), 0);
	}
	cli_values_free(v);
}

static void test_values_are_copies(void **state)
{
	char user[] = "--user=root";
	char pos[] = "img";
	char *argv[] = {user, pos};
	struct cli_values *v = parse_ok(ARGC(argv), argv, true);

	memset(user, 'x', strlen(user));
	memset(pos, 'y', strlen(pos));
	assert_string_equal(cli_string(v, OPT_USER), "root");
	assert_string_equal(cli_positional(v, 0), "img");
	cli_values_free(v);
}

static void test_getters_out_of_range(void **state)
{
	char *argv[] = {"-d", "img"};
	struct cli_values *v = parse_ok(ARGC(argv), argv, false);

	assert_false(cli_is_set(v, NOPTS));
	assert_false(cli_bool(v, NOPTS));
	assert_null(cli_string(v, NOPTS));
	assert_int_equal(cli_list_len(v, NOPTS), 0);
	assert_null(cli_list_at(v, NOPTS, 0));
	assert_null(cli_positional(v, 1));
	assert_false(cli_is_set(NULL, 0));
	assert_false(cli_bool(NULL, 0));
	assert_null(cli_string(NULL, 0));
	assert_int_equal(cli_list_len(NULL, 0), 0);
	assert_null(cli_list_at(NULL, 0, 0));
	assert_int_equal(cli_npositional(NULL), 0);
	assert_null(cli_positional(NULL, 0));
	cli_values_free(v);
	cli_values_free(NULL);
}

static void test_unknown_flags(void **state)
{
	char *long_flag[] = {"--foo"};
	char *long_eq[] = {"--foo=bar"};
	char *prefix[] = {"--det"};
	char *caps[] = {"--Detach"};
	char *short_flag[] = {"-x"};
	char *in_group[] = {"-dx"};
	char *after_pos[] = {"img", "--bogus"};
	char *dash_in_group[] = {"-d-t"};

	assert_parse_error(1, long_flag, false, "unknown flag: --foo");
	assert_parse_error(1, long_eq, false, "unknown flag: --foo");
	assert_parse_error(1, prefix, false, "unknown flag: --det");
	assert_parse_error(1, caps, false, "unknown flag: --Detach");
	assert_parse_error(1, short_flag, false, "unknown shorthand flag: 'x' in -x");
	assert_parse_error(1, in_group, false, "unknown shorthand flag: 'x' in -dx");
	assert_parse_error(2, after_pos, false, "unknown flag: --bogus");
	assert_parse_error(1, dash_in_group, false, "unknown shorthand flag: '-' in -d-t");
}

static void test_missing_values(void **state)
{
	char *short_last[] = {"-u"};
	char *group_last[] = {"-du"};
	char *long_last[] = {"img", "--user"};
	char *list_last[] = {"-e", "A=1", "--env"};

	assert_parse_error(1, short_last, false, "flag needs an argument: -u");
	assert_parse_error(1, group_last, false, "flag needs an argument: -u");
	assert_parse_error(2, long_last, false, "flag needs an argument: --user");
	assert_parse_error(3, list_last, false, "flag needs an argument: --env");
}

static void test_bad_bool_values(void **state)
{
	char *yes[] = {"--detach=yes"};
	char *empty[] = {"--detach="};
	char *one[] = {"--rm=1"};
	char *upper[] = {"--detach=TRUE"};
	char *short_bad[] = {"-d=maybe"};
	char *group_bad[] = {"-td=no"};

	assert_parse_error(1, yes, false,
	                   "invalid value \"yes\" for flag --detach: expected true or false");
	assert_parse_error(1, empty, false,
	                   "invalid value \"\" for flag --detach: expected true or false");
	assert_parse_error(1, one, false,
	                   "invalid value \"1\" for flag --rm: expected true or false");
	assert_parse_error(1, upper, false,
	                   "invalid value \"TRUE\" for flag --detach: expected true or false");
	assert_parse_error(1, short_bad, false,
	                   "invalid value \"maybe\" for flag -d: expected true or false");
	assert_parse_error(1, group_bad, false,
	                   "invalid value \"no\" for flag -d: expected true or false");
}

static void test_bad_syntax(void **state)
{
	char *triple[] = {"---foo"};
	char *eq_only[] = {"--=x"};

	assert_parse_error(1, triple, false, "bad flag syntax: ---foo");
	assert_parse_error(1, eq_only, false, "bad flag syntax: --=x");
}

static void test_error_buffer_handling(void **state)
{
	char *argv[] = {"--foo"};
	char small[8];

	assert_null(cli_parse(run_opts, NOPTS, 1, argv, false, NULL, 0));
	assert_null(cli_parse(run_opts, NOPTS, 1, argv, false, small, sizeof(small)));
	assert_string_equal(small, "unknown");
}

static void test_empty_table(void **state)
{
	char *pos[] = {"a", "b"};
	char *flag[] = {"-d"};
	char err[64];
	struct cli_values *v = cli_parse(NULL, 0, 2, pos, false, err, sizeof(err));

	assert_non_null(v);
	assert_int_equal(cli_npositional(v), 2);
	assert_false(cli_is_set(v, 0));
	cli_values_free(v);
	assert_null(cli_parse(NULL, 0, 1, flag, false, err, sizeof(err)));
	assert_string_equal(err, "unknown shorthand flag: 'd' in -d");
}

/* Captures cli_print_help output in a malloc'd string. */
static char *help_text(const char *usage, const struct cli_option *opts, size_t n)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	cli_print_help(f, usage, opts, n);
	fclose(f);
	return buf;
}

static void test_help(void **state)
{
	char *text = help_text("isula run [OPTIONS] IMAGE [COMMAND] [ARG...]", run_opts, NOPTS);

	assert_string_equal(text, "Usage:  isula run [OPTIONS] IMAGE [COMMAND] [ARG...]\n"
	                          "\n"
	                          "Options:\n"
	                          "  -d, --detach           Run container in background\n"
	                          "  -t, --tty              Allocate a pseudo-TTY\n"
	                          "  -i, --interactive      Keep STDIN open\n"
	                          "  -u, --user USER        Username or UID\n"
	                          "  -e, --env NAME=VALUE   Set environment variables\n"
	                          "      --name NAME        Assign a name to the container\n"
	                          "      --rm               Remove the container when it exits\n"
	                          "  -v list                Bind mount a volume\n");
	free(text);
}

static void test_help_edge_cases(void **state)
{
	static const struct cli_option odd[] = {
	    {"quiet", 'q', CLI_BOOL, NULL, NULL},
	    {NULL, 0, CLI_BOOL, NULL, "nameless: not shown"},
	    {"format", 0, CLI_STRING, NULL, ""},
	};
	char *text = help_text(NULL, odd, 3);

	assert_string_equal(text, "Options:\n"
	                          "  -q, --quiet\n"
	                          "      --format string\n");
	free(text);
	text = help_text("isula version", NULL, 0);
	assert_string_equal(text, "Usage:  isula version\n");
	free(text);
	cli_print_help(NULL, "x", odd, 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_short_value_forms_are_equivalent),
	    cmocka_unit_test(test_long_value_forms),
	    cmocka_unit_test(test_value_keeps_text_after_first_equals),
	    cmocka_unit_test(test_empty_values),
	    cmocka_unit_test(test_value_may_look_like_a_flag),
	    cmocka_unit_test(test_bool_long_forms),
	    cmocka_unit_test(test_bool_does_not_take_next_argument),
	    cmocka_unit_test(test_bool_last_value_wins),
	    cmocka_unit_test(test_short_bool_group),
	    cmocka_unit_test(test_short_bool_with_equals_ends_group),
	    cmocka_unit_test(test_list_accumulates),
	    cmocka_unit_test(test_string_last_value_wins),
	    cmocka_unit_test(test_stop_at_positional),
	    cmocka_unit_test(test_mixed_flags_and_positionals),
	    cmocka_unit_test(test_double_dash_ends_flags),
	    cmocka_unit_test(test_lone_dash_is_positional),
	    cmocka_unit_test(test_no_arguments),
	    cmocka_unit_test(test_values_are_copies),
	    cmocka_unit_test(test_getters_out_of_range),
	    cmocka_unit_test(test_unknown_flags),
	    cmocka_unit_test(test_missing_values),
	    cmocka_unit_test(test_bad_bool_values),
	    cmocka_unit_test(test_bad_syntax),
	    cmocka_unit_test(test_error_buffer_handling),
	    cmocka_unit_test(test_empty_table),
	    cmocka_unit_test(test_help),
	    cmocka_unit_test(test_help_edge_cases),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
