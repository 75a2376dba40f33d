/* Container restart policies: `--restart` values and the Docker API's RestartPolicy object. */
#ifndef LIB_ENGINE_RESTART_POLICY_H
#define LIB_ENGINE_RESTART_POLICY_H

#include <stddef.h>

enum restart_kind {
	RESTART_NO,
	RESTART_ALWAYS,
	RESTART_ON_FAILURE,
	RESTART_UNLESS_STOPPED,
	RESTART_ON_REBOOT,
};

struct restart_policy {
	enum restart_kind kind;
	int max_retries; /* only for on-failure; 0 means retry forever */
};

/*
 * Parses a `--restart` value: "no", "always", "on-failure", "on-failure:N" (N >= 0),
 * "unless-stopped" or "on-reboot". "" means "no", as in Docker. Returns 0, or -1 with one of:
 *   Invalid restart policy '<name>'                                   unknown name
 *   Maximum retry count cannot be used with restart policy '<name>'  e.g. "always:3"
 *   Invalid restart policy format                                     e.g. "on-failure:x"
 */
int restart_policy_parse(const char *s, struct restart_policy *out, char *err, size_t errlen);

/* "no", "always", "on-failure", "unless-stopped", "on-reboot"; NULL for an unknown kind. */
const char *restart_policy_name(enum restart_kind k);

/*
 * From the Docker API's {"Name": ..., "MaximumRetryCount": ...}. "" means "no" and, as in
 * Docker, ignores the count. Besides the errors above, a negative count with on-failure gives
 * "Maximum retry count cannot be negative".
 */
int restart_policy_from_name(const char *name, int max_retries, struct restart_policy *out,
                             char *err, size_t errlen);

#endif
