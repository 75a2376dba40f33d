/* Where this host keeps each controller lxcfs reads (a v1 hierarchy or the v2 tree), found
 * once from /proc/self/mountinfo, and reading a cgroup's files there. */
#ifndef LXCFS_CGROUP_LAYOUT_H
#define LXCFS_CGROUP_LAYOUT_H

#include <stdint.h>

#include "cgroup_parse.h"
#include "core/strbuf.h"

enum cg_mode { CG_ABSENT, CG_V1, CG_V2 };

/* 0, or -1 with a message on stderr when /proc/self/mountinfo cannot be read. With
 * LXCFS_CGROUP_V2_ONLY=1 in the environment only the unified hierarchy is used (tests). */
int cgroup_layout_init(void);
void cgroup_layout_free(void);
enum cg_mode cgroup_mode(enum cg_ctrl c);

/* The cgroup of a process for controller c, from its /proc/PID/cgroup; NULL when the host
 * has no such controller or the process sits in the root cgroup (it is not limited). */
const char *cgroup_of(const struct pid_cgroups *pc, enum cg_ctrl c);

/* The content of controller c's FILE in cgroup PATH into out (through the fd cache).
 * 0, or -1 when the controller, the cgroup or the file is missing. */
int cgroup_file(enum cg_ctrl c, const char *path, const char *file, struct strbuf *out);
/* FILE of cgroup PATH of the unified (v2) hierarchy, whatever the controllers' mode (a hybrid
 * host mounts it beside the v1 ones); -1 when there is none or no such file. */
int cgroup_v2_file(const char *path, const char *file, struct strbuf *out);
/* The directory of cgroup PATH of controller c, opened O_DIRECTORY (close it); -1 when missing. */
int cgroup_dir_open(enum cg_ctrl c, const char *path);
/* Its first number; UINT64_MAX for "max"; -1 when missing or not a number. */
int cgroup_file_u64(enum cg_ctrl c, const char *path, const char *file, uint64_t *v);

#endif
