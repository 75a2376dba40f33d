/* "tcp://IP:PORT" hosts (the daemon's -H and the client's): IPv4, [IPv6] or localhost, and a
 * port from 0 to 65535. Numeric only: no name lookups. */
#ifndef LIB_CORE_TCP_ADDR_H
#define LIB_CORE_TCP_ADDR_H

#include <stdbool.h>
#include <sys/socket.h>

/* True for "tcp://..." (also "IP:PORT" without a scheme when bare is true: ISULAD_HOST). */
bool tcp_addr_is_tcp(const char *host, bool bare);
/* Parses host ("tcp://" optional) into *ss and *len (both may be NULL). 0, or -1 with
 * errno EINVAL. */
int tcp_addr_parse(const char *host, struct sockaddr_storage *ss, socklen_t *len);

#endif
