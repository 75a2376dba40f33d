/* Running a conflist's plugins for one container (CNI spec 0.4.0/1.0.0): ADD in order, each
 * getting the previous one's result; DEL in reverse order; CHECK in order. Each plugin is
 * spawned (posix_spawn: no fork of the daemon, no shell) with the CNI_* environment and its
 * config on stdin; its output is bounded and it is killed after the timeout. A portmap plugin
 * is left out when the call publishes no port. */
#ifndef LIB_ENGINE_CNI_EXEC_H
#define LIB_ENGINE_CNI_EXEC_H

#include <stddef.h>
#include <stdint.h>

#include "engine/cni_conf.h"

struct cni_call {
	const char *container_id;
	const char *netns;  /* path of the network namespace */
	const char *ifname; /* the interface inside, "eth0" */
	char *const *bin_dirs;
	struct cni_runtime rt;
	int64_t timeout_ms; /* per plugin; 0: CNI_DEFAULT_TIMEOUT_MS */
};

#define CNI_DEFAULT_TIMEOUT_MS 30000

/* The executable of plugin type in the first of bin_dirs that has it, into path: 0, or -1. */
int cni_find_plugin(char *const *bin_dirs, const char *type, char *path, size_t len);
/* Every plugin of l is found: 0, or -1 with err naming the missing one and the dirs. */
int cni_check_plugins(const struct cni_conflist *l, char *const *bin_dirs, char *err,
                      size_t errlen);
/* ADD: 0 with *result the final result (malloc'd JSON), or -1 with err (the failing plugin's
 * message); a failed ADD has already been undone by DEL of the plugins that ran. */
int cni_add(const struct cni_conflist *l, const struct cni_call *call, char **result, char *err,
            size_t errlen);
/* DEL of every plugin (prev_result: ADD's result, may be NULL); all run even when one fails:
 * 0, or -1 with err from the first failure. */
int cni_del(const struct cni_conflist *l, const struct cni_call *call, const char *prev_result,
            char *err, size_t errlen);
/* CHECK with ADD's result: 0, or -1 with err. */
int cni_check(const struct cni_conflist *l, const struct cni_call *call, const char *prev_result,
              char *err, size_t errlen);

#endif
