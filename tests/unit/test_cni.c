/* The CNI layer: results and error objects (cni_result), conflists and the stdin each plugin
 * gets (cni_conf), -p specs (port_spec), and cni_add/cni_del running fake plugins (scripts
 * in a temp dir) with the CNI_* environment and prevResult chaining. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/fileutil.h"
#include "core/json.h"
#include "engine/cni_conf.h"
#include "engine/cni_exec.h"
#include "engine/cni_result.h"
#include "engine/port_spec.h"

static const char *RESULT =
    "{\"cniVersion\":\"1.0.0\",\"interfaces\":[{\"name\":\"br0\",\"mac\":\"4a:6f:a5:43:5c:ba\"},"
    "{\"name\":\"veth1\",\"mac\":\"06:a1:62:47:74:18\"},{\"name\":\"eth0\",\"mac\":"
    "\"02:42:ac:11:00:09\",\"sandbox\":\"/run/netns/x\"}],\"ips\":[{\"interface\":2,"
    "\"address\":\"10.251.7.2/24\",\"gateway\":\"10.251.7.1\"},{\"interface\":2,\"address\":"
    "\"fd00::2/64\"}],\"routes\":[{\"dst\":\"0.0.0.0/0\"}],\"dns\":{}}";

static void test_result_parse(void **state)
{
	struct cni_result r;
	char err[256];
	assert_int_equal(cni_result_parse(RESULT, &r, err, sizeof(err)), 0);
	assert_int_equal(r.n_ifaces, 3);
	assert_int_equal(r.n_ips, 2);
	const char *mac = NULL;
	const struct cni_ip *ip = cni_result_ipv4(&r, "eth0", &mac);
	assert_non_null(ip);
	assert_string_equal(ip->ip, "10.251.7.2");
	assert_int_equal(ip->prefix, 24);
	assert_string_equal(ip->gateway, "10.251.7.1");
	assert_string_equal(mac, "02:42:ac:11:00:09");
	assert_null(cni_result_ipv4(&r, "eth1", NULL));
	assert_true(r.ips[1].v6);
	/* A 0.4.0 result without interfaces. */
	assert_int_equal(
	    cni_result_parse("{\"ips\":[{\"version\":\"4\",\"address\":\"10.0.0.5/8\"}]}", &r, err,
	                     sizeof(err)),
	    0);
	assert_string_equal(cni_result_ipv4(&r, "eth0", &mac)->ip, "10.0.0.5");
	assert_string_equal(mac, "");
}

static void test_result_refused(void **state)
{
	const char *bad[] = {
	    "",
	    "[]",
	    "{\"ips\":[{\"address\":\"10.0.0.300/24\"}]}",
	    "{\"ips\":[{\"address\":\"10.0.0.3\"}]}",
	    "{\"ips\":[{\"address\":\"10.0.0.3/33\"}]}",
	    "{\"ips\":[{\"address\":\"10.0.0.3/24\",\"gateway\":\"x\"}]}",
	    "{\"interfaces\":[{\"name\":\"a-name-longer-than-ifnamsiz\"}]}",
	    "{\"interfaces\":[{\"name\":\"eth0\",\"mac\":\"02:42:ac:11:00\"}]}",
	    "{\"interfaces\":[{\"mac\":\"02:42:ac:11:00:01\"}]}",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct cni_result r;
		char err[256] = "";
		if (cni_result_parse(bad[i], &r, err, sizeof(err)) == 0)
			fail_msg("accepted %s", bad[i]);
		assert_true(err[0] != '\0');
	}
}

static void test_error_text(void **state)
{
	char msg[256];
	cni_error_text("{\"code\":999,\"msg\":\"no\\naddress\",\"details\":\"range full\"}", msg,
	               sizeof(msg));
	assert_string_equal(msg, "no address: range full");
	cni_error_text("plain failure\n\n", msg, sizeof(msg));
	assert_string_equal(msg, "plain failure");
	char small[8];
	cni_error_text("{\"msg\":\"0123456789\"}", small, sizeof(small));
	assert_string_equal(small, "0123456");
}

static const char *LIST =
    "{\"cniVersion\":\"1.0.0\",\"name\":\"net1\",\"plugins\":[{\"type\":\"bridge\",\"bridge\":"
    "\"br0\",\"name\":\"ignored\",\"args\":{\"x\":1}},{\"type\":\"portmap\",\"capabilities\":"
    "{\"portMappings\":true}}]}";

static void test_conflist(void **state)
{
	struct cni_conflist l;
	char err[256];
	assert_int_equal(cni_conflist_parse(LIST, &l, err, sizeof(err)), 0);
	assert_string_equal(l.name, "net1");
	assert_int_equal(l.n, 2);
	struct cni_port port = {.host_port = 8080, .container_port = 80, .proto = "tcp"};
	struct cni_runtime rt = {
	    .ip = "10.0.0.7", .mac = "02:00:00:00:00:07", .ports = &port, .n_ports = 1};
	char *in = cni_plugin_stdin(&l, 0, NULL, &rt);
	yajl_val v = json_parse(in, NULL, 0);
	assert_non_null(v);
	assert_string_equal(json_get_str(v, "name"), "net1");
	assert_string_equal(json_get_str(v, "cniVersion"), "1.0.0");
	assert_string_equal(json_get_str(v, "bridge"), "br0");
	/* The plugin's own "args" gives way to the container's. */
	yajl_val cni = json_get(json_get(v, "args"), "cni");
	assert_string_equal(json_get_str(cni, "mac"), "02:00:00:00:00:07");
	assert_null(json_get(v, "prevResult"));
	assert_null(json_get(v, "runtimeConfig")); /* bridge has no portMappings capability */
	yajl_tree_free(v);
	free(in);
	in = cni_plugin_stdin(&l, 1, RESULT, &rt);
	v = json_parse(in, NULL, 0);
	assert_non_null(json_get(json_get(v, "prevResult"), "ips"));
	yajl_val pm = json_get(json_get(v, "runtimeConfig"), "portMappings");
	assert_non_null(pm);
	assert_int_equal(json_get_int(pm->u.array.values[0], "hostPort", 0), 8080);
	yajl_tree_free(v);
	free(in);
	assert_null(cni_plugin_stdin(&l, 1, "not json", &rt));
	cni_conflist_free(&l);
	const char *bad[] = {
	    "{}",
	    "{\"cniVersion\":\"1.0.0\",\"name\":\"-x\",\"plugins\":[{\"type\":\"bridge\"}]}",
	    "{\"cniVersion\":\"1.0.0\",\"name\":\"x\",\"plugins\":[]}",
	    "{\"cniVersion\":\"1.0.0\",\"name\":\"x\",\"plugins\":[{\"type\":\"../bin/sh\"}]}",
	    "{\"cniVersion\":\"1.0.0\",\"name\":\"x\",\"plugins\":[{\"type\":\".hidden\"}]}",
	    "{\"name\":\"x\",\"plugins\":[{\"type\":\"bridge\"}]}",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (cni_conflist_parse(bad[i], &l, err, sizeof(err)) == 0)
			fail_msg("accepted %s", bad[i]);
	}
	assert_true(cni_name_ok("my-net.1_a"));
	assert_false(cni_name_ok("a/b"));
	assert_false(cni_name_ok(""));
}

static void test_port_spec(void **state)
{
	struct cni_port p;
	char err[256];
	assert_int_equal(port_spec_parse("8080:80", &p, err, sizeof(err)), 0);
	assert_int_equal(p.host_port, 8080);
	assert_int_equal(p.container_port, 80);
	assert_string_equal(p.proto, "tcp");
	assert_string_equal(p.host_ip, "");
	assert_int_equal(port_spec_parse("127.0.0.1:53:5353/udp", &p, err, sizeof(err)), 0);
	assert_string_equal(p.host_ip, "127.0.0.1");
	assert_string_equal(p.proto, "udp");
	const char *bad[] = {"80",        "0:80",      "80:65536", "a:80", "80:80/sctp",
	                     "1.2.3:1:2", "::1:80:80", "80:80/",   ":80",  "8080:80:90"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (port_spec_parse(bad[i], &p, err, sizeof(err)) == 0)
			fail_msg("accepted %s", bad[i]);
		assert_non_null(strstr(err, bad[i]));
	}
}

/* Fake plugins: each records its command and environment, and answers with its stdin's
 * prevResult (or a result of its own); "failer" fails ADD. */
static char g_dir[64];

static void write_plugin(const char *name, const char *body)
{
	char path[128];
	snprintf(path, sizeof(path), "%s/%s", g_dir, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "#!/bin/sh\n%s", body);
	fclose(f);
	chmod(path, 0755);
}

static int setup_plugins(void **state)
{
	snprintf(g_dir, sizeof(g_dir), "/tmp/test-cni.XXXXXX");
	if (!mkdtemp(g_dir))
		return -1;
	write_plugin("first",
	             "echo \"$CNI_COMMAND $CNI_CONTAINERID $CNI_NETNS $CNI_IFNAME $CNI_PATH\" "
	             ">>\"$(dirname \"$0\")/log\"\ncat >\"$(dirname \"$0\")/first.in\"\n"
	             "echo '{\"cniVersion\":\"1.0.0\",\"ips\":[{\"address\":\"10.9.0.2/16\"}]}'\n");
	write_plugin("second", "echo \"$CNI_COMMAND second\" >>\"$(dirname \"$0\")/log\"\n"
	                       "cat >\"$(dirname \"$0\")/second.in\"\n"
	                       "echo '{\"cniVersion\":\"1.0.0\",\"ips\":[{\"address\":"
	                       "\"10.9.0.2/16\",\"gateway\":\"10.9.0.1\"}]}'\n");
	write_plugin("failer", "echo \"$CNI_COMMAND failer\" >>\"$(dirname \"$0\")/log\"\n"
	                       "[ \"$CNI_COMMAND\" = DEL ] && exit 0\n"
	                       "echo '{\"code\":11,\"msg\":\"no luck\"}'; exit 1\n");
	return 0;
}

static int teardown_plugins(void **state)
{
	remove_tree(g_dir);
	return 0;
}

static char *read_log(void)
{
	char path[128];
	snprintf(path, sizeof(path), "%s/log", g_dir);
	char *t = read_file(path, 1 << 16, NULL);
	unlink(path);
	return t;
}

static void test_exec_chain(void **state)
{
	const char *text = "{\"cniVersion\":\"1.0.0\",\"name\":\"n\",\"plugins\":[{\"type\":"
	                   "\"first\"},{\"type\":\"second\"}]}";
	struct cni_conflist l;
	char err[512];
	assert_int_equal(cni_conflist_parse(text, &l, err, sizeof(err)), 0);
	char *dirs[] = {"/nonexistent", g_dir, NULL};
	struct cni_call call = {
	    .container_id = "abc", .netns = "/ns/x", .ifname = "eth0", .bin_dirs = dirs};
	char *result = NULL;
	assert_int_equal(cni_add(&l, &call, &result, err, sizeof(err)), 0);
	assert_non_null(strstr(result, "10.9.0.1")); /* the last plugin's result */
	char *log = read_log();
	char want[256];
	snprintf(want, sizeof(want), "ADD abc /ns/x eth0 /nonexistent:%s\nADD second\n", g_dir);
	assert_string_equal(log, want);
	free(log);
	char path[128];
	snprintf(path, sizeof(path), "%s/second.in", g_dir);
	char *in = read_file(path, 1 << 16, NULL);
	yajl_val v = json_parse(in, NULL, 0);
	/* The second plugin got the first one's result. */
	assert_non_null(json_get(v, "prevResult"));
	assert_null(json_get_str(json_get(v, "prevResult"), "gateway"));
	yajl_tree_free(v);
	free(in);
	assert_int_equal(cni_del(&l, &call, result, err, sizeof(err)), 0);
	log = read_log();
	assert_string_equal(strstr(log, "DEL second\nDEL abc") ? "ok" : log, "ok");
	free(log);
	free(result);
	cni_conflist_free(&l);
}

static void test_exec_failure_undone(void **state)
{
	const char *text = "{\"cniVersion\":\"1.0.0\",\"name\":\"n\",\"plugins\":[{\"type\":"
	                   "\"first\"},{\"type\":\"failer\"}]}";
	struct cni_conflist l;
	char err[512];
	assert_int_equal(cni_conflist_parse(text, &l, err, sizeof(err)), 0);
	char *dirs[] = {g_dir, NULL};
	struct cni_call call = {
	    .container_id = "abc", .netns = "/ns/x", .ifname = "eth0", .bin_dirs = dirs};
	char *result = NULL;
	assert_int_equal(cni_add(&l, &call, &result, err, sizeof(err)), -1);
	assert_null(result);
	assert_non_null(strstr(err, "no luck"));
	char *log = read_log();
	/* ADD first, ADD failer, then DEL failer and DEL first. */
	assert_non_null(strstr(log, "ADD failer\nDEL failer\nDEL abc"));
	free(log);
	cni_conflist_free(&l);
	/* A missing plugin is named with the dirs, before anything runs. */
	text = "{\"cniVersion\":\"1.0.0\",\"name\":\"n\",\"plugins\":[{\"type\":\"first\"},"
	       "{\"type\":\"nosuch\"}]}";
	assert_int_equal(cni_conflist_parse(text, &l, err, sizeof(err)), 0);
	assert_int_equal(cni_add(&l, &call, &result, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "\"nosuch\" not found"));
	assert_non_null(strstr(err, g_dir));
	log = read_log();
	assert_null(log);
	cni_conflist_free(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_result_parse),
	    cmocka_unit_test(test_result_refused),
	    cmocka_unit_test(test_error_text),
	    cmocka_unit_test(test_conflist),
	    cmocka_unit_test(test_port_spec),
	    cmocka_unit_test_setup_teardown(test_exec_chain, setup_plugins, teardown_plugins),
	    cmocka_unit_test_setup_teardown(test_exec_failure_undone, setup_plugins,
	                                    teardown_plugins),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
