/* One message with open descriptors over a unix socket (SCM_RIGHTS): how the daemon hands a
 * pre-spawned monitor its container (the job and the monitor's log). */
#ifndef LIB_CORE_FD_PASS_H
#define LIB_CORE_FD_PASS_H

#include <stddef.h>
#include <sys/types.h>

#define FD_PASS_MAX 4

/* Sends len bytes (at least 1) and nfds (at most FD_PASS_MAX) descriptors in one message.
 * 0, or -1 with errno (a short send is EMSGSIZE). */
int fd_pass_send(int sock, const void *data, size_t len, const int *fds, size_t nfds);
/* Receives one message into buf (at most len bytes) and up to FD_PASS_MAX descriptors, made
 * close-on-exec, into fds (*nfds of them). A message cut short (MSG_TRUNC, MSG_CTRUNC) is
 * refused (EMSGSIZE) and its descriptors closed. Returns the bytes, 0 at EOF, -1 with errno. */
ssize_t fd_pass_recv(int sock, void *buf, size_t len, int *fds, size_t *nfds);

#endif
