/* The original iSulad's daemon.json keys and isulad flags (the seed's tables) that this engine
 * does not implement: each is refused at start with a message naming it, why, and what to use
 * instead, rather than accepted and ignored. */
#ifndef ENGINE_DAEMON_CONFIG_UNSUPPORTED_H
#define ENGINE_DAEMON_CONFIG_UNSUPPORTED_H

#include <stddef.h>

#include "core/json.h"

/* daemon.json key with its value: 0 when the key is not one of them, or its value configures
 * nothing ("", [], {}, false, or the only value there is, "lcr" for engine and
 * default-runtime); -1 with the message otherwise. */
int config_unsupported_key(const char *file, const char *key, yajl_val value, char *err,
                           size_t errlen);
/* The daemon's argv (argv[0] skipped): -1 with the message at the first flag of the table
 * (--storage-driver, -s, --storage-opt=..., ...), else 0. */
int config_unsupported_flags(int argc, char **argv, char *err, size_t errlen);

#endif
