/* The device commands' pure parts: device mappings and QoS options as the original parses
 * them (messages included), the blkio lines written for cgroup v1 and v2 (with the v2 file
 * names: this host cannot be v2-only, so the v2 contents are proven here), and list-device's
 * JSON in the original's key order. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "hotplug/device.h"

static void parses_device_mappings(void **state)
{
	struct hp_device_arg a;
	struct error e = {0};
	assert_int_equal(hp_device_arg_parse("/dev/sdb", &a, &e), 0);
	assert_string_equal(a.host, "/dev/sdb");
	assert_null(a.ctr);
	assert_string_equal(a.perms, "rwm");
	hp_device_arg_free(&a);
	/* Two parts: permissions when they read as such, else the container path. */
	assert_int_equal(hp_device_arg_parse("/dev/sdb:rw", &a, &e), 0);
	assert_null(a.ctr);
	assert_string_equal(a.perms, "rw");
	hp_device_arg_free(&a);
	assert_int_equal(hp_device_arg_parse("/dev/sdb:/dev/sdb123", &a, &e), 0);
	assert_string_equal(a.ctr, "/dev/sdb123");
	assert_string_equal(a.perms, "rwm");
	hp_device_arg_free(&a);
	assert_int_equal(hp_device_arg_parse("/dev//disk/../sdc:/dev/./x/:mr", &a, &e), 0);
	assert_string_equal(a.host, "/dev/sdc");
	assert_string_equal(a.ctr, "/dev/x");
	assert_string_equal(a.perms, "mr");
	assert_string_equal(a.text, "/dev//disk/../sdc:/dev/./x/:mr");
	hp_device_arg_free(&a);
	/* Only the container path: the host one comes from it (or the record). */
	assert_int_equal(hp_device_arg_parse(":/dev/x", &a, &e), 0);
	assert_null(a.host);
	assert_string_equal(a.ctr, "/dev/x");
	hp_device_arg_free(&a);
}

static void refuses_bad_mappings(void **state)
{
	static const struct {
		const char *in, *msg;
	} cases[] = {
	    {"/a:/b:rw:x", "invalid device specification: /a:/b:rw:x"},
	    {"/dev/sdb:/dev/x:rwx", "invalid permission: rwx"},
	    {"/dev/sdb:/dev/x:rr", "invalid permission: rr"},
	    {"/dev/sdb:/dev/x:", "invalid permission: "},
	    {"dev/sdb", "hostpath should be an absolute path: dev/sdb"},
	    {"/dev/sdb:x:rw", "containerpath should be an absolute path: x"},
	    {":", "either of host path and container path should be assigned"},
	    {"/dev/sdb:/", "containerpath should be a file path: /"},
	    {"/dev/a\nb", "invalid device specification"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct hp_device_arg a;
		struct error e = {0};
		assert_int_equal(hp_device_arg_parse(cases[i].in, &a, &e), -1);
		if (!strstr(e.msg, cases[i].msg))
			fail_msg("%s: got \"%s\"", cases[i].in, e.msg);
		assert_null(a.host);
	}
}

static uint64_t qos(enum hp_qos_kind k, const char *text)
{
	struct hp_qos_arg q;
	struct error e = {0};
	if (hp_qos_arg_parse(k, text, &q, &e) < 0)
		fail_msg("%s: %s", text, e.msg);
	assert_string_equal(q.path, "/dev/sdb");
	uint64_t v = q.value;
	hp_qos_arg_free(&q);
	return v;
}

static const char *qos_error(enum hp_qos_kind k, const char *text)
{
	static struct error e;
	struct hp_qos_arg q;
	memset(&e, 0, sizeof(e));
	assert_int_equal(hp_qos_arg_parse(k, text, &q, &e), -1);
	assert_null(q.path);
	return e.msg;
}

static void parses_qos_options(void **state)
{
	/* Rates: 1024-based units, an optional b. */
	assert_int_equal(qos(HP_READ_BPS, "/dev/sdb:10m"), 10485760);
	assert_int_equal(qos(HP_READ_BPS, "/dev/sdb:10MB"), 10485760);
	assert_int_equal(qos(HP_WRITE_BPS, "/dev/sdb:1.5k"), 1536);
	assert_int_equal(qos(HP_WRITE_BPS, "/dev/sdb:1g"), 1073741824);
	assert_int_equal(qos(HP_WRITE_BPS, "/dev/sdb:2048"), 2048);
	assert_int_equal(qos(HP_WRITE_BPS, "/dev/sdb:512b"), 512);
	assert_int_equal(qos(HP_READ_BPS, "/dev/sdb:0"), 0);
	/* iops: a plain number. */
	assert_int_equal(qos(HP_READ_IOPS, "/dev/sdb:100"), 100);
	assert_int_equal(qos(HP_WRITE_IOPS, "/dev/sdb:0"), 0);
	/* Weights: 0 (removes) or 10..1000 (DESIGN.md §9). */
	assert_int_equal(qos(HP_WEIGHT, "/dev/sdb:0"), 0);
	assert_int_equal(qos(HP_WEIGHT, "/dev/sdb:10"), 10);
	assert_int_equal(qos(HP_WEIGHT, "/dev/sdb:1000"), 1000);

	assert_string_equal(qos_error(HP_READ_BPS, "/dev/sdb"), "Bad format: /dev/sdb");
	const char *rate = "Invalid rate for device: /dev/sdb:10x. The correct format is "
	                   "<device-path>:<number>[<unit>]. Number must be a positive integer. "
	                   "Unit is optional and can be kb, mb, or gb";
	assert_string_equal(qos_error(HP_READ_BPS, "/dev/sdb:10x"), rate);
	assert_non_null(strstr(qos_error(HP_READ_BPS, "/dev/sdb:-1"), "Invalid rate"));
	assert_non_null(strstr(qos_error(HP_READ_BPS, "/dev/sdb:"), "Invalid rate"));
	assert_non_null(strstr(qos_error(HP_READ_BPS, "/dev/sdb:m"), "Invalid rate"));
	assert_non_null(strstr(qos_error(HP_READ_BPS, "/dev/sdb:1."), "Invalid rate"));
	assert_non_null(strstr(qos_error(HP_WRITE_BPS, "/dev/sdb:99999999p"), "Invalid rate"));
	assert_string_equal(qos_error(HP_READ_IOPS, "/dev/sdb:10k"),
	                    "Invalid rate for device: /dev/sdb:10k. The correct format is "
	                    "<device-path>:<number>. Number must be a positive integer");
	assert_string_equal(qos_error(HP_WEIGHT, "/dev/sdb:5"),
	                    "Invalid weight for device: /dev/sdb:5");
	assert_string_equal(qos_error(HP_WEIGHT, "/dev/sdb:1001"),
	                    "Invalid weight for device: /dev/sdb:1001");
	assert_string_equal(hp_qos_words(HP_READ_BPS), "read bps");
	assert_string_equal(hp_qos_words(HP_WEIGHT), "blkio weight");
}

static void writes_v1_and_v2_lines(void **state)
{
	char b[128];
	assert_string_equal(hp_qos_v1_line(HP_READ_BPS, 8, 16, 10485760, b, sizeof(b)),
	                    "blkio.throttle.read_bps_device");
	assert_string_equal(b, "8:16 10485760");
	assert_string_equal(hp_qos_v1_line(HP_WRITE_IOPS, 8, 16, 0, b, sizeof(b)),
	                    "blkio.throttle.write_iops_device");
	assert_string_equal(b, "8:16 0");
	assert_string_equal(hp_qos_v1_line(HP_WEIGHT, 259, 3, 500, b, sizeof(b)),
	                    "blkio.weight_device");
	assert_string_equal(b, "259:3 500");
	/* v2: one io.max line per limit, "max" clears it; io.weight, "default" clears it. */
	static const struct {
		enum hp_qos_kind k;
		uint64_t v;
		const char *file, *line;
	} v2[] = {
	    {HP_READ_BPS, 10485760, "io.max", "8:16 rbps=10485760"},
	    {HP_WRITE_BPS, 1024, "io.max", "8:16 wbps=1024"},
	    {HP_READ_IOPS, 100, "io.max", "8:16 riops=100"},
	    {HP_WRITE_IOPS, 7, "io.max", "8:16 wiops=7"},
	    {HP_READ_BPS, 0, "io.max", "8:16 rbps=max"},
	    {HP_WRITE_IOPS, 0, "io.max", "8:16 wiops=max"},
	    {HP_WEIGHT, 500, "io.weight", "8:16 500"},
	    {HP_WEIGHT, 0, "io.weight", "8:16 default"},
	};
	for (size_t i = 0; i < sizeof(v2) / sizeof(v2[0]); i++) {
		assert_string_equal(hp_qos_v2_line(v2[i].k, 8, 16, v2[i].v, b, sizeof(b)),
		                    v2[i].file);
		assert_string_equal(b, v2[i].line);
	}
	assert_null(hp_qos_v2_line(HP_QOS_KINDS, 8, 16, 1, b, sizeof(b)));
}

static void lists_devices_in_the_original_order(void **state)
{
	struct hotplug_record r;
	struct error e = {0};
	const char *text =
	    "{\"deviceToAdd\":[{\"Type\":\"b\",\"Minor\":16,\"Major\":8,\"PathOnHost\":\"/dev/"
	    "sdb\","
	    "\"PathInContainer\":\"/dev/x\",\"CgroupPermissions\":\"rwm\",\"Parent\":\"\"},"
	    "{\"Type\":\"b\",\"Minor\":17,\"Major\":8,\"PathOnHost\":\"/dev/sdb1\","
	    "\"PathInContainer\":\"/dev/x1\",\"CgroupPermissions\":\"rwm\",\"Parent\":\"/dev/"
	    "sdb\"}]}";
	assert_int_equal(hotplug_record_parse(text, &r, &e), 0);
	char *out = hotplug_devices_list(&r, false, false);
	assert_string_equal(out,
	                    "[{\"Type\":\"b\",\"Minor\":16,\"Major\":8,\"PathOnHost\":\"/dev/sdb\","
	                    "\"PathInContainer\":\"/dev/x\",\"CgroupPermissions\":\"rwm\","
	                    "\"Parent\":\"\"}]\n");
	free(out);
	out = hotplug_devices_list(&r, false, true);
	assert_non_null(strstr(out, "\"PathOnHost\":\"/dev/sdb1\""));
	assert_non_null(strstr(out, "\"Parent\":\"/dev/sdb\"}]\n"));
	free(out);
	/* Go's json.MarshalIndent(v, "", "\t"). */
	out = hotplug_devices_list(&r, true, false);
	assert_string_equal(out,
	                    "[\n\t{\n\t\t\"Type\": \"b\",\n\t\t\"Minor\": 16,\n\t\t\"Major\": 8,\n"
	                    "\t\t\"PathOnHost\": \"/dev/sdb\",\n"
	                    "\t\t\"PathInContainer\": \"/dev/x\",\n"
	                    "\t\t\"CgroupPermissions\": \"rwm\",\n\t\t\"Parent\": \"\"\n\t}\n]\n");
	free(out);
	hotplug_record_free(&r);
	/* None: nothing at all. */
	struct hotplug_record empty = {0};
	out = hotplug_devices_list(&empty, true, true);
	assert_string_equal(out, "");
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(parses_device_mappings),
	    cmocka_unit_test(refuses_bad_mappings),
	    cmocka_unit_test(parses_qos_options),
	    cmocka_unit_test(writes_v1_and_v2_lines),
	    cmocka_unit_test(lists_devices_in_the_original_order),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
