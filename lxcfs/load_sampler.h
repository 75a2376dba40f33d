/* lxcfs -l: per-cgroup load averages. A thread samples, every 5 s, the cgroups whose loadavg
 * was read: the threads listed in each one's tasks (v1) or cgroup.threads (v2) file and in
 * its sub-cgroups', and the state letter of each in /proc/TID/stat. Only cgroups that were
 * read are sampled, at most LOAD_MAX_TRACKED of them (the one read longest ago makes room),
 * and a cgroup not read for LOAD_IDLE_SECONDS, or removed, is forgotten. */
#ifndef LXCFS_LOAD_SAMPLER_H
#define LXCFS_LOAD_SAMPLER_H

#include <stdbool.h>
#include <stddef.h>

#include "cgroup_parse.h"
#include "core/strbuf.h"

#define LOAD_MAX_TRACKED 4096
#define LOAD_IDLE_SECONDS 600

/* 0, or -1 when the thread cannot start. interval_ms is 5000 but for tests. */
int load_sampler_start(unsigned interval_ms);
void load_sampler_stop(void);
bool load_sampler_running(void);
/* The loadavg text of cgroup PATH of controller c into out; the first read samples the
 * cgroup at once and tracks it from then on. 0, or -1 when the cgroup cannot be read. */
int load_sampler_render(enum cg_ctrl c, const char *path, struct strbuf *out);
/* Cgroups tracked now. */
size_t load_sampler_tracked(void);

#endif
