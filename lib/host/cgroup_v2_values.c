#include "host/cgroup_v2_values.h"

#include <stdio.h>

int64_t cgroup_v2_cpu_weight(int64_t shares)
{
	int64_t s = shares < 2 ? 2 : shares > 262144 ? 262144 : shares;
	return 1 + ((s - 2) * 9999) / 262142;
}

void cgroup_v2_cpu_max(int64_t quota, int64_t period, char *buf, size_t len)
{
	int64_t p = period > 0 ? period : 100000;
	if (quota > 0)
		snprintf(buf, len, "%lld %lld", (long long)quota, (long long)p);
	else
		snprintf(buf, len, "max %lld", (long long)p);
}
