#include "core/idgen.h"

#include <string.h>
#include <sys/random.h>

int idgen_random_hex(char *buf)
{
	unsigned char raw[CONTAINER_ID_LEN / 2];
	static const char hex[] = "0123456789abcdef";
	if (getrandom(raw, sizeof(raw), 0) != (ssize_t)sizeof(raw))
		return -1;
	for (size_t i = 0; i < sizeof(raw); i++) {
		buf[2 * i] = hex[raw[i] >> 4];
		buf[2 * i + 1] = hex[raw[i] & 0xf];
	}
	buf[CONTAINER_ID_LEN] = '\0';
	return 0;
}

int idgen_is_full_id(const char *s)
{
	if (strlen(s) != CONTAINER_ID_LEN)
		return 0;
	return strspn(s, "0123456789abcdef") == CONTAINER_ID_LEN;
}
