/* A container's log configuration: checked and completed with the defaults at create, read
 * back at every start (monitor options, lxc console settings) and by the logs endpoint. */
#ifndef ENGINE_LOG_CONFIG_H
#define ENGINE_LOG_CONFIG_H

#include <stddef.h>

#include "container.h"
#include "engine/container_log.h"

/* Checks h's LogConfig (Type json-file or none; options of lib/engine/container_log.h) over the
 * daemon's "container-log" options, then stores the effective settings in h, so that later
 * changes of the daemon's defaults do not change existing containers. 0, or -1 with err. */
int log_config_resolve(struct host_config *h, char *const *daemon_opts, char *err, size_t errlen);
/* The effective settings of a created container. */
void log_config_settings(const struct host_config *h, struct container_log_settings *s);
/* <graph>/engines/lcr/<id>/console.log (malloc'd). */
char *log_config_path(const char *id);

#endif
