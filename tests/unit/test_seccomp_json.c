#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "host/seccomp_json.h"

#define CAP_SYS_ADMIN_BIT (1ULL << 21)

static char *tr(const char *json, uint64_t caps, char *err)
{
	struct seccomp_target t = {.caps = caps};
	return seccomp_json_translate(json, &t, err, 256);
}

static void denylist_from_allow_default(void **state)
{
	char err[256];
	char *t =
	    tr("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":["
	       "{\"names\":[\"mkdir\",\"rmdir\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":13},"
	       "{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\"},"
	       "{\"name\":\"kexec_load\",\"action\":\"SCMP_ACT_KILL\"},"
	       "{\"names\":[\"personality\"],\"action\":\"SCMP_ACT_ERRNO\",\"args\":"
	       "[{\"index\":0,\"value\":8,\"op\":\"SCMP_CMP_NE\"}]},"
	       "{\"names\":[\"clone\"],\"action\":\"SCMP_ACT_ERRNO\",\"args\":[{\"index\":0,"
	       "\"value\":2114060288,\"valueTwo\":0,\"op\":\"SCMP_CMP_MASKED_EQ\"}]}]}",
	       0, err);
	assert_non_null(t);
	assert_string_equal(t, "2\ndenylist\nmkdir errno 13\nrmdir errno 13\nkexec_load kill\n"
	                       "personality errno 1 [0,8,SCMP_CMP_NE]\n"
	                       "clone errno 1 [0,2114060288,SCMP_CMP_MASKED_EQ,0]\n");
	free(t);
}

static void allowlist_and_capability_conditions(void **state)
{
	char err[256];
	const char *p = "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":["
	                "{\"names\":[\"read\",\"write\"],\"action\":\"SCMP_ACT_ALLOW\"},"
	                "{\"names\":[\"mount\"],\"action\":\"SCMP_ACT_ALLOW\","
	                "\"includes\":{\"caps\":[\"CAP_SYS_ADMIN\"]}},"
	                "{\"names\":[\"chroot\"],\"action\":\"SCMP_ACT_ALLOW\","
	                "\"excludes\":{\"caps\":[\"CAP_SYS_ADMIN\"]}}]}";
	char *t = tr(p, 0, err);
	assert_non_null(t);
	assert_string_equal(t, "2\nallowlist errno 1\nread allow\nwrite allow\nchroot allow\n");
	free(t);
	t = tr(p, CAP_SYS_ADMIN_BIT, err);
	assert_non_null(t);
	assert_string_equal(t, "2\nallowlist errno 1\nread allow\nwrite allow\nmount allow\n");
	free(t);
}

static void refusals_name_the_problem(void **state)
{
	char err[256];
	assert_null(tr("[]", 0, err));
	assert_non_null(strstr(err, "not a JSON object"));
	assert_null(tr("{\"defaultAction\":\"SCMP_ACT_NOTIFY\"}", 0, err));
	assert_non_null(strstr(err, "unsupported defaultAction SCMP_ACT_NOTIFY"));
	assert_null(tr("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"a b\"],"
	               "\"action\":\"SCMP_ACT_KILL\"}]}",
	               0, err));
	assert_non_null(strstr(err, "invalid syscall name \"a b\""));
	assert_null(tr("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"x\"],"
	               "\"action\":\"SCMP_ACT_KILL\",\"args\":[{\"index\":9,\"value\":1,"
	               "\"op\":\"SCMP_CMP_EQ\"}]}]}",
	               0, err));
	assert_non_null(strstr(err, "index 0-5"));
	assert_null(tr("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":{}}", 0, err));
	assert_non_null(strstr(err, "must be a list"));
	assert_null(tr("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"defaultErrnoRet\":99999}", 0, err));
}

/* The engine's own conditions: systemContainer and userNamespaces. */
static void engine_conditions(void **state)
{
	char err[256];
	const char *p = "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":["
	                "{\"names\":[\"mount\"],\"action\":\"SCMP_ACT_ERRNO\","
	                "\"excludes\":{\"caps\":[\"CAP_SYS_ADMIN\"],\"systemContainer\":true}},"
	                "{\"names\":[\"umount2\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":13,"
	                "\"includes\":{\"systemContainer\":true}},"
	                "{\"names\":[\"clone3\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":38,"
	                "\"excludes\":{\"userNamespaces\":true}}]}";
	struct seccomp_target plain = {0}, sys = {.system_container = true},
	                      userns = {.system_container = true, .user_namespaces = true};
	char *t = seccomp_json_translate(p, &plain, err, sizeof(err));
	assert_string_equal(t, "2\ndenylist\nmount errno 1\nclone3 errno 38\n");
	free(t);
	t = seccomp_json_translate(p, &sys, err, sizeof(err));
	assert_string_equal(t, "2\ndenylist\numount2 errno 13\nclone3 errno 38\n");
	free(t);
	t = seccomp_json_translate(p, &userns, err, sizeof(err));
	assert_string_equal(t, "2\ndenylist\numount2 errno 13\n");
	free(t);
	assert_null(seccomp_json_translate("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":"
	                                   "[{\"names\":[\"x\"],\"action\":\"SCMP_ACT_ERRNO\","
	                                   "\"includes\":{\"systemContainer\":\"yes\"}}]}",
	                                   &plain, err, sizeof(err)));
	assert_non_null(strstr(err, "includes.systemContainer must be true or false"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(engine_conditions),
	    cmocka_unit_test(denylist_from_allow_default),
	    cmocka_unit_test(allowlist_and_capability_conditions),
	    cmocka_unit_test(refusals_name_the_problem),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
