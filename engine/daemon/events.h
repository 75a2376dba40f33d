/* Container events (Docker's /events): a bounded history for --since, and live fan-out to
 * every connected subscriber.
 *
 * Producers call, after the action has happened:
 *
 *     events_emit(c, "start", "pid", "9007", NULL);     // store lock NOT held
 *     events_emit_locked(c, "die", "exitCode", "137", NULL);   // store lock held
 *
 * The attributes are key/value string pairs ended by NULL; "name" (the container's current
 * name) and "image" are always added. Actions used: create start restart stop kill (signal)
 * die (exitCode) pause unpause rename (oldName) update destroy; exec_create exec_start
 * attach resize are for the exec/attach routes. Never blocks on subscribers. */
#ifndef ENGINE_EVENTS_H
#define ENGINE_EVENTS_H

#include "container.h"
#include "server.h"

void events_emit(const struct container *c, const char *action, ...) __attribute__((sentinel));
void events_emit_locked(const struct container *c, const char *action, ...)
    __attribute__((sentinel));

/* GET /events?since=&until=&filters= */
void route_events(const struct request *req, struct response *resp);

#endif
