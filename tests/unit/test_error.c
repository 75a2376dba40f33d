/* Error codes (lib/core/error.h) and what the daemon and the exec helper make of them: the
 * HTTP status (http_status_of) and the exit code (error_exit_code), chosen from the code,
 * never from the message. Also the codes of the functions whose callers choose by them. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "engine/container_ref.h"
#include "engine/daemon/container.h"
#include "engine/daemon/server.h"
#include "engine/daemon/validate.h"

static void test_http_status_of(void **state)
{
	assert_int_equal(http_status_of(ERR_INVALID), 400);
	assert_int_equal(http_status_of(ERR_FORBIDDEN), 403);
	assert_int_equal(http_status_of(ERR_NOT_FOUND), 404);
	assert_int_equal(http_status_of(ERR_CONFLICT), 409);
	assert_int_equal(http_status_of(ERR_NOT_RUNNING), 409);
	assert_int_equal(http_status_of(ERR_EXISTS), 409);
	assert_int_equal(http_status_of(ERR_INTERNAL), 500);
	/* Docker's start error for a command that cannot run is an invalid parameter. */
	assert_int_equal(http_status_of(ERR_CMD_NOT_FOUND), 400);
	assert_int_equal(http_status_of(ERR_CMD_CANNOT_RUN), 400);
	/* No code, or one this build does not know: the engine failed. */
	assert_int_equal(http_status_of(ERR_NONE), 500);
	assert_int_equal(http_status_of(-1), 500);
	assert_int_equal(http_status_of(1000), 500);
}

static void test_exit_code(void **state)
{
	assert_int_equal(error_exit_code(ERR_CMD_NOT_FOUND), 127);
	assert_int_equal(error_exit_code(ERR_CMD_CANNOT_RUN), 126);
	assert_int_equal(error_exit_code(ERR_NOT_RUNNING), 125);
	assert_int_equal(error_exit_code(ERR_INTERNAL), 125);
}

static void test_error_set(void **state)
{
	struct error e = {0};
	assert_int_equal(error_set(&e, ERR_NOT_FOUND, "No such container: %s", "x"), -1);
	assert_int_equal(e.code, ERR_NOT_FOUND);
	assert_string_equal(e.msg, "No such container: x");
	/* Truncated to fit, never overrun. */
	char *long_arg = malloc(3 * ERROR_MSG_LEN);
	assert_non_null(long_arg);
	memset(long_arg, 'a', 3 * ERROR_MSG_LEN - 1);
	long_arg[3 * ERROR_MSG_LEN - 1] = '\0';
	error_set(&e, ERR_INVALID, "%s", long_arg);
	assert_int_equal(strlen(e.msg), ERROR_MSG_LEN - 1);
	assert_int_equal(e.code, ERR_INVALID);
	free(long_arg);
}

/* The "message contains not found" trap: the code, not the words, decides. */
static void test_message_words_do_not_matter(void **state)
{
	struct error e;
	error_set(&e, ERR_CMD_CANNOT_RUN, "unable to find user not found: no matching entries");
	assert_int_equal(error_exit_code(e.code), 126);
	error_set(&e, ERR_INVALID, "No such image: but a bad value");
	assert_int_equal(http_status_of(e.code), 400);
}

static const char *const g_ids[] = {"abc111", "abc222", "def333"};
static const char *const g_names[] = {"web", "db", "cache"};

static const char *id_at(const void *ctx, size_t i)
{
	return g_ids[i];
}

static const char *name_at(const void *ctx, size_t i)
{
	return g_names[i];
}

static void test_container_ref_codes(void **state)
{
	struct container_ref_list l = {.n = 3, .id_at = id_at, .name_at = name_at};
	struct error e = {0};
	assert_int_equal(container_ref_find(&l, "db", &e), 1);
	assert_int_equal(container_ref_find(&l, "def", &e), 2);
	assert_int_equal(container_ref_find(&l, "abc", &e), -1);
	assert_int_equal(e.code, ERR_INVALID);
	assert_int_equal(http_status_of(e.code), 400);
	assert_non_null(strstr(e.msg, "Multiple IDs found with provided prefix: abc"));
	assert_int_equal(container_ref_find(&l, "nosuch", &e), -1);
	assert_int_equal(e.code, ERR_NOT_FOUND);
	assert_int_equal(http_status_of(e.code), 404);
	assert_string_equal(e.msg, "No such container: nosuch");
}

static void test_validate_rootfs_codes(void **state)
{
	struct container *c = container_new("0123456789ab");
	assert_non_null(c);
	struct error e = {0};
	c->config.image = strdup("busybox");
	assert_int_equal(validate_rootfs(c, &e), -1);
	assert_int_equal(e.code, ERR_NOT_FOUND);
	assert_int_equal(http_status_of(e.code), 404);
	assert_non_null(strstr(e.msg, "No such image: busybox"));

	c->host.external_rootfs = strdup("relative/path");
	assert_int_equal(validate_rootfs(c, &e), -1);
	assert_int_equal(e.code, ERR_INVALID);
	assert_int_equal(http_status_of(e.code), 400);
	assert_non_null(strstr(e.msg, "must be an absolute path"));
	container_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_http_status_of),
	    cmocka_unit_test(test_exit_code),
	    cmocka_unit_test(test_error_set),
	    cmocka_unit_test(test_message_words_do_not_matter),
	    cmocka_unit_test(test_container_ref_codes),
	    cmocka_unit_test(test_validate_rootfs_codes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
