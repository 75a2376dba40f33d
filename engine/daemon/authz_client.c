#include "authz_client.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/http_client.h"
#include "core/log.h"
#include "engine/authz_action.h"

int authz_ask(const char *socket_path, const char *user, const char *action, const char *method,
              char *msg, size_t msglen)
{
	/* The method beside, for readonly policies (only a plain token: it goes in a header). */
	char headers[64] = "";
	if (authz_method_ok(method))
		snprintf(headers, sizeof(headers), AUTHZ_METHOD_HEADER ": %s\r\n", method);
	char body[1024];
	int n = snprintf(body, sizeof(body), "%s:%s", user, action);
	if (n < 0 || (size_t)n >= sizeof(body)) {
		snprintf(msg, msglen, "action '%s' for user '%s': permission denied", action, user);
		return -1;
	}
	struct http_conn *c = malloc(sizeof(*c)); /* 16 KiB: not on a 256 KiB thread stack */
	if (!c) {
		snprintf(msg, msglen, "Failed to request authz plugin. Is server running ?");
		return -1;
	}
	int status = -1;
	if (http_connect_unix_bounded(c, socket_path, AUTHZ_TIMEOUT_MS) < 0) {
		LOG_WARN("authz: cannot connect to %s: %s", socket_path, strerror(errno));
	} else if (http_send_request(c, "POST", "/isulad.auth", headers[0] ? headers : NULL, body,
	                             (size_t)n) < 0 ||
	           http_read_head(c, false) < 0) {
		LOG_WARN("authz: no answer from %s: %s", socket_path,
		         errno == EAGAIN || errno == EWOULDBLOCK ? "timed out" : strerror(errno));
	} else {
		status = c->status;
	}
	if (c->fd >= 0)
		http_close(c);
	free(c);
	if (status == 200)
		return 0;
	if (status < 0)
		snprintf(msg, msglen, "Failed to request authz plugin. Is server running ?");
	else
		snprintf(msg, msglen, "action '%s' for user '%s': permission denied", action, user);
	return -1;
}
