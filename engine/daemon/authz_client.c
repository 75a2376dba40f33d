#include "authz_client.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "core/http_client.h"
#include "core/log.h"

/* A unix-socket connection whose connect, writes and reads each give up after the timeout
 * (a stopped broker with a full backlog would otherwise block connect too). */
static int connect_bounded(struct http_conn *c, const char *path)
{
	memset(c, 0, offsetof(struct http_conn, buf));
	c->fd = -1;
	struct sockaddr_un addr = {.sun_family = AF_UNIX};
	if (strlen(path) >= sizeof(addr.sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(addr.sun_path, path);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	struct timeval tv = {.tv_sec = AUTHZ_TIMEOUT_MS / 1000,
	                     .tv_usec = (AUTHZ_TIMEOUT_MS % 1000) * 1000};
	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)) < 0 ||
	    connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	c->fd = fd;
	return 0;
}

int authz_ask(const char *socket_path, const char *user, const char *action, char *msg,
              size_t msglen)
{
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
	if (connect_bounded(c, socket_path) < 0) {
		LOG_WARN("authz: cannot connect to %s: %s", socket_path, strerror(errno));
	} else if (http_send_request(c, "POST", "/isulad.auth", NULL, body, (size_t)n) < 0 ||
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
