/* Running OCI hooks: each program gets the container's state JSON on stdin, its own args and
 * env, and is killed, with its process group, when its timeout passes. */
#ifndef LIB_ENGINE_OCI_HOOK_EXEC_H
#define LIB_ENGINE_OCI_HOOK_EXEC_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <yajl/yajl_tree.h>

#include "engine/oci_hooks.h"

#define OCI_VERSION "1.0.2"
/* The runtime spec in a container's bundle directory. */
#define OCI_SPEC_FILE "config.json"
/* In the container's state dir: why its prestart hooks failed the start (for the daemon). */
#define OCI_HOOK_ERROR_FILE "oci-hook.err"

/* {"ociVersion", "id", "status", "pid" (left out when <= 0), "bundle", "annotations"}
 * (malloc'd). annotations may be NULL (an empty object). */
char *oci_state_json(const char *id, const char *status, pid_t pid, const char *bundle,
                     yajl_val annotations);

/* Runs one hook with state on stdin, its stdout discarded and its stderr kept for the error.
 * extra_env ("K=V") is added to (or replaces in) the hook's env. It is killed after its own
 * timeout or limit_ms (> 0), whichever comes first. 0 when it exits 0; otherwise -1 with err
 * saying what happened (exit status and stderr, signal, timeout, exec error). */
int oci_hook_exec(const struct oci_hook *h, const char *state, char *const *extra_env,
                  int64_t limit_ms, char *err, size_t errlen);

/* Runs the hooks of one stage in order, all within budget_ms (> 0; else no limit beyond
 * their own timeouts: a start must end even when a hook without a timeout hangs). A prestart
 * failure stops the stage at once; the other stages run every hook (OCI: their failures are
 * warnings). 0, or -1 with every failure in err, each as `STAGE hook "PATH" failed: WHAT`. */
int oci_hooks_run_stage(const struct oci_hooks *h, enum oci_hook_stage stage, const char *state,
                        char *const *extra_env, int64_t budget_ms, char *err, size_t errlen);

/* <bundle>/config.json parsed into *spec (free with yajl_tree_free). 0; -ENOENT when the
 * bundle has none; -1 with err when it cannot be read or parsed. */
int oci_bundle_spec(const char *bundle, yajl_val *spec, char *err, size_t errlen);

/* Reads <bundle>/config.json and runs its hooks of stage with the state of container id
 * (the bundle's last path element) in status with pid. 0, or -1 with err. */
int oci_hooks_run_bundle(const char *bundle, enum oci_hook_stage stage, const char *status,
                         pid_t pid, char *const *extra_env, int64_t budget_ms, char *err,
                         size_t errlen);

#endif
