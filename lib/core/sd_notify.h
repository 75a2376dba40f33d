/* systemd's readiness protocol (sd_notify(3)) without linking libsystemd: one datagram to the
 * unix socket named by $NOTIFY_SOCKET (a path, or an abstract name written "@name"). */
#ifndef LIB_CORE_SD_NOTIFY_H
#define LIB_CORE_SD_NOTIFY_H

/* Takes $NOTIFY_SOCKET out of the environment (so that the processes the caller starts do not
 * inherit it) and returns a copy to free, or NULL when not under a service manager. Call it
 * before any thread starts (unsetenv). */
char *sd_notify_take_socket(void);

/* Sends state ("READY=1", "STOPPING=1", "STATUS=...", lines separated by '\n') to the service
 * manager's socket name (a path or "@name"). Returns 1 when sent, 0 when name is NULL or empty
 * (not under a service manager), -1 with errno on failure (a name that is not an absolute path
 * or "@name", too long, or the socket refuses). */
int sd_notify_send(const char *name, const char *state);

#endif
