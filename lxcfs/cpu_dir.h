/* Names of sys/devices/system/cpu as a container sees them (pure). The container's cpus are
 * renumbered from 0, as in its cpuinfo, stat and cpu/online: its k-th allowed host cpu (the
 * set of vfile_cpus: the cpuset's, cut by a CFS quota) is its cpuk, whose directory is the
 * host's of that cpu. A host reader (no set) sees the host's names as they are. */
#ifndef LXCFS_CPU_DIR_H
#define LXCFS_CPU_DIR_H

#include <stdbool.h>
#include <stddef.h>

#include "host/cpuset.h"

/* A single file name the kernel may ask for: not empty, ".", "..", no '/', < 256 bytes. */
bool sys_name_ok(const char *name);
/* "cpuN" with N written as the kernel writes it (no sign, no leading 0), N < CPUSET_MAX. */
bool cpu_dir_cpu_number(const char *name, unsigned *n);
/* "cpu" and a digit: a name that is a cpu's directory, or none at all. */
bool cpu_dir_names_cpu(const char *name);
/* The host's name behind visible name in the cpu directory of a reader with set (NULL: the
 * host's view) into host (len >= 16 + strlen(name)); false when the reader has no such
 * entry: a cpuN beyond its cpus, a name starting "cpu" and a digit that is not a cpuN, an
 * unsafe name, or "online" (lxcfs' own file, not the host's). */
bool cpu_dir_host_name(const char *visible, const struct cpuset *set, char *host, size_t len);
/* The name the reader sees for the host's entry host_name, into visible; false when it is
 * hidden: another cpu's directory, "online" (lxcfs lists its own), an unsafe name. */
bool cpu_dir_visible_name(const char *host_name, const struct cpuset *set, char *visible,
                          size_t len);

#endif
