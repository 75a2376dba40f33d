/* Parsing of the kernel's cgroup membership table (pure: text in, fields out); mount tables
 * are host/mountinfo.h's. */
#ifndef LXCFS_CGROUP_PARSE_H
#define LXCFS_CGROUP_PARSE_H

#include <stdbool.h>

#include "host/cgroup_mounts.h" /* word_list_has */

/* The controllers the virtual files read. */
enum cg_ctrl { CG_MEMORY, CG_CPUSET, CG_CPUACCT, CG_BLKIO, CG_DEVICES, CG_CPU, CG_NCTRL };

const char *cg_ctrl_name(enum cg_ctrl c);

/* One process's cgroups, from /proc/PID/cgroup: the v1 path of each controller (NULL when no
 * v1 hierarchy has it) and the v2 path of the "0::" line (NULL on v1-only hosts). */
struct pid_cgroups {
	const char *v1[CG_NCTRL];
	const char *unified;
};

/* Splits text in place (the paths point into it). Lines are "ID:CONTROLLERS:PATH", with
 * CONTROLLERS a comma list ("cpu,cpuacct") or empty for v2; named hierarchies
 * ("name=systemd") and malformed lines are skipped. A trailing "/init.scope" is cut from
 * every path: systemd moves a container's init there, the container is its parent.
 * Returns the number of paths found. */
int pid_cgroups_parse(char *text, struct pid_cgroups *out);

#endif
