/* The daemon's side of the authorization plugin (issue 13): before a request runs, POST
 * "user:action" to the authz-broker's /isulad.auth over its unix socket. Only 200 allows;
 * any other answer, a broker that cannot be reached or that does not answer within
 * AUTHZ_TIMEOUT_MS denies (fail-closed). No fork: the daemon is multi-threaded. */
#ifndef ENGINE_DAEMON_AUTHZ_CLIENT_H
#define ENGINE_DAEMON_AUTHZ_CLIENT_H

#include <stddef.h>

#define AUTHZ_TIMEOUT_MS 2000

/* 0: allowed. -1: denied, with the message for the client in msg (iSulad's texts). */
int authz_ask(const char *socket_path, const char *user, const char *action, const char *method,
              char *msg, size_t msglen);

#endif
