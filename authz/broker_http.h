/* authz-broker's HTTP side: /isulad.auth and the Docker AuthZ plugin endpoints, served by
 * libmicrohttpd on a listening unix socket, against the current policies. */
#ifndef AUTHZ_BROKER_HTTP_H
#define AUTHZ_BROKER_HTTP_H

#include <stddef.h>

#include "policy.h"

#define AUTH_BODY_MAX 4096u           /* POST /isulad.auth: "user:action" */
#define AUTHZ_REQ_BODY_MAX (1u << 20) /* AuthZReq/AuthZRes: Docker's authorization.Request */
#define BROKER_MAX_CONNECTIONS 2048u
#define BROKER_IDLE_TIMEOUT_S 10u

/* Serves on the listening socket fd (taken over). 0, or -1 with a message logged. */
int broker_http_start(int listen_fd);
void broker_http_stop(void);

/* Makes set the one every later request is decided against and frees the previous one (set
 * NULL: every request answers 500 until the next load). */
void broker_set_policies(struct policy_set *set);

/* The split of an /isulad.auth body: exactly one ':' with a non-empty user before it and a
 * non-empty action after it, no control characters. 0 with user/action copied (NUL-terminated,
 * each buffer AUTH_BODY_MAX+1 bytes), or -1. */
int auth_body_split(const char *body, size_t len, char *user, char *action);

#endif
