/* v1 resource values as cgroup v2 files take them (the conversions runc and Docker use), for
 * the config of a start and for a live update alike. */
#ifndef LIB_HOST_CGROUP_V2_VALUES_H
#define LIB_HOST_CGROUP_V2_VALUES_H

#include <stddef.h>
#include <stdint.h>

/* cpu.weight (1..10000) of cpu.shares (2..262144; clamped). */
int64_t cgroup_v2_cpu_weight(int64_t shares);
/* cpu.max text: "QUOTA PERIOD", or "max PERIOD" for no quota (quota <= 0); period 0 is the
 * kernel's default 100000. */
void cgroup_v2_cpu_max(int64_t quota, int64_t period, char *buf, size_t len);

#endif
