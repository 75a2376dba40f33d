#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "host/cgroup_v2_values.h"

static void weights_as_runc_converts(void **state)
{
	assert_int_equal(cgroup_v2_cpu_weight(2), 1);
	assert_int_equal(cgroup_v2_cpu_weight(1024), 39); /* Docker's default shares */
	assert_int_equal(cgroup_v2_cpu_weight(262144), 10000);
	assert_int_equal(cgroup_v2_cpu_weight(0), 1);
	assert_int_equal(cgroup_v2_cpu_weight(1 << 30), 10000);
}

static void cpu_max_texts(void **state)
{
	char buf[64];
	cgroup_v2_cpu_max(150000, 100000, buf, sizeof(buf));
	assert_string_equal(buf, "150000 100000");
	cgroup_v2_cpu_max(50000, 0, buf, sizeof(buf));
	assert_string_equal(buf, "50000 100000");
	cgroup_v2_cpu_max(-1, 50000, buf, sizeof(buf));
	assert_string_equal(buf, "max 50000");
	cgroup_v2_cpu_max(0, 0, buf, sizeof(buf));
	assert_string_equal(buf, "max 100000");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(weights_as_runc_converts),
	    cmocka_unit_test(cpu_max_texts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
