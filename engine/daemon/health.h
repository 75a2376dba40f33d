/* Health checks of running containers (Config.Healthcheck, `--health-*`). The supervisor's
 * loop is the one scheduler: it asks health_run_due_locked of each container when a check is
 * due and sleeps until the next one; a due check runs in a thread of its own through the exec
 * path (exec_capture.c), so neither the loop nor an API request ever waits for one, and its
 * result is applied under the store lock (health_state.c's rules), saved with the state and
 * announced as Docker's "health_status: ..." event. A container without a check costs one
 * comparison per wake of the loop. Every function here is called with the store lock held. */
#ifndef ENGINE_HEALTH_H
#define ENGINE_HEALTH_H

#include <stdbool.h>
#include <stdint.h>

#include "container.h"

/* The container runs (a start, a restart, or the daemon's reattach): starting, the first
 * check one interval later (none while it is paused: unhealthy then, as the seed says). */
void health_started_locked(struct container *c);
/* It exited: no more checks; one under way is dropped. The last status stays (Docker). */
void health_stopped_locked(struct container *c);
/* pause: unhealthy (the seed), no checks until unpause, which schedules the next one an
 * interval later. Nothing is killed for a pause, --health-exit-on-unhealthy or not. */
void health_paused_locked(struct container *c, bool paused);
/* The supervisor's loop, at monotonic now_ms: starts c's check when it is due; the ms until
 * c's next one, or -1 when none is scheduled. */
int64_t health_run_due_locked(struct container *c, int64_t now_ms);

#endif
