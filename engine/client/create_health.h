/* create/run's health check flags (--health-cmd, --health-interval, --health-timeout,
 * --health-start-period, --health-retries, --health-exit-on-unhealthy, --no-healthcheck) as
 * Docker's Config.Healthcheck (with iSulad's ExitOnUnhealthy). The ranges are checked here
 * with the daemon's checker (lib/engine/healthcheck), so the message names the flag. */
#ifndef CLIENT_CREATE_HEALTH_H
#define CLIENT_CREATE_HEALTH_H

#include <stddef.h>
#include <yajl/yajl_gen.h>

#include "core/cli_args.h"

/* Positions of the flags in the command's option table. */
struct create_health_flags {
	size_t cmd, interval, timeout, start_period, retries, exit_on_unhealthy, no_healthcheck;
};

/* Emits "Healthcheck" into the open Config map (nothing when no flag is given); -1 after
 * printing what is wrong. */
int create_gen_health(yajl_gen g, struct cli_values *v, const struct create_health_flags *ix);

#endif
