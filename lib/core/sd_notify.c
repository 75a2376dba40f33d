#include "core/sd_notify.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

char *sd_notify_take_socket(void)
{
	const char *name = getenv("NOTIFY_SOCKET");
	char *copy = name && *name ? strdup(name) : NULL;
	unsetenv("NOTIFY_SOCKET");
	return copy;
}

int sd_notify_send(const char *name, const char *state)
{
	if (!name || !*name)
		return 0;
	size_t len = strlen(name);
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	if ((name[0] != '/' && name[0] != '@') || len < 2 || len >= sizeof(sa.sun_path)) {
		errno = EINVAL;
		return -1;
	}
	memcpy(sa.sun_path, name, len);
	if (name[0] == '@')
		sa.sun_path[0] = '\0';
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	socklen_t salen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len);
	ssize_t n = sendto(fd, state, strlen(state), MSG_NOSIGNAL, (struct sockaddr *)&sa, salen);
	int saved = errno;
	close(fd);
	errno = saved;
	return n == (ssize_t)strlen(state) ? 1 : -1;
}
