/* --mount: Docker's CSV syntax (lib/engine/mount_spec) and the API's Mounts entries
 * (engine/daemon/mount_config), with the same rules. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "engine/daemon/mount_config.h"
#include "engine/mount_spec.h"

static void parse_ok(const char *text, struct mount_spec *m)
{
	char err[1024] = "";
	if (mount_spec_parse(text, m, err, sizeof(err)) != 0)
		fail_msg("mount_spec_parse(\"%s\") failed: %s", text, err);
}

static void parse_bad(const char *text, const char *want)
{
	struct mount_spec m;
	char err[1024] = "";
	if (mount_spec_parse(text, &m, err, sizeof(err)) != -1)
		fail_msg("mount_spec_parse(\"%s\") accepted", text);
	assert_null(m.source);
	assert_null(m.target);
	if (!strstr(err, want))
		fail_msg("error for \"%s\" is \"%s\", expected \"%s\"", text, err, want);
}

static void flag_syntax(void **state)
{
	struct mount_spec m;
	parse_ok("type=bind,source=/a,target=/b,readonly,bind-propagation=rslave", &m);
	assert_int_equal(m.type, MOUNT_BIND);
	assert_string_equal(m.source, "/a");
	assert_string_equal(m.target, "/b");
	assert_true(m.readonly);
	assert_string_equal(m.propagation, "rslave");
	assert_false(m.nonrecursive);
	mount_spec_free(&m);
	parse_ok("Type=bind,SRC=/a,Destination=/b,ro=false,bind-nonrecursive,consistency=cached",
	         &m);
	assert_false(m.readonly);
	assert_true(m.nonrecursive);
	mount_spec_free(&m);
	parse_ok("type=tmpfs,dst=/t,tmpfs-size=64m,tmpfs-mode=1770", &m);
	assert_int_equal(m.type, MOUNT_TMPFS);
	assert_null(m.source);
	assert_int_equal(m.tmpfs_size, 64 << 20);
	assert_int_equal(m.tmpfs_mode, 01770);
	mount_spec_free(&m);
	/* encoding/csv quoting: a quoted field may hold a comma and a doubled quote. */
	parse_ok("type=bind,\"src=/a,b\",dst=/c", &m);
	assert_string_equal(m.source, "/a,b");
	mount_spec_free(&m);
	parse_ok("\"src=/a\"\"b\",type=bind,dst=/c", &m);
	assert_string_equal(m.source, "/a\"b");
	mount_spec_free(&m);
	parse_bad("type=volume,src=v,dst=/v", "Invalid mount type 'volume': not supported");
	parse_bad("type=squashfs,src=/i,dst=/v", "'squashfs': not supported (no images here)");
	parse_bad("type=npipe,src=/i,dst=/v", "not supported on Linux");
	parse_bad("type=nfs,src=/i,dst=/v", "'nfs': unknown");
	parse_bad("src=/a,dst=/v", "type is required");
	parse_bad("type=bind,dst=/v", "type bind needs a source");
	parse_bad("type=bind,src=/a", "target (dst) is required");
	parse_bad("type=bind,src=a,dst=/v", "source 'a' must be an absolute path");
	parse_bad("type=bind,src=/a b,dst=/v", "source '/a b' must be an absolute path");
	parse_bad("type=tmpfs,dst=/", "target can't be '/'");
	parse_bad("type=tmpfs,src=/a,dst=/v", "takes no source");
	parse_bad("type=tmpfs,dst=/v,bind-propagation=shared", "need type=bind");
	parse_bad("type=bind,src=/a,dst=/v,tmpfs-mode=700", "need type=tmpfs");
	parse_bad("type=tmpfs,dst=/v,tmpfs-mode=8", "tmpfs-mode '8'");
	parse_bad("type=tmpfs,dst=/v,tmpfs-mode=17777", "tmpfs-mode '17777'");
	parse_bad("type=tmpfs,dst=/v,tmpfs-size=big", "tmpfs-size 'big'");
	parse_bad("type=bind,src=/a,dst=/v,readonly=maybe",
	          "readonly=maybe: expected true or false");
	parse_bad("type=bind,src=/a,dst=/v,bind-propagation=up", "bind-propagation 'up'");
	parse_bad("type=bind,src=/a,dst=/v,volume-nocopy", "must be a key=value pair");
	parse_bad("type=bind,src=/a,dst=/v,volume-driver=x", "volume-driver needs type=volume");
	parse_bad("type=bind,src=/a,dst=/v,", "field '' must be a key=value pair");
	parse_bad("type=bind,src=/a,dst=/v,x=1", "unexpected key 'x'");
	parse_bad("type=bind,\"src=/a,dst=/v", "malformed field");
	parse_bad("type=bind,src=/a\"b,dst=/v", "malformed field");
}

static int parse_json(const char *json, struct mount_config *m, char *err, size_t errlen)
{
	yajl_val v = json_parse(json, err, errlen);
	assert_non_null(v);
	int ret = mount_config_parse(v, m, err, errlen);
	yajl_tree_free(v);
	return ret;
}

static void api_model(void **state)
{
	struct mount_config m;
	char err[1024] = "";
	assert_int_equal(
	    parse_json("{\"Mounts\": [{\"Type\": \"bind\", \"Source\": \"/a/../b/\", \"Target\": "
	               "\"/c/\", \"ReadOnly\": true, \"BindOptions\": {\"Propagation\": "
	               "\"rshared\"}}, {\"Type\": \"tmpfs\", \"Source\": null, \"Target\": \"/t\", "
	               "\"TmpfsOptions\": {\"SizeBytes\": 1048576, \"Mode\": 1016}}]}",
	               &m, err, sizeof(err)),
	    0);
	assert_int_equal(m.n, 2);
	assert_string_equal(m.v[0].source, "/b"); /* cleaned */
	assert_string_equal(m.v[0].target, "/c");
	assert_string_equal(m.v[0].propagation, "rshared");
	assert_int_equal(m.v[1].tmpfs_mode, 01770);
	yajl_gen g = yajl_gen_alloc(NULL);
	yajl_gen_map_open(g);
	mount_config_gen(g, &m);
	yajl_gen_map_close(g);
	char *text = jg_finish(g, NULL);
	assert_string_equal(text, "{\"Mounts\":[{\"Type\":\"bind\",\"Source\":\"/b\",\"Target\":"
	                          "\"/c\",\"ReadOnly\":true,\"BindOptions\":{\"Propagation\":"
	                          "\"rshared\"}},{\"Type\":\"tmpfs\",\"Source\":\"\",\"Target\":"
	                          "\"/t\",\"ReadOnly\":false,\"TmpfsOptions\":{\"SizeBytes\":"
	                          "1048576,\"Mode\":1016}}]}");
	free(text);
	mount_config_free(&m);
	const char *bad[][2] = {
	    {"{\"Mounts\": [{\"Type\": \"volume\", \"Source\": \"v\", \"Target\": \"/v\"}]}",
	     "Mounts entry 1): Invalid mount type 'volume'"},
	    {"{\"Mounts\": [{\"Type\": \"tmpfs\", \"Target\": \"/v\", \"BindOptions\": {}}]}",
	     "BindOptions need type bind"},
	    {"{\"Mounts\": [{\"Type\": \"bind\", \"Source\": \"/a\", \"Target\": \"/v\", "
	     "\"TmpfsOptions\": {}}]}",
	     "TmpfsOptions need type tmpfs"},
	    {"{\"Mounts\": [{\"Type\": \"tmpfs\", \"Target\": \"/v\", \"TmpfsOptions\": "
	     "{\"Mode\": 4096}}]}",
	     "tmpfs-mode 4096"},
	    {"{\"Mounts\": [{\"Type\": \"tmpfs\", \"Target\": \"/v\", \"TmpfsOptions\": "
	     "{\"SizeBytes\": -1}}]}",
	     "tmpfs-size -1"},
	    {"{\"Mounts\": [{\"Type\": \"tmpfs\", \"Target\": \"/v\"}, {\"Type\": \"tmpfs\", "
	     "\"Target\": \"/x/../v\"}]}",
	     "Mounts entry 2): duplicate mount point /v"},
	    {"{\"Mounts\": [{\"Type\": \"bind\", \"Source\": \"/a\", \"Target\": \"/v\", "
	     "\"BindOptions\": {\"Propagation\": \"up\"}}]}",
	     "Propagation 'up'"},
	    {"{\"Mounts\": [7]}", "must be an object"},
	    {"{\"Mounts\": {}}", "Mounts must be an array"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (parse_json(bad[i][0], &m, err, sizeof(err)) != -1)
			fail_msg("accepted %s", bad[i][0]);
		if (!strstr(err, bad[i][1]))
			fail_msg("error for %s is \"%s\", expected \"%s\"", bad[i][0], err,
			         bad[i][1]);
		mount_config_free(&m);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(flag_syntax),
	    cmocka_unit_test(api_model),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
