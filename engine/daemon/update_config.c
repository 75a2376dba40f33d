/* Parsing of an update body; see update_config.h. */
#include "update_config.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "engine/restart_policy.h"

/* An integer member of the body; 0 when absent. -1 (err set) when of another type. */
static int body_int(yajl_val body, const char *key, int64_t *out, bool *present, char *err,
                    size_t errlen)
{
	yajl_val v = json_get(body, key);
	*out = 0;
	if (present)
		*present = v && !YAJL_IS_NULL(v);
	if (!v || YAJL_IS_NULL(v))
		return 0;
	if (!YAJL_IS_INTEGER(v)) {
		snprintf(err, errlen, "Invalid value for %s: expected an integer", key);
		return -1;
	}
	*out = YAJL_GET_INTEGER(v);
	return 0;
}

int host_config_update_parse(yajl_val body, const struct host_config *cur, struct host_config *n,
                             char *err, size_t errlen)
{
	*n = *cur;
	n->cpuset_cpus = n->cpuset_mems = NULL;
	struct {
		const char *key;
		int64_t *field;
	} ints[] = {
	    {"CpuShares", &n->cpu_shares},       {"CpuPeriod", &n->cpu_period},
	    {"CpuQuota", &n->cpu_quota},         {"Memory", &n->memory},
	    {"MemorySwap", &n->memory_swap},     {"MemoryReservation", &n->memory_reservation},
	    {"KernelMemory", &n->kernel_memory}, {"BlkioWeight", &n->blkio_weight},
	};
	for (size_t i = 0; i < sizeof(ints) / sizeof(ints[0]); i++) {
		int64_t v;
		if (body_int(body, ints[i].key, &v, NULL, err, errlen) < 0)
			return -1;
		if (v != 0)
			*ints[i].field = v;
	}
	/* --cpus: the update's own values, then against the container's (Docker's rules: the
	 * one way of limiting the CPU time that is set stays until it is unset). */
	int64_t nano, period, quota;
	if (body_int(body, "NanoCpus", &nano, NULL, err, errlen) < 0 ||
	    body_int(body, "CpuPeriod", &period, NULL, err, errlen) < 0 ||
	    body_int(body, "CpuQuota", &quota, NULL, err, errlen) < 0)
		return -1;
	const char *conflict = NULL;
	if (nano > 0 && period > 0)
		conflict = "Nano CPUs and CPU Period cannot both be set";
	else if (nano > 0 && quota > 0)
		conflict = "Nano CPUs and CPU Quota cannot both be set";
	else if (nano > 0 && cur->cpu_period > 0)
		conflict = "Nano CPUs cannot be updated as CPU Period has already been set";
	else if (nano > 0 && cur->cpu_quota > 0)
		conflict = "Nano CPUs cannot be updated as CPU Quota has already been set";
	else if (period > 0 && cur->nano_cpus > 0)
		conflict = "CPU Period cannot be updated as NanoCPUs has already been set";
	else if (quota > 0 && cur->nano_cpus > 0)
		conflict = "CPU Quota cannot be updated as NanoCPUs has already been set";
	if (conflict) {
		snprintf(err, errlen, "Conflicting options: %s", conflict);
		return -1;
	}
	if (nano != 0)
		n->nano_cpus = nano;
	int64_t pids;
	bool has_pids;
	if (body_int(body, "PidsLimit", &pids, &has_pids, err, errlen) < 0)
		return -1;
	if (has_pids)
		n->pids_limit = pids > 0 ? pids : 0;
	const char *cpus = json_get_str(body, "CpusetCpus");
	const char *mems = json_get_str(body, "CpusetMems");
	cpus = cpus && *cpus ? cpus : cur->cpuset_cpus;
	mems = mems && *mems ? mems : cur->cpuset_mems;
	n->cpuset_cpus = cpus ? strdup(cpus) : NULL;
	n->cpuset_mems = mems ? strdup(mems) : NULL;
	if ((cpus && !n->cpuset_cpus) || (mems && !n->cpuset_mems)) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	yajl_val rp = json_get(body, "RestartPolicy");
	const char *rname = json_get_str(rp, "Name");
	if (rname && *rname &&
	    restart_policy_from_name(rname, (int)json_get_int(rp, "MaximumRetryCount", 0),
	                             &n->restart, err, errlen) < 0)
		return -1;
	/* Docker: a bigger memory limit needs the swap limit raised in the same update. */
	if (json_get_int(body, "Memory", 0) > 0 && json_get_int(body, "MemorySwap", 0) == 0 &&
	    cur->memory_swap > 0 && n->memory > cur->memory_swap) {
		snprintf(err, errlen,
		         "Memory limit should be smaller than already set memoryswap limit, update "
		         "the memoryswap at the same time (memory %lld, memoryswap %lld)",
		         (long long)n->memory, (long long)cur->memory_swap);
		return -1;
	}
	return 0;
}
