/* The daemon's own log: --log-driver file|stdout and --log-opt (daemon.json "log-opts")
 * log-path, max-size, max-file, log-file-mode. */
#ifndef ENGINE_DAEMON_DAEMON_LOG_H
#define ENGINE_DAEMON_DAEMON_LOG_H

#include <stddef.h>

#include "daemon_config.h"

struct daemon_log_opts {
	const char *path_dir; /* NULL: the graph */
	long long max_size;   /* bytes; 0 with max_files 1 */
	int max_files;
	unsigned mode;
};

#define DAEMON_LOG_DEFAULT_MAX_SIZE (1LL << 20)
#define DAEMON_LOG_DEFAULT_MAX_FILES 7
#define DAEMON_LOG_DEFAULT_MODE 0600

/* Checks the driver and every "k=v" option: 0 with out filled, or -1 with a message naming the
 * option and what is allowed. out's strings point into opts. */
int daemon_log_parse(const char *driver, char *const *opts, struct daemon_log_opts *out, char *err,
                     size_t errlen);
/* Opens the daemon's log as cfg says (already checked by daemon_config_load). -1 after
 * printing why the file cannot be opened. */
int daemon_log_setup(const struct daemon_config *cfg);

#endif
