/* CPU and memory-node lists in the kernel's "0-3,5" form. */
#ifndef LIB_HOST_CPUSET_H
#define LIB_HOST_CPUSET_H

#include <stdbool.h>
#include <stdint.h>

#define CPUSET_MAX 1024

struct cpuset {
	uint64_t bits[CPUSET_MAX / 64];
};

/* 0 on success; -1 for bad syntax, descending ranges or numbers >= CPUSET_MAX. */
int cpuset_parse(const char *list, struct cpuset *out);
bool cpuset_is_subset(const struct cpuset *a, const struct cpuset *of);
bool cpuset_is_empty(const struct cpuset *a);

#endif
