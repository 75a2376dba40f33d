/* --pid, --ipc, --uts: Docker's HostConfig PidMode, IpcMode and UTSMode. "" (the container's
 * own namespace), "host" (the host's: liblxc's lxc.namespace.keep) or "container:NAME" (a
 * running container's, joined through its init's /proc/PID/ns/KIND); IpcMode also takes
 * Docker's "private", "shareable" and "none", which are the container's own here (ipc_shm.h:
 * what /dev/shm each gets). */
#ifndef ENGINE_NS_MODES_H
#define ENGINE_NS_MODES_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <yajl/yajl_gen.h>
#include <yajl/yajl_tree.h>

#include "core/strbuf.h"

struct ns_modes {
	char *pid, *ipc, *uts; /* NULL or "": the container's own */
};

/* The three keys, emitted into the HostConfig map being generated. */
void ns_modes_gen(yajl_gen g, const struct ns_modes *m);
void ns_modes_parse(yajl_val hostconfig, struct ns_modes *m);
void ns_modes_free(struct ns_modes *m);
/* Each value well-formed (a system container keeps its own pid namespace: its init must be
 * pid 1); -1 with err naming the flag and value. */
int ns_modes_validate(const struct ns_modes *m, bool system_container, char *err, size_t errlen);
/* ns_modes_join.c. The init pid of the running container named by mode
 * ("container:NAME"), or 0 with err naming flag and mode (--net's joining too). */
pid_t ns_modes_joined_pid(const char *flag, const char *mode, char *err, size_t errlen);
/* Before a start: every container:NAME exists and runs. */
int ns_modes_check_joined(const struct ns_modes *m, char *err, size_t errlen);
/* liblxc's lines for them (nothing for the container's own); user_ns: the container has a
 * user namespace of its own (--user-remap). */
void ns_modes_lxc_config(struct strbuf *f, const struct ns_modes *m, bool user_ns);
/* The three kinds, for ns_modes_join.c: count, "pid", "--pid", a container's value. */
size_t ns_modes_count(void);
const char *ns_modes_kind(size_t k);
const char *ns_modes_flag(size_t k);
const char *ns_modes_value(const struct ns_modes *m, size_t k);
/* "", NULL, private, shareable, none: the container's own namespace. */
bool ns_modes_is_own(const char *v);
/* Whether the container has its own UTS namespace (then, only then, its hostname is set). */
bool ns_modes_own_uts(const struct ns_modes *m);

#endif
