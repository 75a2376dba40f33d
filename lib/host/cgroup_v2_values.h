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
/* io.weight (1..10000) of a blkio weight (10..1000; clamped). io.bfq.weight takes the blkio
 * weight as it is. */
int64_t cgroup_v2_io_weight(int64_t blkio_weight);

/* One device's throttling limits; 0: none. */
struct cgroup_io_limits {
	int64_t rbps, wbps, riops, wiops;
};
/* io.max's line of a device: "MAJ:MIN rbps=N wbps=N riops=N wiops=N" with the keys of the
 * limits set, in that order. */
void cgroup_v2_io_max(unsigned major, unsigned minor, const struct cgroup_io_limits *l, char *buf,
                      size_t len);
/* A per-device weight line of io.weight or io.bfq.weight: "MAJ:MIN W". */
void cgroup_v2_io_device_weight(unsigned major, unsigned minor, int64_t weight, char *buf,
                                size_t len);

#endif
