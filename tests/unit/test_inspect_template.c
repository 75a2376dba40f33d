#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/client/inspect_template.h"
#include "core/json.h"

/* Trimmed `isula inspect` output; "Labels" is deliberately out of key order. */
static const char container_json[] =
    "{"
    "\"Id\": \"abc123\","
    "\"Name\": \"/web\","
    "\"State\": {\"Status\": \"running\", \"Running\": true, \"Paused\": false, \"Pid\": 4242,"
    "          \"ExitCode\": 0, \"Error\": \"\", \"Health\": null},"
    "\"Config\": {\"Env\": [\"PATH=/usr/bin\", \"A=1\"],"
    "           \"Cmd\": [\"sh\", \"-c\", \"echo \\\"hi\\\"\\n\"],"
    "           \"Labels\": {\"com.example.b\": \"2\", \"com.example.a\": \"1\"},"
    "           \"StopTimeout\": 10.5, \"Empty\": {}, \"None\": []},"
    "\"Mounts\": [{\"Source\": \"/src\", \"Destination\": \"/dst\"}],"
    "\"Ratio\": 0.1, \"Float\": 3.0, \"Big\": 1e21, \"Neg\": -12,"
    "\"Html\": \"<a&b>\","
    "\"Ctl\": \"tab\\there\\u0001\\u2028\\u001f\\b\\f\\r\","
    "\"Key\": \"com.example.a\", \"Nested\": {\"x\": null, \"y\": [1, \"two\", false]}"
    "}";

static yajl_val parse_json(const char *json)
{
	char err[256];
	yajl_val root = json_parse(json, err, sizeof(err));

	if (root == NULL)
		fail_msg("test JSON does not parse: %s", err);
	return root;
}

static void assert_render_json(const char *json, const char *tmpl, const char *want)
{
	char err[256] = "";
	yajl_val root = json != NULL ? parse_json(json) : NULL;
	char *out = inspect_template_render(tmpl, root, err, sizeof(err));

	yajl_tree_free(root);
	if (out == NULL)
		fail_msg("render of '%s' failed: %s", tmpl, err);
	if (strcmp(out, want) != 0) {
		char shown[512];

		snprintf(shown, sizeof(shown), "%s", out);
		free(out);
		fail_msg("render of '%s' gave '%s', want '%s'", tmpl, shown, want);
	}
	free(out);
}

static void assert_render(const char *tmpl, const char *want)
{
	assert_render_json(container_json, tmpl, want);
}

static void assert_render_error(const char *tmpl, const char *want_err)
{
	char err[256] = "";
	yajl_val root = parse_json(container_json);
	char *out = inspect_template_render(tmpl, root, err, sizeof(err));

	yajl_tree_free(root);
	if (out != NULL) {
		free(out);
		fail_msg("render of '%s' succeeded, want error: %s", tmpl, want_err);
	}
	assert_string_equal(err, want_err);
}

static void test_literal_text(void **state)
{
	assert_render("", "");
	assert_render("plain text", "plain text");
	assert_render("braces { } }} {x}", "braces { } }} {x}");
	/* Escapes are the shell's job, not the template's. */
	assert_render("{{.Id}}\\n\\t", "abc123\\n\\t");
	assert_render("a\nb", "a\nb");
}

static void test_fields(void **state)
{
	assert_render("{{.Id}}", "abc123");
	assert_render("name={{.Name}} id={{.Id}}!", "name=/web id=abc123!");
	assert_render("{{.State.Status}}", "running");
	assert_render("{{.State.Pid}}", "4242");
	assert_render("{{.State.ExitCode}}", "0");
	assert_render("{{.Neg}}", "-12");
	assert_render("{{.State.Running}} {{.State.Paused}}", "true false");
	assert_render("[{{.State.Error}}]", "[]");
	assert_render("{{.Html}}", "<a&b>");
}

static void test_whitespace_in_actions(void **state)
{
	assert_render("{{ .State.Pid }}", "4242");
	assert_render("{{\t.State.Pid\n}}", "4242");
	assert_render("{{   json   .Config.Env   }}", "[\"PATH=/usr/bin\",\"A=1\"]");
}

static void test_missing_and_null(void **state)
{
	assert_render("{{.Missing}}", "<no value>");
	assert_render("{{.Missing.Deeper.Still}}", "<no value>");
	assert_render("{{.State.Nope}}", "<no value>");
	assert_render("{{.state.pid}}", "4242"); /* no exact key: matched without case */
	assert_render("{{.State.Health}}", "<no value>");
	assert_render("{{json .Missing}}", "null");
	assert_render("{{json .State.Health}}", "null");
}

static void test_numbers(void **state)
{
	assert_render("{{.Ratio}}", "0.1");
	assert_render("{{.Config.StopTimeout}}", "10.5");
	assert_render("{{.Float}}", "3");
	assert_render("{{.Big}}", "1e+21");
	assert_render("{{json .Ratio}} {{json .Float}}", "0.1 3");
}

static void test_plain_containers(void **state)
{
	assert_render("{{.Config.Env}}", "[PATH=/usr/bin A=1]");
	assert_render("{{.Config.None}}", "[]");
	assert_render("{{.Config.Empty}}", "map[]");
	assert_render("{{.Config.Labels}}", "map[com.example.a:1 com.example.b:2]");
	assert_render("{{.Mounts}}", "[map[Destination:/dst Source:/src]]");
	assert_render("{{.Nested}}", "map[x:<nil> y:[1 two false]]");
}

static void test_dot(void **state)
{
	assert_render_json("{\"b\": [true, null], \"a\": 1}", "{{.}}", "map[a:1 b:[true <nil>]]");
	assert_render_json("\"just a string\"", "{{.}}", "just a string");
	assert_render_json("[1, 2]", "{{.}}", "[1 2]");
	assert_render_json("null", "{{.}}", "<no value>");
	assert_render_json(NULL, "{{.}} {{.A.B}} {{json .}}", "<no value> <no value> null");
}

static void test_json(void **state)
{
	assert_render("{{json .Config.Env}}", "[\"PATH=/usr/bin\",\"A=1\"]");
	assert_render("{{json .State}}",
	              "{\"Status\":\"running\",\"Running\":true,\"Paused\":false,\"Pid\":4242,"
	              "\"ExitCode\":0,\"Error\":\"\",\"Health\":null}");
	/* Keys stay in document order, as Docker prints its structs. */
	assert_render("{{json .Config.Labels}}",
	              "{\"com.example.b\":\"2\",\"com.example.a\":\"1\"}");
	assert_render("{{json .Config.Empty}}{{json .Config.None}}", "{}[]");
	assert_render("{{json .Id}}", "\"abc123\"");
	assert_render("{{json .Html}}", "\"<a&b>\""); /* no HTML escaping, as Docker */
	assert_render("{{json .Config.Cmd}}", "[\"sh\",\"-c\",\"echo \\\"hi\\\"\\n\"]");
	assert_render("{{json .Ctl}}", "\"tab\\there\\u0001\\u2028\\u001f\\b\\f\\r\"");
	assert_render("{{json .Nested}}", "{\"x\":null,\"y\":[1,\"two\",false]}");
	assert_render("{{json \"a\\\\b\"}} {{json 7}}", "\"a\\\\b\" 7");
}

static void test_index(void **state)
{
	assert_render("{{index .Config.Labels \"com.example.a\"}}", "1");
	assert_render("{{index .Config.Labels `com.example.b`}}", "2");
	assert_render("{{index .Config.Labels \"nope\"}}", "<no value>");
	assert_render("{{index .Config.Labels \"}}\"}}", "<no value>");
	assert_render("{{index .Config.Env 0}}|{{index .Config.Env 1}}", "PATH=/usr/bin|A=1");
	assert_render("{{index .Mounts 0 \"Source\"}}", "/src");
	assert_render("{{index .Nested \"y\" 1}}", "two");
	assert_render("{{index .Config.Labels .Key}}", "1");
	assert_render("{{index .Config.Env .State.ExitCode}}", "PATH=/usr/bin");
	assert_render("{{index .Config.None}}", "[]"); /* no keys: the item itself */
}

static void test_pipes(void **state)
{
	assert_render("{{.Config.Env | json}}", "[\"PATH=/usr/bin\",\"A=1\"]");
	assert_render("{{index .Mounts 0 | json}}",
	              "{\"Source\":\"/src\",\"Destination\":\"/dst\"}");
	assert_render("{{\"x\" | json}}", "\"x\"");
	assert_render("{{.Id|json}}", "\"abc123\"");
	assert_render("{{.Config.Env | json | json}}", "\"[\\\"PATH=/usr/bin\\\",\\\"A=1\\\"]\"");
}

static void test_literals(void **state)
{
	assert_render("{{\"hi\"}}", "hi");
	assert_render("{{`raw\\n {{ }}`}}", "raw\\n {{ }}");
	assert_render("{{42}} {{-7}} {{007}}", "42 -7 7");
	assert_render("{{\"a\\tb\\u00e9\\x41\\\"\\\\\"}}", "a\tb\xc3\xa9"
	                                                   "A\"\\");
	assert_render("{{\"\"}}", "");
	assert_render("{{\"\\u20ac\\u0041\"}}", "\xe2\x82\xac"
	                                        "A");
}

static void test_comments(void **state)
{
	assert_render("a{{/* note */}}b", "ab");
	assert_render("a{{ /* note {{.Id}} */ }}b", "ab");
}

static void test_unclosed_and_unexpected(void **state)
{
	assert_render_error("{{.Id", "template: unclosed action \"{{.Id\"");
	assert_render_error("text {{", "template: unclosed action \"{{\"");
	assert_render_error("{{.Id}", "template: unclosed action \"{{.Id}\"");
	assert_render_error("{{(.Id)}}", "template: unexpected \"(\" in \"{{(.Id)}}\"");
	assert_render_error("{{$x := 1}}", "template: unexpected \"$\" in \"{{$x := 1}}\"");
	assert_render_error("{{- .Id}}", "template: unexpected \"-\" in \"{{- .Id}}\"");
	assert_render_error("{{.Id}x}}", "template: unexpected \"}\" in \"{{.Id}x}}\"");
	assert_render_error("{{.Id\"x\"}}", "template: unexpected \"\"\" after \".Id\"");
	assert_render_error("{{index(.Id)}}", "template: unexpected \"(\" after \"index\"");
}

static void test_bad_tokens(void **state)
{
	assert_render_error("{{.Id.}}", "template: bad field syntax in \"{{.Id.}}\"");
	assert_render_error("{{..Id}}", "template: bad field syntax in \"{{..Id}}\"");
	assert_render_error("{{.A..B}}", "template: bad field syntax in \"{{.A..B}}\"");
	assert_render_error("{{index .Config.Env 1.5}}",
	                    "template: bad number syntax in \"{{index .Config.Env 1.5}}\"");
	assert_render_error("{{index .Config.Env 1a}}",
	                    "template: bad number syntax in \"{{index .Config.Env 1a}}\"");
	assert_render_error("{{99999999999999999999}}",
	                    "template: number out of range: 99999999999999999999");
	assert_render_error("{{index .Config.Labels \"abc}}",
	                    "template: unterminated quoted string in \"{{index .Config.Labels "
	                    "\"abc}}\"");
	assert_render_error("{{\"a\nb\"}}",
	                    "template: unterminated quoted string in \"{{\"a\nb\"}}\"");
	assert_render_error("{{`abc}}", "template: unterminated raw quoted string in \"{{`abc}}\"");
	assert_render_error("{{\"\\q\"}}", "template: invalid escape in \"\\q\"");
	assert_render_error("{{\"\\x4\"}}", "template: invalid escape in \"\\x4\"");
	assert_render_error("{{\"\\ud800\"}}", "template: invalid escape in \"\\ud800\"");
}

static void test_unknown_and_unsupported(void **state)
{
	assert_render_error("{{foo .Id}}", "template: function \"foo\" not defined");
	assert_render_error("{{.Id | upper}}", "template: function \"upper\" not defined");
	assert_render_error("{{range .Mounts}}{{.Source}}{{end}}",
	                    "template: \"range\" is not supported");
	assert_render_error("{{if .State.Running}}up{{end}}", "template: \"if\" is not supported");
	assert_render_error("{{end}}", "template: \"end\" is not supported");
	assert_render_error("{{true}}", "template: \"true\" is not supported");
}

static void test_empty_and_misplaced_commands(void **state)
{
	assert_render_error("{{}}", "template: missing command in \"{{}}\"");
	assert_render_error("{{  }}", "template: missing command in \"{{  }}\"");
	assert_render_error("{{.Id | }}", "template: missing command in \"{{.Id | }}\"");
	assert_render_error("{{| json}}", "template: missing command in \"{{| json}}\"");
	assert_render_error("{{.Id .Name}}", "template: can't give argument to non-function .Id");
	assert_render_error("{{.Id | .Name}}",
	                    "template: can't give argument to non-function .Name");
	assert_render_error("{{\"a\" 1}}", "template: can't give argument to non-function \"a\"");
	assert_render_error("{{index .A 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15}}",
	                    "template: too many arguments in \"{{index .A 1 2 3 4 5 6 7 8 9 10 11 "
	                    "12 13\"");
}

static void test_wrong_argument_counts(void **state)
{
	assert_render_error("{{json}}",
	                    "template: executing at <json>: wrong number of args for json: want 1 "
	                    "got 0");
	assert_render_error("{{json .Id .Name}}",
	                    "template: executing at <json .Id .Name>: wrong number of args for "
	                    "json: want 1 got 2");
	assert_render_error("{{.Id | json .Name}}",
	                    "template: executing at <json .Name>: wrong number of args for json: "
	                    "want 1 got 2");
	assert_render_error("{{index}}",
	                    "template: executing at <index>: wrong number of args for index: want "
	                    "at least 1 got 0");
	assert_render_error("{{index json}}",
	                    "template: executing at <json>: wrong number of args for json: want 1 "
	                    "got 0");
}

static void test_index_errors(void **state)
{
	assert_render_error("{{index .Config.Env 2}}",
	                    "template: executing at <index .Config.Env 2>: error calling index: "
	                    "index out of range: 2");
	assert_render_error("{{index .Config.Env -1}}",
	                    "template: executing at <index .Config.Env -1>: error calling index: "
	                    "index out of range: -1");
	assert_render_error(
	    "{{index .Config.Env \"a\"}}",
	    "template: executing at <index .Config.Env \"a\">: error calling index: "
	    "cannot index slice/array with type string");
	assert_render_error("{{index .Config.Env .Ratio}}",
	                    "template: executing at <index .Config.Env .Ratio>: error calling "
	                    "index: cannot index slice/array with type float64");
	assert_render_error("{{index .Config.Labels 0}}",
	                    "template: executing at <index .Config.Labels 0>: error calling index: "
	                    "value has type int; should be string");
	assert_render_error("{{index .Id 0}}",
	                    "template: executing at <index .Id 0>: error calling index: can't "
	                    "index item of type string");
	assert_render_error("{{index .State.Running 0}}",
	                    "template: executing at <index .State.Running 0>: error calling index: "
	                    "can't index item of type bool");
	assert_render_error("{{index \"abc\" 0}}",
	                    "template: executing at <index \"abc\" 0>: error calling index: can't "
	                    "index item of type string");
	assert_render_error("{{index .Missing \"a\"}}",
	                    "template: executing at <index .Missing \"a\">: error calling index: "
	                    "index of untyped nil");
	assert_render_error("{{index .State.Health \"a\"}}",
	                    "template: executing at <index .State.Health \"a\">: error calling "
	                    "index: index of untyped nil");
	assert_render_error("{{index .Config.Labels \"nope\" \"x\"}}",
	                    "template: executing at <index .Config.Labels \"nope\" \"x\">: error "
	                    "calling index: index of untyped nil");
}

static void test_field_errors(void **state)
{
	assert_render_error("{{.Id.Foo}}",
	                    "template: executing at <.Id.Foo>: can't evaluate field Foo in type "
	                    "string");
	assert_render_error(
	    "{{.Config.Env.First}}",
	    "template: executing at <.Config.Env.First>: can't evaluate field First "
	    "in type []interface {}");
	assert_render_error("{{.State.Pid.X}}",
	                    "template: executing at <.State.Pid.X>: can't evaluate field X in type "
	                    "float64");
	assert_render_error("{{.State.Health.Status}}",
	                    "template: executing at <.State.Health.Status>: nil pointer evaluating "
	                    "interface {}.Status");
}

/* Like Go, the whole template is parsed before any of it runs. */
static void test_syntax_checked_before_execution(void **state)
{
	assert_render_error("{{index .Config.Env 9}} {{.Id", "template: unclosed action \"{{.Id\"");
	assert_render_error("{{.Id.Foo}} {{nope}}", "template: function \"nope\" not defined");
}

static void test_comment_errors(void **state)
{
	assert_render_error("{{/* abc", "template: unclosed comment \"{{/* abc\"");
	assert_render_error("{{/* a */ .Id}}",
	                    "template: comment ends before closing delimiter in \"{{/* a */ "
	                    ".Id}}\"");
}

static void test_error_buffers(void **state)
{
	char err[12];
	yajl_val root = parse_json(container_json);

	assert_null(inspect_template_render(NULL, root, err, sizeof(err)));
	assert_string_equal(err, "template: n");
	assert_null(inspect_template_render("{{.Id", root, NULL, 0));
	assert_null(inspect_template_render("{{.Id", root, err, 4));
	yajl_tree_free(root);
}

/* iSulad's scripts write {{.HostConfig.CPUShares}} where Docker's JSON says CpuShares. */
static void test_isulad_spellings(void **state)
{
	(void)state;
	const char *hc = "{\"HostConfig\": {\"CpuShares\": 512, \"CpuPeriod\": 50000, "
	                 "\"CpuQuota\": 25000, \"Memory\": 1}}";
	assert_render_json(hc,
	                   "{{.HostConfig.CPUShares}} {{.HostConfig.CPUPeriod}} "
	                   "{{.HostConfig.CPUQuota}} {{.hostconfig.memory}}",
	                   "512 50000 25000 1");
	/* The exact key wins over one that differs in case only. */
	assert_render_json("{\"a\": 1, \"A\": 2}", "{{.A}} {{.a}}", "2 1");
	assert_render_json(hc, "{{.HostConfig.CPUSharesX}}", "<no value>");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_literal_text),
	    cmocka_unit_test(test_fields),
	    cmocka_unit_test(test_whitespace_in_actions),
	    cmocka_unit_test(test_missing_and_null),
	    cmocka_unit_test(test_numbers),
	    cmocka_unit_test(test_plain_containers),
	    cmocka_unit_test(test_dot),
	    cmocka_unit_test(test_json),
	    cmocka_unit_test(test_index),
	    cmocka_unit_test(test_pipes),
	    cmocka_unit_test(test_literals),
	    cmocka_unit_test(test_comments),
	    cmocka_unit_test(test_unclosed_and_unexpected),
	    cmocka_unit_test(test_bad_tokens),
	    cmocka_unit_test(test_unknown_and_unsupported),
	    cmocka_unit_test(test_empty_and_misplaced_commands),
	    cmocka_unit_test(test_wrong_argument_counts),
	    cmocka_unit_test(test_index_errors),
	    cmocka_unit_test(test_field_errors),
	    cmocka_unit_test(test_syntax_checked_before_execution),
	    cmocka_unit_test(test_comment_errors),
	    cmocka_unit_test(test_error_buffers),
	    cmocka_unit_test(test_isulad_spellings),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
