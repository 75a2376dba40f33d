#include "engine/port_spec.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int parse_port(const char *s, int *out)
{
	char *end = NULL;
	long v = strtol(s, &end, 10);
	if (!*s || *end || v < 1 || v > 65535)
		return -1;
	*out = (int)v;
	return 0;
}

int port_spec_parse(const char *spec, struct cni_port *p, char *err, size_t errlen)
{
	memset(p, 0, sizeof(*p));
	char buf[128];
	if (!spec || strlen(spec) >= sizeof(buf))
		goto bad;
	snprintf(buf, sizeof(buf), "%s", spec);
	snprintf(p->proto, sizeof(p->proto), "tcp");
	char *slash = strrchr(buf, '/');
	if (slash) {
		*slash = '\0';
		if (strcmp(slash + 1, "tcp") != 0 && strcmp(slash + 1, "udp") != 0)
			goto bad;
		snprintf(p->proto, sizeof(p->proto), "%s", slash + 1);
	}
	char *last = strrchr(buf, ':');
	if (!last)
		goto bad;
	*last = '\0';
	if (parse_port(last + 1, &p->container_port) < 0)
		goto bad;
	char *mid = strrchr(buf, ':');
	const char *host_port = mid ? mid + 1 : buf;
	if (mid) {
		*mid = '\0';
		struct in_addr a;
		if (strlen(buf) >= sizeof(p->host_ip) || inet_pton(AF_INET, buf, &a) != 1)
			goto bad;
		memcpy(p->host_ip, buf, strlen(buf) + 1);
	}
	if (parse_port(host_port, &p->host_port) < 0)
		goto bad;
	return 0;
bad:
	snprintf(err, errlen,
	         "invalid port specification %s: expected [IP:]HOSTPORT:CONTAINERPORT[/tcp|udp] "
	         "with ports 1 to 65535 and an IPv4 address",
	         spec ? spec : "");
	return -1;
}
