/* Text forms of network addresses (see inet_addr.h). */
#include "host/inet_addr.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "core/hex.h"

int inet_addr_parse(const char *s, struct inet_prefix *p)
{
	memset(p, 0, sizeof(*p));
	if (!s || strlen(s) >= INET6_ADDRSTRLEN)
		return -1;
	if (inet_pton(AF_INET, s, p->addr) == 1) {
		p->family = AF_INET;
		p->len = 32;
		return 0;
	}
	if (inet_pton(AF_INET6, s, p->addr) == 1) {
		p->family = AF_INET6;
		p->len = 128;
		return 0;
	}
	return -1;
}

int inet_prefix_parse(const char *s, struct inet_prefix *p)
{
	char buf[INET6_ADDRSTRLEN];
	const char *slash = s ? strchr(s, '/') : NULL;
	if (!slash || (size_t)(slash - s) >= sizeof(buf))
		return -1;
	memcpy(buf, s, (size_t)(slash - s));
	buf[slash - s] = '\0';
	if (inet_addr_parse(buf, p) < 0)
		return -1;
	const char *n = slash + 1;
	/* Decimal digits only, no sign or leading zeros beyond "0" itself. */
	size_t nd = strspn(n, "0123456789");
	if (nd == 0 || nd > 3 || n[nd] || (nd > 1 && n[0] == '0'))
		return -1;
	unsigned len = (unsigned)atoi(n);
	if (len > p->len)
		return -1;
	p->len = len;
	return 0;
}

unsigned inet_addr_size(const struct inet_prefix *p)
{
	return p->family == AF_INET6 ? 16 : 4;
}

void inet_prefix_mask(struct inet_prefix *p)
{
	unsigned size = inet_addr_size(p);
	for (unsigned i = 0; i < size; i++) {
		unsigned bit = i * 8;
		if (bit >= p->len)
			p->addr[i] = 0;
		else if (p->len - bit < 8)
			p->addr[i] &= (unsigned char)(0xff << (8 - (p->len - bit)));
	}
}

bool inet_addr_equal(const struct inet_prefix *a, const struct inet_prefix *b)
{
	return a->family == b->family && memcmp(a->addr, b->addr, inet_addr_size(a)) == 0;
}

int mac_parse(const char *s, unsigned char mac[6])
{
	if (!s || strlen(s) != 17)
		return -1;
	char sep = s[2];
	if ((sep != ':' && sep != '-') || hex_bytes_parse(s, sep, mac, 6) != 6)
		return -1;
	static const unsigned char zero[6];
	if ((mac[0] & 1) || memcmp(mac, zero, 6) == 0)
		return -1;
	return 0;
}
