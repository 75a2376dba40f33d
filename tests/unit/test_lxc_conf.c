/* The lxc config line checker (lib/engine/lxc_conf.c): what a generated line may carry. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "engine/lxc_conf.h"

static void plain_values_pass(void **state)
{
	assert_null(lxc_conf_value_problem("lxc.uts.name", "web-1"));
	assert_null(lxc_conf_value_problem("lxc.init.cwd", "/srv/my app"));
	assert_null(lxc_conf_value_problem("lxc.environment", "GREETING=hello world"));
	assert_null(lxc_conf_value_problem("lxc.environment", "EMPTY="));
	assert_null(lxc_conf_value_problem(NULL, "caf\xc3\xa9"));
	assert_null(lxc_conf_value_problem("lxc.mount.entry", "/src dst none rbind,ro 0 0"));
	assert_null(lxc_conf_value_problem("lxc.hook.post-stop",
	                                   "/usr/bin/isulad-monitor post-stop-hook /run/x/1"));
}

static void control_characters_are_refused(void **state)
{
	assert_string_equal(lxc_conf_value_problem("lxc.uts.name", "h\nlxc.hook.pre-start = x"),
	                    "contains a newline");
	assert_string_equal(lxc_conf_value_problem(NULL, "a\rb"), "contains a carriage return");
	for (int c = 1; c < 0x20; c++) {
		char v[4] = {'a', (char)c, 'b', 0};
		assert_non_null(lxc_conf_value_problem("lxc.init.cwd", v));
	}
	assert_non_null(lxc_conf_value_problem(NULL, "a\x7f"));
	assert_non_null(lxc_conf_value_problem(NULL, NULL));
}

static void what_liblxc_would_change_is_refused(void **state)
{
	assert_string_equal(lxc_conf_value_problem("lxc.uts.name", " h"),
	                    "starts or ends with a space");
	assert_string_equal(lxc_conf_value_problem("lxc.init.cwd", "/tmp "),
	                    "starts or ends with a space");
	assert_string_equal(lxc_conf_value_problem("lxc.init.cwd", "\"/tmp\""),
	                    "is enclosed in quotes");
	assert_string_equal(lxc_conf_value_problem(NULL, "'x'"), "is enclosed in quotes");
	assert_null(lxc_conf_value_problem(NULL, "\"x"));
}

static void mount_entries_and_hooks(void **state)
{
	/* A path with a space shifts the fields. */
	assert_non_null(lxc_conf_value_problem("lxc.mount.entry", "/a b dst none bind 0 0"));
	assert_non_null(lxc_conf_value_problem("lxc.mount.entry", "/a  dst none bind 0 0"));
	assert_string_equal(lxc_conf_value_problem("lxc.mount.entry", "/a\\040b d none bind 0 0"),
	                    "contains a backslash");
	assert_non_null(lxc_conf_value_problem("lxc.hook.start-host", "/bin/x; reboot"));
	assert_non_null(lxc_conf_value_problem("lxc.hook.mount", "/bin/x $(id)"));
	assert_non_null(lxc_conf_value_problem("lxc.hook.mount", "/bin/x  y"));
	/* The engine's own shell snippet passes, exactly as it is and nothing near it. */
	assert_null(lxc_conf_value_problem("lxc.hook.post-stop", LXC_HOOK_REFUSE_REBOOT));
	assert_non_null(lxc_conf_value_problem("lxc.hook.post-stop", LXC_HOOK_REFUSE_REBOOT " x"));
	assert_non_null(lxc_conf_value_problem("lxc.hook.post-stop", "x; " LXC_HOOK_REFUSE_REBOOT));
	assert_null(lxc_conf_field_problem("/dev/null"));
	assert_string_equal(lxc_conf_field_problem("/a b"), "contains a space");
	assert_string_equal(lxc_conf_field_problem("/a\\b"), "contains a backslash");
	assert_non_null(lxc_conf_field_problem("/a\tb"));
	assert_non_null(lxc_conf_field_problem(""));
}

static void quote_escapes(void **state)
{
	char buf[64];
	assert_string_equal(lxc_conf_quote("a\nb\x01\\", buf, sizeof(buf)), "a\\nb\\x01\\\\");
	char small[12];
	lxc_conf_quote("0123456789abcdef", small, sizeof(small));
	assert_true(strlen(small) < sizeof(small));
	assert_non_null(strstr(small, "..."));
}

static char *render(void (*lines)(struct strbuf *), int *ret, char *err, size_t errlen)
{
	struct strbuf b = {0};
	lxc_conf_begin();
	lines(&b);
	*ret = lxc_conf_end(err, errlen);
	return strbuf_take(&b);
}

static void good_lines(struct strbuf *f)
{
	lxc_conf_line(f, "lxc.uts.name", "%s", "web");
	lxc_conf_line(f, "lxc.prlimit.nofile", "%d:%d", 10, 20);
}

static void one_bad_line(struct strbuf *f)
{
	lxc_conf_line(f, "lxc.uts.name", "%s", "web");
	lxc_conf_line(f, "lxc.init.cwd", "%s", "/\nlxc.hook.pre-start = /bin/sh");
	lxc_conf_line(f, "lxc.uts.name", "%s", "later\nline");
}

static void emitter_writes_or_fails_the_render(void **state)
{
	char err[512] = "";
	int ret;
	char *text = render(good_lines, &ret, err, sizeof(err));
	assert_int_equal(ret, 0);
	assert_string_equal(text, "lxc.uts.name = web\nlxc.prlimit.nofile = 10:20\n");
	free(text);
	text = render(one_bad_line, &ret, err, sizeof(err));
	assert_int_equal(ret, -1);
	/* Nothing of the refused values was written; the first refusal is reported. */
	assert_string_equal(text, "lxc.uts.name = web\n");
	assert_non_null(strstr(err, "lxc.init.cwd"));
	assert_non_null(strstr(err, "'/\\nlxc.hook.pre-start = /bin/sh'"));
	assert_non_null(strstr(err, "contains a newline"));
	free(text);
	/* The next render starts clean. */
	text = render(good_lines, &ret, err, sizeof(err));
	assert_int_equal(ret, 0);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(plain_values_pass),
	    cmocka_unit_test(control_characters_are_refused),
	    cmocka_unit_test(what_liblxc_would_change_is_refused),
	    cmocka_unit_test(mount_entries_and_hooks),
	    cmocka_unit_test(quote_escapes),
	    cmocka_unit_test(emitter_writes_or_fails_the_render),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
