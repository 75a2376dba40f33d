#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/engine_state.h"
#include "core/fileutil.h"

#define ID_A "aaaa1111111111111111111111111111111111111111111111111111111111aa"
#define ID_B "aaaa2222222222222222222222222222222222222222222222222222222222bb"
#define ID_C "cccc3333333333333333333333333333333333333333333333333333333333cc"

static char g_graph[64];

static void put(const char *dir, const char *file, const char *text)
{
	char path[256];
	snprintf(path, sizeof(path), "%s/engines/lcr/%s", g_graph, dir);
	assert_int_equal(mkdir_p(path, 0700), 0);
	if (!file)
		return;
	snprintf(path, sizeof(path), "%s/engines/lcr/%s/%s", g_graph, dir, file);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int setup(void **state)
{
	snprintf(g_graph, sizeof(g_graph), "/tmp/test_engine_state.XXXXXX");
	if (!mkdtemp(g_graph))
		return -1;
	put(ID_A, "config.v2.json",
	    "{\"ID\":\"" ID_A "\",\"Name\":\"web\",\"State\":{\"Running\":true,\"Pid\":123}}");
	put(ID_B, "config.v2.json",
	    "{\"ID\":\"" ID_B "\",\"Name\":\"/db\",\"State\":{\"Running\":false,\"Pid\":0}}");
	/* A container named like another's ID prefix. */
	put(ID_C, "config.v2.json",
	    "{\"ID\":\"" ID_C "\",\"Name\":\"aaaa\",\"State\":{\"Running\":true,\"Pid\":456}}");
	/* Skipped: not an ID, no state file, broken JSON, ID not matching its directory. */
	put("notanid", "config.v2.json", "{}");
	put("dddd444444444444444444444444444444444444444444444444444444444444", NULL, NULL);
	put("eeee555555555555555555555555555555555555555555555555555555555555", "config.v2.json",
	    "{\"ID\":");
	put("ffff666666666666666666666666666666666666666666666666666666666666", "config.v2.json",
	    "{\"ID\":\"" ID_A "\",\"Name\":\"x\",\"State\":{}}");
	return 0;
}

static int teardown(void **state)
{
	return remove_tree(g_graph);
}

static void loads_readable_containers_sorted(void **state)
{
	struct engine_containers cs;
	char err[256];
	assert_int_equal(engine_containers_load(g_graph, &cs, err, sizeof(err)), 0);
	assert_int_equal(cs.n, 3);
	assert_string_equal(cs.v[0].id, ID_A);
	assert_true(cs.v[0].running);
	assert_int_equal(cs.v[0].pid, 123);
	assert_string_equal(cs.v[1].name, "db");
	assert_false(cs.v[1].running);
	assert_int_equal(cs.v[1].pid, 0);
	engine_containers_free(&cs);
}

static void resolves_like_isula(void **state)
{
	struct engine_containers cs;
	char err[256];
	assert_int_equal(engine_containers_load(g_graph, &cs, err, sizeof(err)), 0);
	assert_ptr_equal(engine_containers_find(&cs, ID_B, err, sizeof(err)), &cs.v[1]);
	assert_ptr_equal(engine_containers_find(&cs, "web", err, sizeof(err)), &cs.v[0]);
	assert_ptr_equal(engine_containers_find(&cs, "db", err, sizeof(err)), &cs.v[1]);
	assert_ptr_equal(engine_containers_find(&cs, "aaaa2", err, sizeof(err)), &cs.v[1]);
	/* A name wins over an ID prefix. */
	assert_ptr_equal(engine_containers_find(&cs, "aaaa", err, sizeof(err)), &cs.v[2]);
	assert_null(engine_containers_find(&cs, "aaa", err, sizeof(err)));
	assert_non_null(strstr(err, "Multiple IDs found with provided prefix: aaa"));
	assert_non_null(strstr(err, "aaaa11111111"));
	assert_null(engine_containers_find(&cs, "nope", err, sizeof(err)));
	assert_string_equal(err, "No such container: nope");
	assert_null(engine_containers_find(&cs, "", err, sizeof(err)));
	engine_containers_free(&cs);
}

static void missing_graph_is_an_error(void **state)
{
	struct engine_containers cs;
	char err[256];
	assert_int_equal(engine_containers_load("/nonexistent-graph", &cs, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "/nonexistent-graph/engines/lcr"));
	assert_int_equal(cs.n, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(loads_readable_containers_sorted),
	    cmocka_unit_test(resolves_like_isula),
	    cmocka_unit_test(missing_graph_is_an_error),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
