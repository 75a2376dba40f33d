/* --hugetlb-limit: the flag syntax (lib/engine/hugetlb_spec), the host's page sizes as the
 * kernel shows them (lib/host/hugetlb: /sys/kernel/mm/hugepages names, /proc/meminfo), the API
 * model and the lines for liblxc, v1 and v2 (hugetlb.<size>.max, the v2 file name). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "engine/daemon/hugetlb_config.h"
#include "engine/hugetlb_spec.h"
#include "engine/lxc_conf.h"
#include "host/hugetlb.h"

static void host_texts(void **state)
{
	uint64_t b = 0;
	assert_int_equal(hugetlb_size_of_dirname("hugepages-2048kB", &b), 0);
	assert_int_equal(b, 2 << 20);
	assert_int_equal(hugetlb_size_of_dirname("hugepages-1048576kB", &b), 0);
	assert_int_equal(b, 1ULL << 30);
	assert_int_equal(hugetlb_size_of_dirname("hugepages-64kB", &b), 0);
	assert_int_equal(b, 64 << 10);
	assert_int_equal(hugetlb_size_of_dirname("hugepages-kB", &b), -1);
	assert_int_equal(hugetlb_size_of_dirname("hugepages-2048MB", &b), -1);
	assert_int_equal(hugetlb_size_of_dirname(".", &b), -1);
	const char *meminfo = "MemTotal:        4000000 kB\nHugePages_Total:       0\n"
	                      "Hugepagesize:       2048 kB\nHugetlb:               0 kB\n";
	assert_int_equal(hugetlb_default_size_of(meminfo), 2 << 20);
	assert_int_equal(hugetlb_default_size_of("MemTotal: 1 kB\n"), 0);
	char name[32];
	hugetlb_size_name(2 << 20, name, sizeof(name));
	assert_string_equal(name, "2MB");
	hugetlb_size_name(1ULL << 30, name, sizeof(name));
	assert_string_equal(name, "1GB");
	hugetlb_size_name(64 << 10, name, sizeof(name));
	assert_string_equal(name, "64KB");
	hugetlb_size_name(32ULL << 20, name, sizeof(name));
	assert_string_equal(name, "32MB");
}

static void flag_syntax(void **state)
{
	char err[512], *ps;
	int64_t limit;
	assert_int_equal(hugetlb_spec_parse("2MB:32MB", &ps, &limit, err, sizeof(err)), 0);
	assert_string_equal(ps, "2MB");
	assert_int_equal(limit, 32 << 20);
	free(ps);
	assert_int_equal(hugetlb_spec_parse("1g", &ps, &limit, err, sizeof(err)), 0);
	assert_string_equal(ps, "");
	assert_int_equal(limit, 1 << 30);
	free(ps);
	const char *bad[][2] = {{"3MB:1g", "page size '3MB' is not a size"},
	                        {"2MB:", "expected [PAGESIZE:]LIMIT"},
	                        {"2MB:0", "greater than 0"},
	                        {":1g", "page size '' is not a size"},
	                        {"1k:1g", "page size '1k'"},
	                        {"2MB:1g:3", "expected [PAGESIZE:]LIMIT"}};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ps = (char *)"untouched";
		if (hugetlb_spec_parse(bad[i][0], &ps, &limit, err, sizeof(err)) != -1)
			fail_msg("accepted %s", bad[i][0]);
		assert_null(ps);
		if (!strstr(err, bad[i][1]))
			fail_msg("error for %s is \"%s\", expected \"%s\"", bad[i][0], err,
			         bad[i][1]);
	}
}

static int parse_text(const char *json, struct hugetlb_config *h, char *err, size_t errlen)
{
	yajl_val v = json_parse(json, err, errlen);
	assert_non_null(v);
	int ret = hugetlb_config_parse(v, h, err, errlen);
	yajl_tree_free(v);
	return ret;
}

static void model_and_lines(void **state)
{
	struct hugetlb_config h;
	char err[512] = "";
	assert_int_equal(parse_text("{\"Hugetlbs\": [{\"PageSize\": \"2m\", \"Limit\": 33554432},"
	                            " {\"PageSize\": \"1GB\", \"Limit\": 1073741824}]}",
	                            &h, err, sizeof(err)),
	                 0);
	assert_int_equal(h.n, 2);
	assert_string_equal(h.v[0].page_size, "2MB"); /* the kernel's name */
	struct strbuf f = {0}, hybrid = {0};
	lxc_conf_begin();
	hugetlb_lxc_config(&f, &h, true, false, &hybrid);
	hugetlb_lxc_config(&f, &h, false, false, &hybrid);
	assert_int_equal(lxc_conf_end(err, sizeof(err)), 0);
	char *text = strbuf_take(&f);
	/* v2: hugetlb.<size>.max (Documentation/admin-guide/cgroup-v2.rst); v1:
	 * hugetlb.<size>.limit_in_bytes. */
	assert_string_equal(text, "lxc.cgroup2.hugetlb.2MB.max = 33554432\n"
	                          "lxc.cgroup2.hugetlb.1GB.max = 1073741824\n"
	                          "lxc.cgroup.hugetlb.2MB.limit_in_bytes = 33554432\n"
	                          "lxc.cgroup.hugetlb.1GB.limit_in_bytes = 1073741824\n");
	free(text);
	assert_int_equal(hybrid.len, 0);
	/* Hybrid, hugetlb in the v2 tree: the hook's lines, no lxc.cgroup2 line. */
	lxc_conf_begin();
	hugetlb_lxc_config(&f, &h, true, true, &hybrid);
	assert_int_equal(lxc_conf_end(err, sizeof(err)), 0);
	assert_int_equal(f.len, 0);
	text = strbuf_take(&hybrid);
	assert_string_equal(text, "hugetlb.2MB.max 33554432\nhugetlb.1GB.max 1073741824\n");
	free(text);
	strbuf_free(&f);
	hugetlb_config_free(&h);
	assert_int_equal(parse_text("{\"Hugetlbs\": [{\"PageSize\": \"\", \"Limit\": 1}]}", &h, err,
	                            sizeof(err)),
	                 0);
	assert_string_equal(h.v[0].page_size, ""); /* resolved at create: the host's default */
	hugetlb_config_free(&h);
	const char *bad[][2] = {
	    {"{\"Hugetlbs\": [{\"PageSize\": \"7MB\", \"Limit\": 1}]}", "page size '7MB'"},
	    {"{\"Hugetlbs\": [{\"PageSize\": \"2MB\", \"Limit\": 0}]}", "limit 0 for page size"},
	    {"{\"Hugetlbs\": [{\"PageSize\": \"2MB\"}]}", "limit -1"},
	    {"{\"Hugetlbs\": {}}", "must be an array"}};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (parse_text(bad[i][0], &h, err, sizeof(err)) != -1)
			fail_msg("accepted %s", bad[i][0]);
		if (!strstr(err, bad[i][1]))
			fail_msg("error for %s is \"%s\", expected \"%s\"", bad[i][0], err,
			         bad[i][1]);
		hugetlb_config_free(&h);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(host_texts),
	    cmocka_unit_test(flag_syntax),
	    cmocka_unit_test(model_and_lines),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
