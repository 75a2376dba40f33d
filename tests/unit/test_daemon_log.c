/* The daemon's own log: log-opts checked (daemon_log_parse), the rotating file (core/log),
 * and the original's daemon.json keys and flags that are refused (config_unsupported). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine/daemon/config_unsupported.h"
#include "core/log.h"
#include "engine/daemon/daemon_log.h"

static int parse(const char *driver, const char *o1, const char *o2, struct daemon_log_opts *out,
                 char *err)
{
	char *opts[3] = {(char *)o1, (char *)o2, NULL};
	return daemon_log_parse(driver, o1 ? opts : NULL, out, err, 256);
}

static void test_defaults_and_values(void **state)
{
	struct daemon_log_opts o;
	char err[256];
	assert_int_equal(parse(NULL, NULL, NULL, &o, err), 0);
	assert_int_equal(o.max_size, DAEMON_LOG_DEFAULT_MAX_SIZE);
	assert_int_equal(o.max_files, DAEMON_LOG_DEFAULT_MAX_FILES);
	assert_int_equal(o.mode, 0600);
	assert_null(o.path_dir);
	assert_int_equal(parse("file", "max-size=30KB", "max-file=1", &o, err), 0);
	assert_int_equal(o.max_size, 30 * 1024);
	assert_int_equal(o.max_files, 1);
	assert_int_equal(parse("stdout", "log-file-mode=0640", "log-path=/var/log/x", &o, err), 0);
	assert_int_equal(o.mode, 0640);
	assert_string_equal(o.path_dir, "/var/log/x");
}

static void test_refused(void **state)
{
	struct daemon_log_opts o;
	char err[256];
	const char *bad[] = {"max-size=1x",        "max-size=100",   "max-file=0",
	                     "max-file=1001",      "max-file=",      "log-file-mode=0999",
	                     "log-file-mode=0400", "log-file-mode=", "log-file-mode=01777",
	                     "log-path=rel",       "colour=red",     "max-size"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(parse(NULL, bad[i], NULL, &o, err), -1);
		assert_non_null(strstr(err, bad[i]));
	}
	assert_int_equal(parse("syslog", NULL, NULL, &o, err), -1);
	assert_non_null(strstr(err, "\"syslog\""));
}

static void test_rotation(void **state)
{
	char dir[] = "/tmp/daemonlog.XXXXXX", path[64], p1[80], p2[80], p3[80];
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/isulad.log", dir);
	snprintf(p1, sizeof(p1), "%s.1", path);
	snprintf(p2, sizeof(p2), "%s.2", path);
	snprintf(p3, sizeof(p3), "%s.3", path);
	mode_t old = umask(077);
	assert_int_equal(log_init_rotating(LOG_LVL_INFO, path, 1024, 3, 0644), 0);
	umask(old);
	for (int i = 0; i < 200; i++)
		LOG_INFO("line %d of the rotation test, long enough to fill a kilobyte soon", i);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0644); /* not masked by the umask */
	assert_true(st.st_size < 1024 + 200);
	assert_int_equal(stat(p1, &st), 0);
	assert_true(st.st_size >= 1024 && st.st_size < 1024 + 200);
	assert_int_equal(stat(p2, &st), 0);
	assert_int_equal(access(p3, F_OK), -1);
	log_init(LOG_LVL_ERROR, NULL);
	unlink(path);
	unlink(p1);
	unlink(p2);
	rmdir(dir);
}

static void test_unsupported_keys(void **state)
{
	char err[512];
	yajl_val v;
	struct {
		const char *key, *json;
		int want;
	} cases[] = {
	    {"storage-driver", "\"overlay2\"", -1},
	    {"storage-driver", "\"\"", 0},
	    {"registry-mirrors", "[\"a\"]", -1},
	    {"registry-mirrors", "[]", 0},
	    {"runtimes", "{\"k\":{}}", -1},
	    {"runtimes", "{}", 0},
	    {"engine", "\"lcr\"", 0},
	    {"engine", "\"kata\"", -1},
	    {"selinux-enabled", "false", 0},
	    {"selinux-enabled", "true", -1},
	    {"websocket-server-listening-port", "10350", -1},
	    {"log-level", "\"INFO\"", 0}, /* not one of them */
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		v = json_parse(cases[i].json, NULL, 0);
		assert_non_null(v);
		err[0] = '\0';
		assert_int_equal(
		    config_unsupported_key("f.json", cases[i].key, v, err, sizeof(err)),
		    cases[i].want);
		if (cases[i].want < 0) {
			char quoted[128];
			snprintf(quoted, sizeof(quoted), "\"%s\" is not supported", cases[i].key);
			assert_non_null(strstr(err, quoted));
		}
		yajl_tree_free(v);
	}
}

static void test_unsupported_flags(void **state)
{
	char err[512];
	char *ok[] = {"isulad", "-l", "INFO", "--log-opt", "max-file=2", "-S", "/s", NULL};
	assert_int_equal(config_unsupported_flags(7, ok, err, sizeof(err)), 0);
	char *a[] = {"isulad", "--storage-driver=overlay2", NULL};
	assert_int_equal(config_unsupported_flags(2, a, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "flag --storage-driver is not supported"));
	char *b[] = {"isulad", "-soverlay2.size=1G", NULL};
	assert_int_equal(config_unsupported_flags(2, b, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "--storage-opt"));
	char *c[] = {"isulad", "--engine", "lcr", NULL};
	assert_int_equal(config_unsupported_flags(3, c, err, sizeof(err)), -1);
	char *d[] = {"isulad", "--selinux-enabledX", NULL}; /* another name: cli_parse's job */
	assert_int_equal(config_unsupported_flags(2, d, err, sizeof(err)), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_defaults_and_values),
	    cmocka_unit_test(test_refused),
	    cmocka_unit_test(test_rotation),
	    cmocka_unit_test(test_unsupported_keys),
	    cmocka_unit_test(test_unsupported_flags),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
