#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "engine/hook_state.h"

static void parses_the_oci_state(void **state)
{
	struct hook_state st;
	char err[256];
	const char *json = "{\"ociVersion\":\"1.0.2\",\"id\":\"abc\",\"status\":\"created\","
	                   "\"pid\":4242,\"bundle\":\"/run/b\",\"annotations\":{\"k\":\"v\"}}";
	assert_int_equal(hook_state_parse(json, &st, err, sizeof(err)), 0);
	assert_int_equal(st.pid, 4242);
	assert_string_equal(st.id, "abc");
	assert_string_equal(st.status, "created");
	assert_string_equal(st.bundle, "/run/b");
	assert_null(st.root);
	hook_state_free(&st);
}

static void keeps_the_root_of_isulads_liblxc(void **state)
{
	struct hook_state st;
	char err[256];
	assert_int_equal(
	    hook_state_parse("{\"pid\":7,\"root\":\"/usr/lib/lxc/rootfs\"}", &st, err, sizeof(err)),
	    0);
	assert_string_equal(st.root, "/usr/lib/lxc/rootfs");
	assert_null(st.id);
	hook_state_free(&st);
}

static void rejects_bad_states(void **state)
{
	struct hook_state st;
	char err[256];
	static const struct {
		const char *json, *msg;
	} cases[] = {
	    {"{\"id\":\"a\"}", "\"pid\" must be a positive integer"},
	    {"{\"pid\":0}", "\"pid\" must be a positive integer"},
	    {"{\"pid\":-5}", "\"pid\" must be a positive integer"},
	    {"{\"pid\":\"12\"}", "\"pid\" must be a positive integer"},
	    {"{\"pid\":1.5}", "\"pid\" must be a positive integer"},
	    {"{\"pid\":99999999999}", "\"pid\" must be a positive integer"},
	    {"{\"pid\":3,\"id\":7}", "\"id\" must be a string"},
	    {"{\"pid\":3,\"root\":\"rel/path\"}", "\"root\" must be an absolute path"},
	    {"[1,2]", "not a JSON object"},
	    {"{\"pid\":", "not JSON"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		err[0] = '\0';
		assert_int_equal(hook_state_parse(cases[i].json, &st, err, sizeof(err)), -1);
		if (!strstr(err, cases[i].msg))
			fail_msg("%s: got \"%s\", want \"%s\"", cases[i].json, err, cases[i].msg);
		assert_null(st.id);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(parses_the_oci_state),
	    cmocka_unit_test(keeps_the_root_of_isulads_liblxc),
	    cmocka_unit_test(rejects_bad_states),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
