#include "core/tcp_addr.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

bool tcp_addr_is_tcp(const char *host, bool bare)
{
	if (strncmp(host, "tcp://", 6) == 0)
		return true;
	return bare && !strstr(host, "://") && host[0] != '/' && strchr(host, ':');
}

static int parse_port(const char *s, unsigned *port)
{
	if (!*s || strlen(s) > 5 || strspn(s, "0123456789") != strlen(s))
		return -1;
	unsigned long p = strtoul(s, NULL, 10);
	if (p > 65535)
		return -1;
	*port = (unsigned)p;
	return 0;
}

int tcp_addr_parse(const char *host, struct sockaddr_storage *ss, socklen_t *len)
{
	struct sockaddr_storage tmp;
	if (!ss)
		ss = &tmp;
	memset(ss, 0, sizeof(*ss));
	if (strncmp(host, "tcp://", 6) == 0)
		host += 6;
	char ip[64];
	const char *port_s;
	if (host[0] == '[') {
		const char *end = strchr(host, ']');
		if (!end || end[1] != ':' || (size_t)(end - host - 1) >= sizeof(ip))
			goto bad;
		memcpy(ip, host + 1, (size_t)(end - host - 1));
		ip[end - host - 1] = '\0';
		port_s = end + 2;
	} else {
		const char *colon = strrchr(host, ':');
		if (!colon || colon == host || (size_t)(colon - host) >= sizeof(ip) ||
		    memchr(host, ':', (size_t)(colon - host)))
			goto bad;
		memcpy(ip, host, (size_t)(colon - host));
		ip[colon - host] = '\0';
		port_s = colon + 1;
	}
	unsigned port;
	if (parse_port(port_s, &port) < 0)
		goto bad;
	if (strcmp(ip, "localhost") == 0)
		strcpy(ip, "127.0.0.1");
	struct sockaddr_in *a4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)ss;
	if (host[0] != '[' && inet_pton(AF_INET, ip, &a4->sin_addr) == 1) {
		a4->sin_family = AF_INET;
		a4->sin_port = htons((uint16_t)port);
		if (len)
			*len = sizeof(*a4);
		return 0;
	}
	if (host[0] == '[' && inet_pton(AF_INET6, ip, &a6->sin6_addr) == 1) {
		a6->sin6_family = AF_INET6;
		a6->sin6_port = htons((uint16_t)port);
		if (len)
			*len = sizeof(*a6);
		return 0;
	}
bad:
	errno = EINVAL;
	return -1;
}
