#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "engine/authz_action.h"

static void engine_and_images(void **state)
{
	assert_string_equal(authz_action("GET", "/version"), "docker_version");
	assert_string_equal(authz_action("GET", "/v1.41/info"), "docker_info");
	assert_string_equal(authz_action("GET", "/events?since=1"), "docker_events");
	assert_string_equal(authz_action("GET", "/_ping"), "docker_ping");
	assert_string_equal(authz_action("POST", "/auth"), "login");
	assert_string_equal(authz_action("POST", "/images/create?fromImage=busybox"), "pull");
	assert_string_equal(authz_action("GET", "/images/json"), "image_list");
	assert_string_equal(authz_action("GET", "/images/library/busybox:1.36/json"),
	                    "image_inspect");
	assert_string_equal(authz_action("DELETE", "/v1.24/images/busybox"), "image_delete");
	assert_string_equal(authz_action("POST", "/images/load"), "image_load");
	assert_string_equal(authz_action("GET", "/images/search?term=x"), "image_search");
	assert_string_equal(authz_action("POST", "/images/busybox/tag"), "image_tag");
}

static void containers(void **state)
{
	assert_string_equal(authz_action("POST", "/v1.41/containers/create?name=a"),
	                    "container_create");
	assert_string_equal(authz_action("GET", "/v1.41/containers/json?all=1"), "container_list");
	assert_string_equal(authz_action("GET", "/containers/abc/json"), "container_inspect");
	assert_string_equal(authz_action("POST", "/containers/abc/start"), "container_start");
	assert_string_equal(authz_action("POST", "/containers/abc/stop?t=1"), "container_stop");
	assert_string_equal(authz_action("DELETE", "/containers/abc?force=1"), "container_delete");
	assert_string_equal(authz_action("GET", "/containers/abc/logs"), "container_logs");
	assert_string_equal(authz_action("GET", "/containers/abc/top"), "container_top");
	assert_string_equal(authz_action("POST", "/containers/abc/exec"), "container_exec_create");
	assert_string_equal(authz_action("POST", "/exec/e1/start"), "container_exec_start");
	assert_string_equal(authz_action("POST", "/exec/e1/resize"), "container_exec_resize");
	assert_string_equal(authz_action("PUT", "/containers/abc/archive?path=/"),
	                    "container_archive_extract");
	assert_string_equal(authz_action("HEAD", "/containers/abc/archive"),
	                    "container_archive_info");
	assert_string_equal(authz_action("GET", "/containers/abc/archive"), "container_archive");
	assert_string_equal(authz_action("GET", "/containers/abc/attach/ws"),
	                    "container_attach_websocket");
	assert_string_equal(authz_action("POST", "/containers/abc/attach"), "container_attach");
	assert_string_equal(authz_action("GET", "/containers/abc/stats"), "container_stats");
	assert_string_equal(authz_action("POST", "/containers/abc/rename?name=b"),
	                    "container_rename");
	assert_string_equal(authz_action("POST", "/volumes/prune"), "volume_prune");
	assert_string_equal(authz_action("GET", "/networks"), "network_list");
	assert_string_equal(authz_action("GET", "/networks/n1"), "network_inspect");
}

static void no_match(void **state)
{
	assert_string_equal(authz_action("POST", "/containers/json"), ""); /* wrong method */
	assert_string_equal(authz_action("GET", "/containers//json"), ""); /* empty id */
	assert_string_equal(authz_action("GET", "/containers/a b/json"), "");
	assert_string_equal(authz_action("GET", "/vX/containers/json"), "");
	assert_string_equal(authz_action("GET", "/v1./containers/json"), "");
	assert_string_equal(authz_action("GET", "/foo/containers/json"), "");
	assert_string_equal(authz_action("GET", ""), "");
	assert_string_equal(authz_action(NULL, "/version"), "");
	assert_string_equal(authz_action("GET", NULL), "");
	assert_string_equal(authz_action("get", "/version"), "");
}

/* The method isulad sends beside user:action: a plain upper-case token, nothing else. */
static void method_token(void **state)
{
	(void)state;
	assert_true(authz_method_ok("GET"));
	assert_true(authz_method_ok("DELETE"));
	assert_true(authz_method_ok("ABCDEFGHIJKLMNOP")); /* 16 */
	assert_false(authz_method_ok("ABCDEFGHIJKLMNOPQ"));
	assert_false(authz_method_ok(NULL));
	assert_false(authz_method_ok(""));
	assert_false(authz_method_ok("get"));
	assert_false(authz_method_ok("GET;x"));
	assert_false(authz_method_ok("GET\r\nX-Evil: 1"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(engine_and_images),
	    cmocka_unit_test(containers),
	    cmocka_unit_test(no_match),
	    cmocka_unit_test(method_token),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
