/* Text forms of network addresses, parsed strictly (inet_pton, no shorthand): an IP address,
 * an IP prefix "ADDR/LEN" and an Ethernet MAC address. Used for hot-plugged NICs and routes. */
#ifndef LIB_HOST_INET_ADDR_H
#define LIB_HOST_INET_ADDR_H
#include <stdbool.h>

struct inet_prefix {
	int family;             /* AF_INET or AF_INET6 */
	unsigned char addr[16]; /* network byte order; 4 bytes used for AF_INET */
	unsigned len;           /* prefix length; 32 or 128 for a bare address */
};

/* "10.0.0.2/24", "fd00::2/64": 0, or -1 (no "/LEN", LEN out of range, a bad address). */
int inet_prefix_parse(const char *s, struct inet_prefix *p);
/* "10.0.0.2", "fd00::2" (no prefix): 0, or -1. */
int inet_addr_parse(const char *s, struct inet_prefix *p);
/* The address's byte count: 4 or 16. */
unsigned inet_addr_size(const struct inet_prefix *p);
/* Clears the bits after the prefix (172.17.28.5/24 becomes 172.17.28.0/24). */
void inet_prefix_mask(struct inet_prefix *p);
/* The same address (the prefix lengths are not compared). */
bool inet_addr_equal(const struct inet_prefix *a, const struct inet_prefix *b);

/* "00:ff:48:13:0a:0b" (or with '-'): 0, or -1. Also refused: a multicast address (the
 * kernel takes none for an Ethernet link) and all zeros. */
int mac_parse(const char *s, unsigned char mac[6]);
#endif
