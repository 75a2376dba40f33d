/* The per-device block IO options: the flag syntax (lib/engine/blkio_spec), the API model
 * (engine/daemon/blkio_config) and the lines generated for liblxc, on a v1 host and on a v2
 * one, whose file names are checked against the v2 io controller's. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/daemon/blkio_config.h"
#include "core/json.h"
#include "engine/lxc_conf.h"
#include "host/cgroup_v2_values.h"

/* The files of the cgroup v2 io controller (Documentation/admin-guide/cgroup-v2.rst, and
 * bfq's io.bfq.weight); what a v2 line writes must be one of them. */
static const char *const g_v2_io_files[] = {"io.stat",       "io.max",        "io.weight",
                                            "io.bfq.weight", "io.latency",    "io.pressure",
                                            "io.cost.qos",   "io.cost.model", "io.prio.class"};

static void spec_ok(enum blkio_kind k, const char *spec, const char *path, int64_t value)
{
	char err[512] = "", *p = NULL;
	int64_t v = -1;
	if (blkio_spec_parse(k, spec, &p, &v, err, sizeof(err)) != 0)
		fail_msg("blkio_spec_parse(\"%s\") failed: %s", spec, err);
	assert_string_equal(p, path);
	assert_int_equal(v, value);
	free(p);
}

static void spec_bad(enum blkio_kind k, const char *spec, const char *want)
{
	char err[512] = "", *p = (char *)"untouched";
	int64_t v = 7;
	if (blkio_spec_parse(k, spec, &p, &v, err, sizeof(err)) != -1)
		fail_msg("blkio_spec_parse(\"%s\") accepted", spec);
	assert_null(p);
	if (!strstr(err, want))
		fail_msg("error for \"%s\" is \"%s\", expected \"%s\"", spec, err, want);
}

static void flag_syntax(void **state)
{
	spec_ok(BLKIO_READ_BPS, "/dev/sda:1mb", "/dev/sda", 1048576);
	spec_ok(BLKIO_WRITE_BPS, "/dev/sda:512k", "/dev/sda", 524288);
	spec_ok(BLKIO_WRITE_BPS, "/dev/sda:1.5KiB", "/dev/sda", 1536);
	spec_ok(BLKIO_READ_BPS, "/dev/disk/by-path/pci-0:0:1:1mb", "/dev/disk/by-path/pci-0:0:1",
	        1048576);
	spec_ok(BLKIO_READ_IOPS, "/dev/vdb:1000", "/dev/vdb", 1000);
	spec_ok(BLKIO_WEIGHT_DEVICE, "/dev/sda:10", "/dev/sda", 10);
	spec_ok(BLKIO_WEIGHT_DEVICE, "/dev/sda:1000", "/dev/sda", 1000);
	spec_bad(BLKIO_WEIGHT_DEVICE, "/dev/sda:9", "allowed is a weight from 10 to 1000");
	spec_bad(BLKIO_WEIGHT_DEVICE, "/dev/sda:1001", "value 1001 for /dev/sda");
	spec_bad(BLKIO_WEIGHT_DEVICE, "/dev/sda", "expected DEVICE:VALUE");
	spec_bad(BLKIO_READ_BPS, "/dev/sda:", "Invalid --device-read-bps '/dev/sda:'");
	spec_bad(BLKIO_READ_BPS, ":1mb", "expected DEVICE:VALUE");
	spec_bad(BLKIO_READ_BPS, "/dev/sda:-1", "expected DEVICE:VALUE");
	spec_bad(BLKIO_READ_BPS, "/dev/sda:0", "allowed is a positive rate");
	spec_bad(BLKIO_WRITE_IOPS, "/dev/sda:1.5", "Invalid --device-write-iops");
	spec_bad(BLKIO_WRITE_IOPS, "/dev/sda:+5", "Invalid --device-write-iops");
	spec_bad(BLKIO_READ_IOPS, "sda:5", "expected an absolute path");
}

static int parse_text(const char *json, struct blkio_config *b, char *err, size_t errlen)
{
	yajl_val v = json_parse(json, err, errlen);
	assert_non_null(v);
	int ret = blkio_config_parse(v, b, err, errlen);
	yajl_tree_free(v);
	return ret;
}

static void api_model(void **state)
{
	struct blkio_config b;
	char err[512] = "";
	assert_int_equal(parse_text("{\"BlkioWeightDevice\": [{\"Path\": \"/dev/a\", \"Weight\": "
	                            "300}], \"BlkioDeviceReadBps\": null, \"BlkioDeviceWriteIOps\":"
	                            " [{\"Path\": \"/dev/b\", \"Rate\": 20}]}",
	                            &b, err, sizeof(err)),
	                 0);
	assert_int_equal(b.n[BLKIO_WEIGHT_DEVICE], 1);
	assert_int_equal(b.dev[BLKIO_WEIGHT_DEVICE][0].value, 300);
	assert_int_equal(b.n[BLKIO_READ_BPS], 0);
	assert_string_equal(b.dev[BLKIO_WRITE_IOPS][0].path, "/dev/b");
	yajl_gen g = yajl_gen_alloc(NULL);
	yajl_gen_map_open(g);
	blkio_config_gen(g, &b);
	yajl_gen_map_close(g);
	char *text = jg_finish(g, NULL);
	assert_non_null(
	    strstr(text, "\"BlkioWeightDevice\":[{\"Path\":\"/dev/a\",\"Weight\":300}]"));
	assert_non_null(strstr(text, "\"BlkioDeviceReadBps\":[]"));
	assert_non_null(
	    strstr(text, "\"BlkioDeviceWriteIOps\":[{\"Path\":\"/dev/b\",\"Rate\":20}]"));
	free(text);
	blkio_config_free(&b);
	const char *bad[][2] = {
	    {"{\"BlkioDeviceReadBps\": [{\"Path\": \"/dev/a\", \"Rate\": 0}]}",
	     "value 0 for /dev/a: allowed is a positive rate"},
	    {"{\"BlkioDeviceReadBps\": [{\"Path\": \"/dev/a\"}]}", "value -1 for /dev/a"},
	    {"{\"BlkioWeightDevice\": [{\"Path\": \"/dev/a\", \"Weight\": 2000}]}",
	     "weight from 10 to 1000"},
	    {"{\"BlkioDeviceWriteBps\": [{\"Rate\": 5}]}", "device path ''"},
	    {"{\"BlkioDeviceReadIOps\": {\"Path\": \"/dev/a\"}}", "must be an array"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		if (parse_text(bad[i][0], &b, err, sizeof(err)) != -1)
			fail_msg("accepted %s", bad[i][0]);
		if (!strstr(err, bad[i][1]))
			fail_msg("error for %s is \"%s\", expected \"%s\"", bad[i][0], err,
			         bad[i][1]);
		blkio_config_free(&b);
	}
}

/* /dev/a is 8:0, /dev/b 8:16; anything else is missing. */
static int fake_resolve(const char *path, unsigned *maj, unsigned *min, char *err, size_t errlen)
{
	*maj = 8;
	if (strcmp(path, "/dev/a") == 0 || strcmp(path, "/dev/b") == 0) {
		*min = path[5] == 'a' ? 0 : 16;
		return 0;
	}
	snprintf(err, errlen, "%s: No such file or directory", path);
	return -1;
}

static const char *fake_weight_problem(unsigned maj, unsigned min, const char *file, char *buf,
                                       size_t len)
{
	if (min == 0)
		return NULL;
	snprintf(buf, len, "the IO scheduler of the device (%u:%u) is none", maj, min);
	return buf;
}

static char *render(const char *json, const struct blkio_layout *l, char *err, size_t errlen)
{
	struct blkio_config b;
	assert_int_equal(parse_text(json, &b, err, errlen), 0);
	struct strbuf f = {0};
	lxc_conf_begin();
	int ret = blkio_lxc_config(&f, &b, l, err, errlen);
	assert_int_equal(lxc_conf_end(err, errlen), 0);
	blkio_config_free(&b);
	if (ret < 0) {
		strbuf_free(&f);
		return NULL;
	}
	return strbuf_take(&f);
}

static const char *g_all = "{\"BlkioDeviceReadBps\": [{\"Path\": \"/dev/a\", \"Rate\": 1048576}],"
                           "\"BlkioDeviceWriteBps\": [{\"Path\": \"/dev/a\", \"Rate\": 2097152}],"
                           "\"BlkioDeviceReadIOps\": [{\"Path\": \"/dev/b\", \"Rate\": 100}],"
                           "\"BlkioDeviceWriteIOps\": [{\"Path\": \"/dev/a\", \"Rate\": 200}],"
                           "\"BlkioWeightDevice\": [{\"Path\": \"/dev/a\", \"Weight\": 300}]}";

/* Every lxc.cgroup2 key of text names a file of the v2 io controller. */
static void assert_v2_files(const char *text)
{
	for (const char *l = text; (l = strstr(l, "lxc.cgroup2.")); l++) {
		l += strlen("lxc.cgroup2.");
		size_t n = strcspn(l, " ");
		bool known = false;
		for (size_t i = 0; i < sizeof(g_v2_io_files) / sizeof(g_v2_io_files[0]); i++)
			known = known || (strlen(g_v2_io_files[i]) == n &&
			                  strncmp(l, g_v2_io_files[i], n) == 0);
		if (!known)
			fail_msg("%.*s is not a file of the v2 io controller", (int)n, l);
	}
}

static void lines_v2(void **state)
{
	struct blkio_layout l = {.v2 = true,
	                         .weight_device_file = "io.bfq.weight",
	                         .resolve = fake_resolve,
	                         .weight_problem = fake_weight_problem};
	char err[512] = "";
	char *text = render(g_all, &l, err, sizeof(err));
	if (!text)
		fail_msg("render failed: %s", err);
	assert_string_equal(text, "lxc.cgroup2.io.max = 8:0 rbps=1048576 wbps=2097152 wiops=200\n"
	                          "lxc.cgroup2.io.max = 8:16 riops=100\n"
	                          "lxc.cgroup2.io.bfq.weight = 8:0 300\n");
	assert_v2_files(text);
	free(text);
	/* Without bfq, io.weight (iocost) takes the weight in its own range. */
	l.weight_device_file = "io.weight";
	text = render("{\"BlkioWeightDevice\": [{\"Path\": \"/dev/a\", \"Weight\": 1000}]}", &l,
	              err, sizeof(err));
	assert_non_null(text);
	assert_string_equal(text, "lxc.cgroup2.io.weight = 8:0 10000\n");
	assert_v2_files(text);
	free(text);
	assert_int_equal(cgroup_v2_io_weight(10), 1);
	assert_int_equal(cgroup_v2_io_weight(500), 4950);
}

static void lines_v1(void **state)
{
	struct blkio_layout l = {.v2 = false,
	                         .v1_throttle = true,
	                         .weight_device_file = "blkio.bfq.weight_device",
	                         .v1_mount = "blkio",
	                         .resolve = fake_resolve,
	                         .weight_problem = fake_weight_problem};
	char err[512] = "";
	char *text = render(g_all, &l, err, sizeof(err));
	if (!text)
		fail_msg("render failed: %s", err);
	assert_string_equal(text, "lxc.cgroup.blkio.bfq.weight_device = 8:0 300\n"
	                          "lxc.cgroup.blkio.throttle.read_bps_device = 8:0 1048576\n"
	                          "lxc.cgroup.blkio.throttle.write_bps_device = 8:0 2097152\n"
	                          "lxc.cgroup.blkio.throttle.read_iops_device = 8:16 100\n"
	                          "lxc.cgroup.blkio.throttle.write_iops_device = 8:0 200\n");
	free(text);
	struct blkio_config b;
	char buf[64];
	assert_int_equal(parse_text(g_all, &b, err, sizeof(err)), 0);
	assert_string_equal(blkio_ro_mount(&b, &l, buf, sizeof(buf)), "/sys/fs/cgroup/blkio");
	l.v2 = true;
	assert_null(blkio_ro_mount(&b, &l, buf, sizeof(buf))); /* io.max is hierarchical */
	blkio_config_free(&b);
}

static void start_refusals(void **state)
{
	struct blkio_layout l = {.v2 = false,
	                         .v1_throttle = true,
	                         .weight_device_file = "blkio.bfq.weight_device",
	                         .resolve = fake_resolve,
	                         .weight_problem = fake_weight_problem};
	char err[512] = "";
	assert_null(render("{\"BlkioWeightDevice\": [{\"Path\": \"/dev/b\", \"Weight\": 100}]}", &l,
	                   err, sizeof(err)));
	assert_non_null(strstr(err, "--blkio-weight-device /dev/b: the IO scheduler"));
	assert_null(render("{\"BlkioDeviceReadBps\": [{\"Path\": \"/dev/gone\", \"Rate\": 1}]}", &l,
	                   err, sizeof(err)));
	assert_non_null(strstr(err,
	                       "Start container error: --device-read-bps /dev/gone: /dev/gone: "
	                       "No such file"));
	struct blkio_config b;
	assert_int_equal(parse_text("{\"BlkioWeightDevice\": [{\"Path\": \"/dev/a\", \"Weight\": "
	                            "100}]}",
	                            &b, err, sizeof(err)),
	                 0);
	l.weight_device_file = NULL;
	assert_int_equal(blkio_config_validate(&b, &l, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "blkio weight device configuration for bfq scheduler"));
	blkio_config_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(flag_syntax),    cmocka_unit_test(api_model),
	    cmocka_unit_test(lines_v2),       cmocka_unit_test(lines_v1),
	    cmocka_unit_test(start_refusals),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
