/* Huge page sizes: the ones this host offers (/sys/kernel/mm/hugepages/hugepages-<N>kB), its
 * default (/proc/meminfo's Hugepagesize), and their names in the hugetlb cgroup's files
 * ("2MB" of hugetlb.2MB.limit_in_bytes on v1, hugetlb.2MB.max on v2). */
#ifndef LIB_HOST_HUGETLB_H
#define LIB_HOST_HUGETLB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HUGETLB_MAX_SIZES 8

/* The size (bytes) of a /sys/kernel/mm/hugepages entry name ("hugepages-2048kB"): 0, or -1
 * for another name. */
int hugetlb_size_of_dirname(const char *name, uint64_t *bytes);
/* The host's sizes, ascending: their number (0 when the kernel has no huge pages). */
size_t hugetlb_host_sizes(uint64_t sizes[HUGETLB_MAX_SIZES]);
/* The host's default size (Hugepagesize of a /proc/meminfo text), 0 when it has none. */
uint64_t hugetlb_default_size_of(const char *meminfo);
uint64_t hugetlb_default_size(void);
/* The kernel's name of a size in the cgroup's files: "64KB", "2MB", "1GB". */
void hugetlb_size_name(uint64_t bytes, char *buf, size_t len);
/* The host's sizes as names for a message: "2MB, 1GB" ("none" without huge pages). */
void hugetlb_host_size_list(char *buf, size_t len);

#endif
