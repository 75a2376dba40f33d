/* The parsers of the system-container flags: --user-remap, --host-channel, --ns-change-opt,
 * -e KERNEL_MODULES, and the --env-target-file merge. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "engine/env_merge.h"
#include "engine/host_channel.h"
#include "host/kernel_modules.h"
#include "engine/ns_change_opt.h"
#include "core/strv.h"
#include "engine/user_remap.h"

static void remap_ok(const char *s, uint32_t uid, uint32_t gid, uint32_t off)
{
	struct user_remap r = {7, 7, 7};
	char err[256] = "";
	if (user_remap_parse(s, &r, err, sizeof(err)) != 0)
		fail_msg("user_remap_parse(\"%s\") failed: %s", s, err);
	assert_int_equal(r.uid, uid);
	assert_int_equal(r.gid, gid);
	assert_int_equal(r.offset, off);
}

static void remap_bad(const char *s, const char *want)
{
	struct user_remap r = {7, 7, 7};
	char err[256] = "";
	if (user_remap_parse(s, &r, err, sizeof(err)) != -1)
		fail_msg("user_remap_parse(\"%s\") accepted", s);
	if (!strstr(err, want))
		fail_msg("error for \"%s\" is \"%s\", expected it to contain \"%s\"", s, err, want);
	assert_int_equal(r.uid, 7); /* untouched */
}

static void test_user_remap_valid(void **state)
{
	remap_ok("100000:100000:65535", 100000, 100000, 65535);
	remap_ok("0:0:1", 0, 0, 1);
	remap_ok("1000:2000:1", 1000, 2000, 1);
	/* the largest sums the seed allows: uid + offset == 2^32-1 */
	remap_ok("4294901760:4294901760:65535", 4294901760U, 4294901760U, 65535);
}

static void test_user_remap_invalid(void **state)
{
	remap_bad("", "unsupported format");
	remap_bad("abc", "unsupported format");
	remap_bad("1:2", "unsupported format");
	remap_bad("1:2:3:4", "unsupported format");
	remap_bad(NULL, "unsupported format");
	remap_bad("-1:1:1", "Invalid host uid for '-1:1:1'");
	remap_bad("+1:1:1", "Invalid host uid");
	remap_bad(":1:1", "Invalid host uid");
	remap_bad("4294967296:1:1", "Invalid host uid");
	remap_bad("1:x:1", "Invalid host gid for '1:x:1'");
	remap_bad("1:1 :1", "Invalid host gid");
	remap_bad("1:1:0", "offset must be an integer greater than 0 and less than 65536");
	remap_bad("1:1:65536", "less than 65536");
	remap_bad("1:1:-5", "Invalid id offset");
	remap_bad("1:1:", "Invalid id offset");
	remap_bad("4294901761:1:65535", "uid + offset (4294967296) must not be larger than 2^32-1");
	remap_bad("1:4294901761:65535", "gid + offset (4294967296)");
}

static void test_user_remap_effect(void **state)
{
	struct user_remap r = {100000, 100000, 65535};
	assert_true(user_remap_effective(&r));
	r.uid = 0;
	assert_false(user_remap_effective(&r)); /* the seed: uid or gid 0, no effect */
	r = (struct user_remap){100000, 0, 65535};
	assert_false(user_remap_effective(&r));
	assert_true(user_remap_maps(100000, 65535, 100000));
	assert_true(user_remap_maps(100000, 65535, 165534));
	assert_false(user_remap_maps(100000, 65535, 165535));
	assert_false(user_remap_maps(100000, 65535, 99999));
	assert_true(user_remap_maps(4294901760U, 65535, 4294967294ULL));
}

static void channel_ok(const char *s, const char *host, const char *ctr, int ro, int64_t size)
{
	struct host_channel hc;
	char err[256] = "";
	if (host_channel_parse(s, &hc, err, sizeof(err)) != 0)
		fail_msg("host_channel_parse(\"%s\") failed: %s", s, err);
	assert_string_equal(hc.host_path, host);
	assert_string_equal(hc.ctr_path, ctr);
	assert_int_equal(hc.readonly, ro);
	assert_int_equal(hc.size, size);
	host_channel_free(&hc);
}

static void channel_bad(const char *s, const char *want)
{
	struct host_channel hc;
	char err[256] = "";
	if (host_channel_parse(s, &hc, err, sizeof(err)) != -1)
		fail_msg("host_channel_parse(\"%s\") accepted", s);
	if (!strstr(err, want))
		fail_msg("error for \"%s\" is \"%s\", expected \"%s\"", s, err, want);
	assert_null(hc.host_path);
}

static void test_host_channel_parse(void **state)
{
	channel_ok("/testdir:/testdir:rw:32M", "/testdir", "/testdir", 0, 32 << 20);
	channel_ok("/a:/b:ro:4k", "/a", "/b", 1, 4096);
	channel_ok("/a:/b", "/a", "/b", 0, 64 << 20); /* defaults: rw, 64MB */
	channel_ok("/a:/b:ro", "/a", "/b", 1, 64 << 20);
	channel_ok("/a:/b::1g", "/a", "/b", 0, 1LL << 30);
	channel_ok("/a:/b::", "/a", "/b", 0, 64 << 20);
	channel_ok("/a:/b:rw:1048576", "/a", "/b", 0, 1048576);
	channel_bad("/a", "Bad host channel format: /a");
	channel_bad("", "Bad host channel format");
	channel_bad(":/b", "Bad host channel format");
	channel_bad("/a::rw", "Bad host channel format");
	channel_bad("/a:/b:rw:1M:x", "Bad host channel format");
	channel_bad("/a:/b:rx", "Invalid mount mode for host channel: rx");
	channel_bad("/a:/b:RW", "Invalid mount mode");
	channel_bad("/a:/b:rw:abc", "Invalid size limit for host channel: abc");
	channel_bad("/a:/b:rw:-1", "Invalid size limit");
	channel_bad("/a:/b:rw:1.5x", "Invalid size limit");
}

static void check_channel(const char *host, const char *ctr, int64_t size, int64_t mem,
                          const char *want)
{
	struct host_channel hc = {(char *)host, (char *)ctr, false, size};
	char err[256] = "";
	int ret = host_channel_check(&hc, mem, err, sizeof(err));
	if (!want) {
		if (ret != 0)
			fail_msg("host_channel_check(%s, %s, %lld) failed: %s", host, ctr,
			         (long long)size, err);
		return;
	}
	if (ret != -1 || !strstr(err, want))
		fail_msg("host_channel_check(%s, %s, %lld): '%s', expected '%s'", host, ctr,
		         (long long)size, err, want);
}

static void test_host_channel_check(void **state)
{
	int64_t mem = 8LL << 30;
	check_channel("/h", "/c", 4096, mem, NULL);
	check_channel("/h", "/c", 4LL << 30, mem, NULL); /* exactly half of the memory */
	check_channel("/h", "/c", 4095, mem, "the minimum is 4KB");
	check_channel("/h", "/c", (4LL << 30) + 1, mem, "larger than half of total memory");
	check_channel("h", "/c", 4096, mem, "Host channel host path should be absolute: h");
	check_channel("/h", "c", 4096, mem, "Host channel container path should be absolute: c");
	check_channel("/h", "/", 4096, mem, "must not be /");
	check_channel("/h", "//", 4096, mem, "must not be /");
	check_channel("/a b", "/c", 4096, mem, "must not contain blanks");
	check_channel("/h", "/c\nlxc.x = y", 4096, mem, "must not contain blanks");
	check_channel("/h/../etc", "/c", 4096, mem, "must not contain ..");
	check_channel("/h", "/c/..", 4096, mem, "must not contain ..");
	check_channel("/h..x", "/c", 4096, mem, NULL);
}

static char *channel_json(const struct host_channel *hc)
{
	yajl_gen g = yajl_gen_alloc(NULL);
	yajl_gen_map_open(g);
	jg_key(g, "HostChannel");
	host_channel_gen(g, hc);
	yajl_gen_map_close(g);
	return jg_finish(g, NULL);
}

static void test_host_channel_gen(void **state)
{
	struct host_channel hc;
	char err[256];
	assert_int_equal(host_channel_parse("/h/ch:/c/ch:ro:1M", &hc, err, sizeof(err)), 0);
	char *json = channel_json(&hc);
	assert_string_equal(json, "{\"HostChannel\":{\"PathOnHost\":\"/h/ch\","
	                          "\"PathInContainer\":\"/c/ch\",\"Permissions\":\"ro\","
	                          "\"Size\":1048576}}");
	free(json);
	host_channel_free(&hc);
	json = channel_json(&hc); /* no channel */
	assert_string_equal(json, "{\"HostChannel\":null}");
	free(json);
}

static void test_ns_change_opt(void **state)
{
	unsigned m = 99;
	char err[256];
	const char *files[NS_CHANGE_MAX_FILES + 1];
	assert_int_equal(ns_change_opt_parse("net", &m, err, sizeof(err)), 0);
	assert_int_equal(m, NS_CHANGE_NET);
	assert_int_equal(ns_change_files(m, files), 1);
	assert_string_equal(files[0], "/proc/sys/net");
	assert_null(files[1]);
	assert_int_equal(ns_change_opt_parse("ipc", &m, err, sizeof(err)), 0);
	assert_int_equal(m, NS_CHANGE_IPC);
	assert_int_equal(ns_change_files(m, files), 9);
	assert_string_equal(files[0], "/proc/sys/kernel/shmmax");
	assert_string_equal(files[3], "/proc/sys/kernel/shm_rmid_forced");
	assert_string_equal(files[8], "/proc/sys/fs/mqueue");
	assert_int_equal(ns_change_opt_parse("net,ipc", &m, err, sizeof(err)), 0);
	assert_int_equal(m, NS_CHANGE_NET | NS_CHANGE_IPC);
	assert_int_equal(ns_change_files(m, files), NS_CHANGE_MAX_FILES);
	assert_int_equal(ns_change_opt_parse("ipc,net", &m, err, sizeof(err)), 0);
	assert_int_equal(m, NS_CHANGE_NET | NS_CHANGE_IPC);
	const char *bad[] = {"", "foo", "net,", ",ipc", "net,,ipc", "NET", "net ipc", "uts", NULL};
	for (size_t i = 0; bad[i]; i++) {
		m = 99;
		if (ns_change_opt_parse(bad[i], &m, err, sizeof(err)) != -1)
			fail_msg("ns_change_opt_parse(\"%s\") accepted", bad[i]);
		assert_int_equal(m, 99);
		assert_non_null(strstr(err, "allowed are net and ipc"));
	}
}

static void test_kernel_modules(void **state)
{
	char err[256];
	char **names = NULL;
	char *env1[] = {"A=1", "KERNEL_MODULES=ip_vs,ip_vs_wrr", NULL};
	assert_int_equal(kernel_modules_from_env(env1, &names, err, sizeof(err)), 0);
	assert_int_equal(strv_len(names), 2);
	assert_string_equal(names[1], "ip_vs_wrr");
	strv_free(names);
	/* the docker-guide forms: "", "a", "a,b", "a,b," */
	char *env2[] = {"KERNEL_MODULES=", NULL};
	assert_int_equal(kernel_modules_from_env(env2, &names, err, sizeof(err)), 0);
	assert_null(names);
	char *env3[] = {"KERNEL_MODULES=a,b,", NULL};
	assert_int_equal(kernel_modules_from_env(env3, &names, err, sizeof(err)), 0);
	assert_int_equal(strv_len(names), 2);
	strv_free(names);
	char *env4[] = {"KERNEL_MODULES=x", "KERNEL_MODULES=nf-nat", NULL}; /* last wins */
	assert_int_equal(kernel_modules_from_env(env4, &names, err, sizeof(err)), 0);
	assert_int_equal(strv_len(names), 1);
	assert_string_equal(names[0], "nf-nat");
	strv_free(names);
	char *env5[] = {"PATH=/bin", NULL};
	assert_int_equal(kernel_modules_from_env(env5, &names, err, sizeof(err)), 0);
	assert_null(names);
	char *env6[] = {"KERNEL_MODULES=loop,../evil", NULL};
	assert_int_equal(kernel_modules_from_env(env6, &names, err, sizeof(err)), -1);
	assert_null(names);
	assert_non_null(strstr(err, "Invalid KERNEL_MODULES entry '../evil'"));
	char *env7[] = {"KERNEL_MODULES=a b", NULL};
	assert_int_equal(kernel_modules_from_env(env7, &names, err, sizeof(err)), -1);
	char buf[64];
	kernel_module_sysfs_name("nf-nat-ftp", buf, sizeof(buf));
	assert_string_equal(buf, "nf_nat_ftp");
}

static void test_env_merge(void **state)
{
	char **env = NULL;
	strv_push(&env, "abc=123");
	strv_push(&env, "PATH=/bin");
	const char *file = "# comment\nabc=old\n\nFOO=bar\r\nexport BAZ=1\nnot a line\n=x\n"
	                   "1BAD=x\n  SP=ok\nFOO=second\n";
	assert_int_equal(env_merge_file(&env, file), 3);
	assert_int_equal(strv_len(env), 5);
	assert_string_equal(env[0], "abc=123"); /* --env wins */
	assert_string_equal(env[2], "FOO=bar");
	assert_string_equal(env[3], "BAZ=1");
	assert_string_equal(env[4], "SP=ok");
	assert_int_equal(env_merge_file(&env, NULL), 0);
	strv_push(&env, "MULTI=a\nb"); /* cannot be a line: left out */
	size_t len;
	char *text = env_render(env, &len);
	assert_string_equal(text, "abc=123\nPATH=/bin\nFOO=bar\nBAZ=1\nSP=ok\n");
	assert_int_equal(len, strlen(text));
	free(text);
	strv_free(env);
	text = env_render(NULL, &len);
	assert_string_equal(text, "");
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_user_remap_valid),   cmocka_unit_test(test_user_remap_invalid),
	    cmocka_unit_test(test_user_remap_effect),  cmocka_unit_test(test_host_channel_parse),
	    cmocka_unit_test(test_host_channel_check), cmocka_unit_test(test_host_channel_gen),
	    cmocka_unit_test(test_ns_change_opt),      cmocka_unit_test(test_kernel_modules),
	    cmocka_unit_test(test_env_merge),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
