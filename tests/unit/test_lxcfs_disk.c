#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "disk_render.h"
#include "core/strbuf.h"

static const char host_diskstats[] =
    "   7       0 loop0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n"
    " 254       0 vda 568077 30479 20697442 185389 450427 546746 20596624 246993 0 152376 525833 "
    "485800 45 17577880 70986 87860 22464\n"
    " 254       1 vda1 1000 0 8000 10 2000 0 16000 20 0 30 30 0 0 0 0 0 0\n"
    "   8       0 sda 5 0 40 1 0 0 0 0 0 1 1\n";

static void test_blkio_v1(void **state)
{
	const char serviced[] =
	    "254:0 Read 5\n254:0 Write 3\n254:0 Sync 8\n254:0 Async 0\n"
	    "254:0 Discard 1\n254:0 Total 9\n8:0 Read 0\n8:0 Write 0\nTotal 9\n";
	const char bytes[] = "254:0 Read 20480\n254:0 Write 4096\n254:0 Discard 1024\n"
	                     "254:0 Total 25600\nTotal 25600\n";
	struct disk_io_table t = {0};
	/* A BFQ file on a disk that does not use BFQ: nothing counted. */
	blkio_v1_parse("Total 0\n", BLKIO_SERVICED, &t);
	assert_false(disk_io_any(&t));
	blkio_v1_parse(serviced, BLKIO_SERVICED, &t);
	assert_true(disk_io_any(&t));
	blkio_v1_parse(bytes, BLKIO_BYTES, &t);
	assert_int_equal(t.n, 2);
	assert_int_equal(t.v[0].major, 254);
	assert_int_equal(t.v[0].reads, 5);
	assert_int_equal(t.v[0].writes, 3);
	assert_int_equal(t.v[0].discards, 1);
	assert_int_equal(t.v[0].read_bytes, 20480);
	assert_int_equal(t.v[0].discard_bytes, 1024);

	struct strbuf out = {0};
	diskstats_render(host_diskstats, &t, &out);
	/* Only vda (sda had no I/O here); the host's 17 fields; sectors of 512 bytes. */
	assert_string_equal(out.data, " 254       0 vda 5 0 40 0 3 0 8 0 0 0 0 1 0 2 0 0 0\n");
	strbuf_free(&out);
	disk_io_table_free(&t);
}

static void test_io_stat_v2_and_short_layout(void **state)
{
	const char io_stat[] = "8:0 rbytes=4096 wbytes=8192 rios=1 wios=2 dbytes=0 dios=0\n"
	                       "254:0 rbytes=0 wbytes=0 rios=0 wios=0 dbytes=0 dios=0\n";
	struct disk_io_table t = {0};
	io_stat_v2_parse(io_stat, &t);
	assert_int_equal(t.n, 2);
	assert_int_equal(t.v[0].writes, 2);
	assert_int_equal(t.v[0].write_bytes, 8192);
	struct strbuf out = {0};
	diskstats_render(host_diskstats, &t, &out);
	/* An old kernel's 11-field line stays 11 fields. */
	assert_string_equal(out.data, "   8       0 sda 1 0 8 0 2 0 16 0 0 0 0\n");
	strbuf_free(&out);
	disk_io_table_free(&t);
}

static void test_devices_allow(void **state)
{
	assert_true(devices_allow_block("a *:* rwm\n", 254, 1));
	assert_true(devices_allow_block("c 1:3 rwm\nb 254:* r\n", 254, 7));
	assert_false(devices_allow_block("c 1:3 rwm\nb 254:* r\n", 8, 0));
	/* mknod alone does not let the container use the device. */
	assert_false(devices_allow_block("b *:* m\nc *:* m\n", 254, 0));
	assert_false(devices_allow_block("c *:* rwm\n", 254, 0));
	assert_true(devices_allow_block("b 8:0 w\n", 8, 0));
	assert_false(devices_allow_block("b 8:0 w\n", 8, 1));
	assert_false(devices_allow_block("", 8, 0));
}

static void test_partitions(void **state)
{
	const char host[] = "major minor  #blocks  name\n\n"
	                    " 254        0  268435456 vda\n"
	                    " 254        1     102400 vda1\n"
	                    "   8        0    1048576 sda\n";
	struct strbuf out = {0};
	partitions_render(host, "c 1:3 rwm\nb 254:0 rw\n", &out);
	assert_string_equal(out.data,
	                    "major minor  #blocks  name\n\n 254        0  268435456 vda\n");
	strbuf_reset(&out);
	partitions_render(host, "a *:* rwm\n", &out);
	assert_string_equal(out.data, host);
	strbuf_free(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_blkio_v1),
	    cmocka_unit_test(test_io_stat_v2_and_short_layout),
	    cmocka_unit_test(test_devices_allow),
	    cmocka_unit_test(test_partitions),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
