#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/fileutil.h"
#include "core/json.h"
#include "engine/oci_hook_exec.h"
#include "engine/oci_hooks.h"

static char g_dir[] = "/tmp/test_oci_hooks.XXXXXX";
static char g_err[2048];

/* Parses text as a hooks object; returns the parse result, the hooks in *h. */
static int parse_text(const char *text, struct oci_hooks *h)
{
	char perr[256];
	yajl_val v = json_parse(text, perr, sizeof(perr));
	if (!v)
		fail_msg("test JSON does not parse: %s (%s)", text, perr);
	g_err[0] = '\0';
	int ret = oci_hooks_parse(v, h, g_err, sizeof(g_err));
	yajl_tree_free(v);
	return ret;
}

static void expect_parse_error(const char *text, const char *needle)
{
	struct oci_hooks h;
	if (parse_text(text, &h) == 0)
		fail_msg("accepted: %s", text);
	if (!strstr(g_err, needle))
		fail_msg("error for %s is '%s', expected it to contain '%s'", text, g_err, needle);
}

static char *dir_file(const char *name)
{
	return path_join(g_dir, name);
}

static char *write_file(const char *name, const char *text, mode_t mode)
{
	char *path = dir_file(name);
	unlink(path);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
	assert_true(fd >= 0);
	assert_int_equal(fd_write_all(fd, text, strlen(text)), 0);
	close(fd);
	assert_int_equal(chmod(path, mode), 0);
	return path;
}

static int setup(void **state)
{
	if (!mkdtemp(g_dir))
		return -1;
	chmod(g_dir, 0755);
	return 0;
}

static int teardown(void **state)
{
	return remove_tree(g_dir);
}

static void test_parse_full_shape(void **state)
{
	struct oci_hooks h;
	assert_int_equal(
	    parse_text("{\"prestart\":[{\"path\":\"/usr/bin/echo\",\"args\":[\"echo\","
	               "\"a\"],\"env\":[\"K=V\"],\"timeout\":30},{\"path\":\"/bin/ls\"}],"
	               "\"poststart\":[{\"path\":\"/bin/true\",\"timeout\":5}],"
	               "\"poststop\":[]}",
	               &h),
	    0);
	assert_int_equal(h.stage[OCI_HOOK_PRESTART].n, 2);
	assert_int_equal(h.stage[OCI_HOOK_POSTSTART].n, 1);
	assert_int_equal(h.stage[OCI_HOOK_POSTSTOP].n, 0);
	const struct oci_hook *k = &h.stage[OCI_HOOK_PRESTART].v[0];
	assert_string_equal(k->path, "/usr/bin/echo");
	assert_string_equal(k->args[0], "echo");
	assert_string_equal(k->args[1], "a");
	assert_null(k->args[2]);
	assert_string_equal(k->env[0], "K=V");
	assert_int_equal(k->timeout, 30);
	k = &h.stage[OCI_HOOK_PRESTART].v[1];
	assert_null(k->args);
	assert_null(k->env);
	assert_int_equal(k->timeout, 0);
	assert_int_equal(h.stage[OCI_HOOK_POSTSTART].v[0].timeout, 5);
	oci_hooks_free(&h);
}

static void test_parse_empty_object(void **state)
{
	struct oci_hooks h;
	assert_int_equal(parse_text("{}", &h), 0);
	assert_true(oci_hooks_empty(&h));
	oci_hooks_free(&h);
}

static void test_parse_rejects(void **state)
{
	expect_parse_error("[]", "must be a JSON object");
	expect_parse_error("{\"prestop\":[]}", "unsupported hook type \"prestop\"");
	expect_parse_error("{\"prestart\":{}}", "\"prestart\" must be an array");
	expect_parse_error("{\"prestart\":[\"/bin/true\"]}", "prestart[0]: must be an object");
	expect_parse_error("{\"poststop\":[{\"args\":[\"x\"]}]}",
	                   "poststop[0]: \"path\" is mandatory");
	expect_parse_error("{\"prestart\":[{\"path\":\"\"}]}", "must be a non-empty string");
	expect_parse_error("{\"prestart\":[{\"path\":7}]}", "must be a non-empty string");
	expect_parse_error("{\"prestart\":[{\"path\":\"/a\",\"args\":\"x\"}]}",
	                   "\"args\" must be an array of strings");
	expect_parse_error("{\"prestart\":[{\"path\":\"/a\",\"args\":[1]}]}",
	                   "\"args\"[0] must be a string");
	expect_parse_error("{\"prestart\":[{\"path\":\"/a\",\"env\":[\"NOEQUALS\"]}]}",
	                   "\"env\"[0] \"NOEQUALS\" must be a KEY=VALUE pair");
	expect_parse_error("{\"prestart\":[{\"path\":\"/a\",\"env\":[\"=v\"]}]}", "KEY=VALUE");
	expect_parse_error("{\"prestart\":[{\"path\":\"/a\",\"user\":\"root\"}]}",
	                   "unknown field \"user\"");
	expect_parse_error("{\"prestart\":[],\"prestart\":[]}", "given twice");
}

static void test_parse_timeout_rules(void **state)
{
	expect_parse_error("{\"prestart\":[{\"path\":\"/a\",\"timeout\":0}]}",
	                   "prestart[0]: invalid timeout 0: it must be an integer");
	expect_parse_error("{\"poststart\":[{\"path\":\"/a\",\"timeout\":-3}]}",
	                   "invalid timeout -3");
	expect_parse_error("{\"poststop\":[{\"path\":\"/a\",\"timeout\":1.5}]}",
	                   "invalid timeout 1.5");
	expect_parse_error("{\"prestart\":[{\"path\":\"/a\",\"timeout\":\"5\"}]}",
	                   "invalid timeout a string");
	expect_parse_error("{\"prestart\":[{\"path\":\"/a\",\"timeout\":99999999999}]}",
	                   "invalid timeout 99999999999");
	struct oci_hooks h;
	assert_int_equal(parse_text("{\"prestart\":[{\"path\":\"/a\",\"timeout\":1}]}", &h), 0);
	assert_int_equal(h.stage[OCI_HOOK_PRESTART].v[0].timeout, 1);
	oci_hooks_free(&h);
}

/* A spec file with one prestart hook on program. */
static char *spec_for(const char *program)
{
	char text[512];
	snprintf(text, sizeof(text), "{\"prestart\":[{\"path\":\"%s\"}]}", program);
	return write_file("spec.json", text, 0644);
}

static void expect_load_error(const char *spec, const char *needle)
{
	struct oci_hooks h;
	g_err[0] = '\0';
	if (oci_hooks_load_file(spec, &h, g_err, sizeof(g_err)) == 0)
		fail_msg("accepted the spec %s", spec);
	if (!strstr(g_err, needle))
		fail_msg("error for %s is '%s', expected '%s'", spec, g_err, needle);
}

/* A program written with mode and owner: its spec is refused with needle in the error. */
static void expect_program_refused(const char *name, mode_t mode, uid_t owner, const char *needle)
{
	char *program = write_file(name, "#!/bin/sh\n", mode);
	assert_int_equal(chown(program, owner, 0), 0);
	char *spec = spec_for(program);
	expect_load_error(spec, needle);
	free(spec);
	free(program);
}

static void test_load_program_rules(void **state)
{
	char *good = write_file("good.sh", "#!/bin/sh\nexit 0\n", 0755);
	char *spec = spec_for(good);
	struct oci_hooks h;
	assert_int_equal(oci_hooks_load_file(spec, &h, g_err, sizeof(g_err)), 0);
	assert_int_equal(h.stage[OCI_HOOK_PRESTART].n, 1);
	oci_hooks_free(&h);
	free(spec);
	free(good);

	spec = spec_for("relative/hook.sh");
	expect_load_error(spec, "hook path \"relative/hook.sh\" must be an absolute path");
	free(spec);

	char *missing = dir_file("missing.sh");
	spec = spec_for(missing);
	expect_load_error(spec, "No such file or directory");
	free(spec);
	free(missing);

	spec = spec_for(g_dir);
	expect_load_error(spec, "must be an executable file");
	free(spec);

	expect_program_refused("noexec.sh", 0644, 0, "must be an executable file (mode 0644)");
	expect_program_refused("groupw.sh", 0775, 0, "must be writable only by root (mode 0775");
	expect_program_refused("otherw.sh", 0757, 0, "must be writable only by root (mode 0757");
	expect_program_refused("owned.sh", 0755, 1000, "must be owned by root (owner uid 1000)");
}

static void test_load_file_rules(void **state)
{
	expect_load_error("rel/spec.json", "Invalid hook spec \"rel/spec.json\": the path must be "
	                                   "absolute");
	char *missing = dir_file("nospec.json");
	expect_load_error(missing, "No such file or directory");
	free(missing);
	expect_load_error(g_dir, "not a regular file");

	char *bad = write_file("bad.json", "{\"prestart\": [", 0644);
	expect_load_error(bad, "not a JSON text file");
	free(bad);

	char *big = dir_file("big.json");
	int fd = open(big, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, HOOK_SPEC_MAX_SIZE + 1), 0);
	close(fd);
	expect_load_error(big, "size 10485761 bytes exceeds the limit of 10 MB");
	free(big);

	char *timeout =
	    write_file("t.json", "{\"poststop\":[{\"path\":\"/bin/true\",\"timeout\":0}]}", 0644);
	expect_load_error(timeout, "poststop[0]: invalid timeout 0");
	free(timeout);
}

static void test_append_keeps_order(void **state)
{
	struct oci_hooks a, b;
	assert_int_equal(parse_text("{\"prestart\":[{\"path\":\"/daemon\"}]}", &a), 0);
	assert_int_equal(parse_text("{\"prestart\":[{\"path\":\"/ctr\",\"env\":[\"A=1\"]}],"
	                            "\"poststop\":[{\"path\":\"/ctr-stop\"}]}",
	                            &b),
	                 0);
	assert_int_equal(oci_hooks_append(&a, &b), 0);
	assert_int_equal(a.stage[OCI_HOOK_PRESTART].n, 2);
	assert_string_equal(a.stage[OCI_HOOK_PRESTART].v[0].path, "/daemon");
	assert_string_equal(a.stage[OCI_HOOK_PRESTART].v[1].path, "/ctr");
	assert_string_equal(a.stage[OCI_HOOK_PRESTART].v[1].env[0], "A=1");
	assert_int_equal(a.stage[OCI_HOOK_POSTSTOP].n, 1);
	/* b is a copy source: still intact. */
	assert_string_equal(b.stage[OCI_HOOK_PRESTART].v[0].path, "/ctr");
	oci_hooks_free(&a);
	oci_hooks_free(&b);
}

static void test_gen_round_trip(void **state)
{
	struct oci_hooks h, back;
	const char *text =
	    "{\"prestart\":[{\"path\":\"/a\",\"args\":[\"a\",\"-x\"],\"env\":[\"K=V\"],"
	    "\"timeout\":3}],\"poststop\":[{\"path\":\"/b\"}]}";
	assert_int_equal(parse_text(text, &h), 0);
	yajl_gen g = yajl_gen_alloc(NULL);
	oci_hooks_gen(g, &h);
	char *out = jg_finish(g, NULL);
	assert_string_equal(out, text);
	assert_int_equal(parse_text(out, &back), 0);
	assert_int_equal(back.stage[OCI_HOOK_PRESTART].v[0].timeout, 3);
	free(out);
	oci_hooks_free(&h);
	oci_hooks_free(&back);
}

static void test_state_json(void **state)
{
	char *s = oci_state_json("abc", "created", 42, "/b/abc", NULL);
	assert_string_equal(s, "{\"ociVersion\":\"" OCI_VERSION "\",\"id\":\"abc\",\"status\":"
	                       "\"created\",\"pid\":42,\"bundle\":\"/b/abc\",\"annotations\":{}}");
	free(s);
	s = oci_state_json("abc", "stopped", 0, "/b/abc", NULL);
	assert_null(strstr(s, "\"pid\""));
	free(s);
}

/* Runs a one-hook prestart stage of a script; returns its result, the error in g_err. */
static int run_script(const char *body, int timeout, char **args, char **env, char **extra)
{
	char *script = write_file("run.sh", body, 0755);
	struct oci_hooks h = {0};
	struct oci_hook k = {.path = script, .args = args, .env = env, .timeout = timeout};
	h.stage[OCI_HOOK_PRESTART].v = &k;
	h.stage[OCI_HOOK_PRESTART].n = 1;
	g_err[0] = '\0';
	int ret = oci_hooks_run_stage(&h, OCI_HOOK_PRESTART, "{\"id\":\"x\"}", extra, 0, g_err,
	                              sizeof(g_err));
	free(script);
	return ret;
}

static void test_exec_passes_state_args_env(void **state)
{
	char *out = dir_file("out.txt");
	char body[1024];
	snprintf(body, sizeof(body),
	         "#!/bin/sh\n{ cat; echo; echo \"$1|$2\"; echo \"$K|$CONTAINER_ACTION|$HOME\"; } "
	         ">%s\n",
	         out);
	char *args[] = {"first", "second", "third", NULL};
	char *env[] = {"K=v", "CONTAINER_ACTION=old", NULL};
	char *extra[] = {"CONTAINER_ACTION=reboot", NULL};
	assert_int_equal(run_script(body, 5, args, env, extra), 0);
	char *text = read_file(out, 4096, NULL);
	assert_non_null(text);
	/* args[0] is argv[0] (a script sees its own path as $0, so $1 is args[1]); the env is
	 * exactly the hook's, with the extra entry replacing its own. */
	assert_string_equal(text, "{\"id\":\"x\"}\nsecond|third\nv|reboot|\n");
	free(text);
	free(out);
}

static void test_exec_argv0_is_args0(void **state)
{
	char *out = dir_file("argv.txt");
	char cmd[512];
	snprintf(cmd, sizeof(cmd), "tr '\\0' ' ' </proc/$$/cmdline >%s", out);
	char *args[] = {"custom-name", "-c", cmd, NULL};
	struct oci_hooks h = {0};
	struct oci_hook k = {.path = "/bin/sh", .args = args};
	h.stage[OCI_HOOK_POSTSTART].v = &k;
	h.stage[OCI_HOOK_POSTSTART].n = 1;
	assert_int_equal(
	    oci_hooks_run_stage(&h, OCI_HOOK_POSTSTART, "{}", NULL, 0, g_err, sizeof(g_err)), 0);
	char *text = read_file(out, 4096, NULL);
	assert_non_null(text);
	assert_true(strncmp(text, "custom-name -c ", 15) == 0);
	free(text);
	free(out);
}

static void test_exec_failure_reports_status_and_stderr(void **state)
{
	assert_int_equal(run_script("#!/bin/sh\necho 'no disk' >&2\nexit 3\n", 0, NULL, NULL, NULL),
	                 -1);
	assert_non_null(strstr(g_err, "prestart hook \""));
	assert_non_null(strstr(g_err, "failed: exit status 3: no disk"));
}

static void test_exec_timeout_kills_group(void **state)
{
	char *pidfile = dir_file("child.pid");
	char body[512];
	snprintf(body, sizeof(body), "#!/bin/sh\nsleep 30 &\necho $! >%s\nwait\n", pidfile);
	assert_int_equal(run_script(body, 1, NULL, NULL, NULL), -1);
	assert_non_null(strstr(g_err, "killed after its timeout of 1 s"));
	char *pid = read_file(pidfile, 64, NULL);
	assert_non_null(pid);
	/* The background sleep was in the hook's process group: killed too. SIGKILL lands
	 * asynchronously, and the orphan may stay a zombie of init for a while: wait (2 s at
	 * most) until it is gone or a zombie. */
	char stat_path[80];
	snprintf(stat_path, sizeof(stat_path), "/proc/%d/stat", atoi(pid));
	bool ended = false;
	for (int i = 0; i < 200 && !ended; i++) {
		char *st = read_file(stat_path, 4096, NULL);
		ended = !st || strstr(st, ") Z ") != NULL;
		free(st);
		if (!ended)
			usleep(10000);
	}
	assert_true(ended);
	free(pid);
	free(pidfile);
}

/* The stage's budget (the start-timeout) ends hooks without a timeout of their own, and
 * shortens longer ones; a shorter own timeout still wins. */
static void test_exec_budget_bounds_the_stage(void **state)
{
	char *script = write_file("sleepy.sh", "#!/bin/sh\nexec sleep 30\n", 0755);
	struct oci_hook k = {.path = script};
	struct oci_hooks h = {0};
	h.stage[OCI_HOOK_PRESTART].v = &k;
	h.stage[OCI_HOOK_PRESTART].n = 1;
	assert_int_equal(
	    oci_hooks_run_stage(&h, OCI_HOOK_PRESTART, "{}", NULL, 300, g_err, sizeof(g_err)), -1);
	assert_non_null(strstr(g_err, "killed when the time left to the start ran out (300 ms)"));
	k.timeout = 20;
	assert_int_equal(
	    oci_hooks_run_stage(&h, OCI_HOOK_PRESTART, "{}", NULL, 300, g_err, sizeof(g_err)), -1);
	assert_non_null(strstr(g_err, "time left to the start ran out"));
	k.timeout = 1;
	assert_int_equal(
	    oci_hooks_run_stage(&h, OCI_HOOK_PRESTART, "{}", NULL, 5000, g_err, sizeof(g_err)), -1);
	assert_non_null(strstr(g_err, "killed after its timeout of 1 s"));
	free(script);
}

static void test_exec_not_executable(void **state)
{
	struct oci_hooks h = {0};
	struct oci_hook k = {.path = "/nonexistent/hook"};
	h.stage[OCI_HOOK_POSTSTOP].v = &k;
	h.stage[OCI_HOOK_POSTSTOP].n = 1;
	assert_int_equal(
	    oci_hooks_run_stage(&h, OCI_HOOK_POSTSTOP, "{}", NULL, 0, g_err, sizeof(g_err)), -1);
	assert_non_null(strstr(g_err, "poststop hook \"/nonexistent/hook\" failed: cannot be "
	                              "executed: No such file or directory"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse_full_shape),
	    cmocka_unit_test(test_parse_empty_object),
	    cmocka_unit_test(test_parse_rejects),
	    cmocka_unit_test(test_parse_timeout_rules),
	    cmocka_unit_test(test_load_program_rules),
	    cmocka_unit_test(test_load_file_rules),
	    cmocka_unit_test(test_append_keeps_order),
	    cmocka_unit_test(test_gen_round_trip),
	    cmocka_unit_test(test_state_json),
	    cmocka_unit_test(test_exec_passes_state_args_env),
	    cmocka_unit_test(test_exec_argv0_is_args0),
	    cmocka_unit_test(test_exec_failure_reports_status_and_stderr),
	    cmocka_unit_test(test_exec_timeout_kills_group),
	    cmocka_unit_test(test_exec_budget_bounds_the_stage),
	    cmocka_unit_test(test_exec_not_executable),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
