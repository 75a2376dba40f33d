/* Watches container monitors (pidfds in one epoll thread), records exits, and applies
 * restart policies with back-off (100 ms doubling to 1 min, reset after 10 s of running). */
#ifndef ENGINE_SUPERVISOR_H
#define ENGINE_SUPERVISOR_H

#include <sys/types.h>

#include "container.h"
#include "engine/exit_record.h"

int supervisor_start(void);
/* Daemon shutdown: stops watching (the containers keep running). */
void supervisor_stop(void);
/* Watches a running container's monitor; takes ownership of pidfd. */
void supervisor_watch(struct container *c, pid_t monitor, int pidfd);
/* Records an exit (state, exit code, time), then applies the restart policy. */
void supervisor_record_exit(struct container *c, const struct exit_record *rec);
/* A stop saw the init end with exit_code (its monitor still tearing the container down): the
 * exit as the supervisor will record it is rendered and left pending for the stop to write
 * (store_sync_state) while liblxc finishes; the record then takes this time, so that it
 * finds nothing new to write. The state in memory stays running until the record. */
void supervisor_foresee_exit(struct container *c, int exit_code);
/* Cancels a pending restart (manual stop/kill/rm). Call with the store lock held. */
void supervisor_cancel_restart_locked(struct container *c);
/* Makes the loop look again at what is due (a restart, a health check); any lock held. */
void supervisor_wake(void);
/* Daemon start: reattach to live monitors, record exits that happened while it was down. */
void supervisor_restore_all(void);

#endif
