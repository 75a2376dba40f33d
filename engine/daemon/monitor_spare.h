/* One isulad-monitor spawned ahead of the next start (lib/engine/monitor_job.h): a start
 * takes it instead of spawning one, so that the exec and the loading of liblxc's libraries
 * are off its path, and spawns the next one while liblxc starts its container (the start
 * only waits then). Spares are forked by one `isulad-monitor spare-forker`, which loaded
 * liblxc once (an exec per spare cost 1 ms of CPU each); spawned, when it fails. */
#ifndef ENGINE_DAEMON_MONITOR_SPARE_H
#define ENGINE_DAEMON_MONITOR_SPARE_H

#include <sys/types.h>

/* Spawns the first spare (monitor_path standing by for containers in lxcpath). 0, or -1
 * (starts then spawn their own monitor). */
int monitor_spare_start(const char *monitor_path, const char *lxcpath);
/* The spare, now the caller's (one forked now when none is ready): its pid (the forker's
 * child, or the daemon's), a pidfd of it and its job socket (MONITOR_JOB_FD on its side); -1
 * when none can be had (the caller spawns its monitor). */
pid_t monitor_spare_take(int *sock, int *pidfd);
/* Spawns a spare when there is none (and none is being spawned). 0, or -1. */
int monitor_spare_refill(void);
/* The spare and the forker go (they see EOF and exit) and none is spawned any more. */
void monitor_spare_stop(void);

/* Waits until a monitor that is going anyway has gone: reaped when it is the daemon's child,
 * else (the forker's) seen through its pidfd. */
void monitor_wait_gone(pid_t pid, int pidfd);

#endif
