#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/fileutil.h"
#include "engine/hook_state.h"
#include "hotplug/record.h"

/* A record as the original Go tools write it (one line, their key names). */
static const char *const g_original =
    "{\"bindToAdd\":[\"/srv/a:/mnt/a:rw,rslave\"],"
    "\"deviceToAdd\":[{\"Type\":\"b\",\"Minor\":16,\"Major\":8,\"PathOnHost\":\"/dev/sdb\","
    "\"PathInContainer\":\"/dev/sdb123\",\"CgroupPermissions\":\"rwm\",\"Parent\":\"\"}],"
    "\"readBps\":[{\"major\":8,\"minor\":16,\"path\":\"/dev/sdb\",\"value\":\"10485760\"}],"
    "\"networkInterfaces\":[{\"Ip\":\"172.17.28.5/24\",\"Mac\":\"00:ff:48:13:00:01\","
    "\"Mtu\":1500,\"Qlen\":1000,\"Type\":\"veth\",\"Bridge\":\"docker0\","
    "\"HostNicName\":\"abc2\",\"CtrNicName\":\"bcd2\"}],"
    "\"networkRoute\":[{\"dest\":\"172.17.28.0/32\",\"src\":\"\",\"gw\":\"172.17.28.5\","
    "\"dev\":\"eth123\"}]}\n";

static void loads_the_original_tools_record(void **state)
{
	struct hotplug_record r;
	struct error e = {0};
	assert_int_equal(hotplug_record_parse(g_original, &r, &e), 0);
	assert_int_equal(r.n_binds, 1);
	assert_string_equal(r.binds[0], "/srv/a:/mnt/a:rw,rslave");
	assert_int_equal(r.n_devices, 1);
	assert_int_equal(r.devices[0].type, 'b');
	assert_int_equal(r.devices[0].major, 8);
	assert_int_equal(r.devices[0].minor, 16);
	assert_string_equal(r.devices[0].path_in_container, "/dev/sdb123");
	assert_string_equal(r.devices[0].permissions, "rwm");
	assert_null(r.devices[0].parent); /* "" is no parent */
	assert_int_equal(r.n_qos[HP_READ_BPS], 1);
	assert_int_equal(r.qos[HP_READ_BPS][0].value, 10485760);
	assert_int_equal(r.n_qos[HP_WRITE_BPS], 0);
	assert_int_equal(r.n_nics, 1);
	assert_string_equal(r.nics[0].host_name, "abc2");
	assert_int_equal(r.nics[0].mtu, 1500);
	assert_int_equal(r.nics[0].qlen, 1000);
	assert_int_equal(r.n_routes, 1);
	assert_null(r.routes[0].src);
	assert_string_equal(r.routes[0].gw, "172.17.28.5");
	/* Rendered back, it is the same line: users' files survive a round trip. */
	char *text = hotplug_record_render(&r);
	assert_non_null(text);
	assert_string_equal(text, g_original);
	free(text);
	hotplug_record_free(&r);
}

static void an_empty_record_renders_as_an_empty_object(void **state)
{
	struct hotplug_record r;
	struct error e = {0};
	assert_int_equal(hotplug_record_parse("{}", &r, &e), 0);
	char *text = hotplug_record_render(&r);
	assert_string_equal(text, "{}\n");
	free(text);
	hotplug_record_free(&r);
}

static void refuses_bad_records(void **state)
{
	static const struct {
		const char *json, *msg;
	} cases[] = {
	    {"[1]", "is not a JSON object"},
	    {"{\"deviceToAdd\":", "is not JSON"},
	    {"{\"deviceToAdd\":{}}", "\"deviceToAdd\" is not a list"},
	    {"{\"deviceToAdd\":[1]}", "entry 0 is not an object"},
	    {"{\"deviceToAdd\":[{\"Type\":\"x\",\"PathOnHost\":\"/a\",\"PathInContainer\":\"/"
	     "b\"}]}",
	     "\"Type\" is not \"b\" or \"c\""},
	    {"{\"deviceToAdd\":[{\"Type\":\"c\",\"Major\":-1,\"PathOnHost\":\"/a\","
	     "\"PathInContainer\":\"/b\"}]}",
	     "\"Major\" is not an integer"},
	    {"{\"deviceToAdd\":[{\"Type\":\"c\",\"PathOnHost\":\"/a\"}]}",
	     "lacks PathOnHost or PathInContainer"},
	    {"{\"readIops\":[{\"path\":\"/dev/a\",\"value\":\"-3\"}]}",
	     "\"value\" is not a number"},
	    {"{\"readIops\":[{\"path\":\"/dev/a\",\"value\":\"99999999999999999999\"}]}",
	     "\"value\" is not a number"},
	    {"{\"readIops\":[{\"value\":\"3\"}]}", "an entry has no path"},
	    {"{\"networkInterfaces\":[{\"Type\":\"tun\",\"HostNicName\":\"a\",\"CtrNicName\":\"b\"}"
	     "]}",
	     "\"Type\" is not \"veth\" or \"eth\""},
	    {"{\"networkInterfaces\":[{\"Type\":\"eth\",\"HostNicName\":\"a\",\"CtrNicName\":\"b\","
	     "\"Mtu\":70000}]}",
	     "\"Mtu\" is not an integer"},
	    {"{\"networkRoute\":[{\"dev\":\"eth0\\nlxc.hook\"}]}", "holds a control character"},
	    {"{\"bindToAdd\":[3]}", "entry 0 is not a string"},
	    {"{\"bindToAdd\":[\"\"]}", "entry 0 is empty"},
	    {"{\"bindToAdd\":[\"/a:/b\\u0001\"]}", "holds a control character"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct hotplug_record r;
		struct error e = {0};
		assert_int_equal(hotplug_record_parse(cases[i].json, &r, &e), -1);
		assert_int_equal(e.code, ERR_INVALID);
		if (!strstr(e.msg, cases[i].msg))
			fail_msg("%s: got \"%s\", want \"%s\"", cases[i].json, e.msg, cases[i].msg);
		assert_int_equal(r.n_devices + r.n_binds + r.n_nics + r.n_routes, 0);
	}
}

static void refuses_more_entries_than_the_limit(void **state)
{
	size_t n = HOTPLUG_MAX_PATHS + 1;
	char *json = malloc(32 + n * 8);
	char *p = json + sprintf(json, "{\"bindToAdd\":[");
	for (size_t i = 0; i < n; i++)
		p += sprintf(p, "%s\"/a:/b\"", i ? "," : "");
	strcpy(p, "]}");
	struct hotplug_record r;
	struct error e = {0};
	assert_int_equal(hotplug_record_parse(json, &r, &e), -1);
	assert_non_null(strstr(e.msg, "more than 128"));
	free(json);
}

static void saves_atomically_and_only_what_changed(void **state)
{
	char dir[] = "/tmp/hp-record.XXXXXX";
	assert_non_null(mkdtemp(dir));
	char *path = path_join(dir, HOTPLUG_RECORD_FILE);
	struct hotplug_record r;
	struct error e = {0};
	/* No file: an empty record, and saving it creates none. */
	assert_int_equal(hotplug_record_load(dir, &r, &e), 0);
	assert_int_equal(hotplug_record_save(dir, &r, &e), 0);
	assert_int_equal(access(path, F_OK), -1);
	char *bind = strdup("/x:/y:ro");
	assert_int_equal(hp_array_push(&r.binds, &r.n_binds, sizeof(bind), &bind), 0);
	assert_int_equal(hotplug_record_save(dir, &r, &e), 0);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	hotplug_record_free(&r);
	assert_int_equal(hotplug_record_load(dir, &r, &e), 0);
	assert_int_equal(r.n_binds, 1);
	assert_string_equal(r.binds[0], "/x:/y:ro");
	/* Removing the last entry keeps the (now empty) file: the record was there. */
	free(r.binds[0]);
	hp_array_remove(&r.binds, &r.n_binds, sizeof(char *), 0);
	assert_int_equal(r.n_binds, 0);
	assert_int_equal(hotplug_record_save(dir, &r, &e), 0);
	char *text = read_file(path, 1024, NULL);
	assert_string_equal(text, "{}\n");
	free(text);
	hotplug_record_free(&r);
	/* A broken file is an error naming it, never an empty record. */
	assert_int_equal(atomic_write_file(path, "{\"bindToAdd\":7}", 15, 0600), 0);
	assert_int_equal(hotplug_record_load(dir, &r, &e), -1);
	assert_non_null(strstr(e.msg, path));
	unlink(path);
	free(path);
	assert_int_equal(remove_tree(dir), 0);
}

static void the_lock_excludes_another_holder(void **state)
{
	char dir[] = "/tmp/hp-lock.XXXXXX";
	assert_non_null(mkdtemp(dir));
	struct error e = {0};
	int fd = hotplug_record_lock(dir, 1000, &e);
	assert_true(fd >= 0);
	char *path = path_join(dir, HOTPLUG_LOCK_FILE);
	int other = open(path, O_RDWR | O_CLOEXEC);
	assert_true(other >= 0);
	assert_int_equal(flock(other, LOCK_EX | LOCK_NB), -1);
	/* A second taker gives up after its timeout, naming the lock. */
	assert_int_equal(hotplug_record_lock(dir, 50, &e), -1);
	assert_int_equal(e.code, ERR_CONFLICT);
	assert_non_null(strstr(e.msg, "is held by another isulad-tools command"));
	hotplug_record_unlock(fd);
	assert_int_equal(flock(other, LOCK_EX | LOCK_NB), 0);
	close(other);
	free(path);
	assert_int_equal(remove_tree(dir), 0);
}

static void array_helpers_keep_order(void **state)
{
	int *a = NULL;
	size_t n = 0;
	for (int i = 0; i < 5; i++)
		assert_int_equal(hp_array_push(&a, &n, sizeof(int), &i), 0);
	hp_array_remove(&a, &n, sizeof(int), 1);
	hp_array_remove(&a, &n, sizeof(int), 9); /* out of range: nothing */
	assert_int_equal(n, 4);
	assert_int_equal(a[0], 0);
	assert_int_equal(a[1], 2);
	assert_int_equal(a[3], 4);
	free(a);
}

static void stopped_state_may_lack_the_pid(void **state)
{
	struct hook_state st;
	char err[256];
	assert_int_equal(
	    hook_state_parse_stopped("{\"id\":\"a\",\"bundle\":\"/b\"}", &st, err, sizeof(err)), 0);
	assert_int_equal(st.pid, 0);
	assert_string_equal(st.bundle, "/b");
	hook_state_free(&st);
	assert_int_equal(hook_state_parse_stopped("{\"pid\":\"x\"}", &st, err, sizeof(err)), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(loads_the_original_tools_record),
	    cmocka_unit_test(an_empty_record_renders_as_an_empty_object),
	    cmocka_unit_test(refuses_bad_records),
	    cmocka_unit_test(refuses_more_entries_than_the_limit),
	    cmocka_unit_test(saves_atomically_and_only_what_changed),
	    cmocka_unit_test(the_lock_excludes_another_holder),
	    cmocka_unit_test(array_helpers_keep_order),
	    cmocka_unit_test(stopped_state_may_lack_the_pid),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
