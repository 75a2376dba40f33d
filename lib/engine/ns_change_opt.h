/* --ns-change-opt net,ipc (seed 000 §2.3.6): which namespaced kernel parameters under
 * /proc/sys a system container may change. */
#ifndef LIB_ENGINE_NS_CHANGE_OPT_H
#define LIB_ENGINE_NS_CHANGE_OPT_H

#include <stddef.h>

enum { NS_CHANGE_NET = 1, NS_CHANGE_IPC = 2 };

/* "net", "ipc", "net,ipc" (either order). Returns 0 with *mask set, or -1 with err. */
int ns_change_opt_parse(const char *spec, unsigned *mask, char *err, size_t errlen);
/* The /proc/sys paths that are made writable for mask, NULL-terminated (static strings;
 * out must hold NS_CHANGE_MAX_FILES + 1 entries). Returns their number. */
#define NS_CHANGE_MAX_FILES 10
size_t ns_change_files(unsigned mask, const char **out);

#endif
