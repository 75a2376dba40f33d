/* The gate between the daemon's CNI ADD and a container's init: the init's start waits (in
 * liblxc's first lxc.hook.start-host, `isulad-monitor net-wait`) until the daemon has set the
 * network namespace up (NET_READY_FILE in the state dir) or failed (NET_FAILED_FILE, the
 * reason in the hook error file), so that ADD runs while liblxc prepares the container. */
#ifndef LIB_ENGINE_NET_GATE_H
#define LIB_ENGINE_NET_GATE_H

#include <stdint.h>

#define NET_READY_FILE "net.ready"
#define NET_FAILED_FILE "net.failed"

/* Daemon side: opens the gate (why NULL) or closes it for good with why; 0 or -1. */
int net_gate_release(const char *state_dir, const char *why);
/* Daemon side, at a restart: a start whose daemon died before deciding would wait until its
 * limit (and liblxc answer no command meanwhile); closes the gate with why unless it was
 * decided. 1 if it closed it, 0 if it was decided, -1 on error. */
int net_gate_abandon(const char *state_dir, const char *why);
/* Daemon side, before a start: removes the last start's gate files. */
void net_gate_reset(const char *state_dir);
/* Hook side: 0 once ready, -1 when failed or after limit_ms. */
int net_gate_wait(const char *state_dir, int64_t limit_ms);

#endif
