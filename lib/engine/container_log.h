/* A container's log settings from --log-opt KEY=VALUE options (per container, over the
 * daemon's "container-log" defaults, over iSulad's built-in defaults). */
#ifndef LIB_ENGINE_CONTAINER_LOG_H
#define LIB_ENGINE_CONTAINER_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* iSulad's defaults: json-file, rotate 7, 1 MB per file. */
#define CONTAINER_LOG_DEFAULT_MAX_SIZE (1024 * 1024)
#define CONTAINER_LOG_DEFAULT_MAX_FILE 7
#define CONTAINER_LOG_MIN_MAX_SIZE 1024
#define CONTAINER_LOG_MAX_MAX_FILE 1000

struct container_log_settings {
	bool disabled;
	int64_t max_size; /* 0: unbounded */
	int max_file;     /* files kept, the live one included */
};

void container_log_defaults(struct container_log_settings *s);
/* Applies "key=value" options over s:
 *   max-size=SIZE      Docker size (10k, 1m, 1MB, bytes); >= 1k; -1 = unbounded
 *   max-file=N         1 ... 1000
 *   disable-log=BOOL   true or false
 * 0, or -1 with err naming the option and what is allowed (s is then partly updated). */
int container_log_apply(struct container_log_settings *s, char *const *opts, char *err,
                        size_t errlen);

#endif
