/* lxcfs-toolkit: puts lxcfs's container-aware /proc files over containers' own. */
#ifndef LXCFS_TOOLKIT_H
#define LXCFS_TOOLKIT_H

#include <stdbool.h>

#include "core/paths.h"

#define TOOLKIT_DEFAULT_GRAPH ISULAD_DEFAULT_GRAPH
#define TOOLKIT_DAEMON_CONFIG ISULAD_DEFAULT_CONFIG

struct toolkit {
	const char *mount_point; /* where lxcfs is mounted */
	const char *graph;       /* the engine's root directory */
	bool logging;            /* --log given: messages are also logged there */
};

/* Prints "lxcfs-toolkit: MSG" on stderr (and logs it as an error). */
void tk_error(const struct toolkit *tk, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Prints MSG on stdout (and logs it). */
void tk_info(const struct toolkit *tk, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Each takes the arguments after its command name and returns the exit code. */
int cmd_remount(const struct toolkit *tk, int argc, char **argv);
int cmd_umount(const struct toolkit *tk, int argc, char **argv);
int cmd_check_lxcfs(const struct toolkit *tk, int argc, char **argv);
int cmd_prestart(const struct toolkit *tk, int argc, char **argv);

#endif
