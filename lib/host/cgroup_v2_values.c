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

int64_t cgroup_v2_io_weight(int64_t blkio_weight)
{
	int64_t w = blkio_weight < 10 ? 10 : blkio_weight > 1000 ? 1000 : blkio_weight;
	return 1 + ((w - 10) * 9999) / 990;
}

void cgroup_v2_io_max(unsigned major, unsigned minor, const struct cgroup_io_limits *l, char *buf,
                      size_t len)
{
	const char *keys[] = {"rbps", "wbps", "riops", "wiops"};
	const int64_t vals[] = {l->rbps, l->wbps, l->riops, l->wiops};
	int n = snprintf(buf, len, "%u:%u", major, minor);
	for (size_t i = 0; i < 4 && n >= 0 && (size_t)n < len; i++) {
		if (vals[i] > 0)
			n += snprintf(buf + n, len - (size_t)n, " %s=%lld", keys[i],
			              (long long)vals[i]);
	}
}

void cgroup_v2_io_device_weight(unsigned major, unsigned minor, int64_t weight, char *buf,
                                size_t len)
{
	snprintf(buf, len, "%u:%u %lld", major, minor, (long long)weight);
}
