/* Hexadecimal digits and byte strings (see hex.h). */
#include "core/hex.h"

int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int hex_bytes_parse(const char *s, char sep, unsigned char *out, size_t max)
{
	size_t n = 0;
	if (!*s)
		return 0;
	for (;;) {
		int hi = hex_digit(s[0]), lo = hi < 0 ? -1 : hex_digit(s[1]);
		if (n >= max || hi < 0 || lo < 0)
			return -1;
		out[n++] = (unsigned char)(hi << 4 | lo);
		s += 2;
		if (!*s)
			return (int)n;
		if (*s++ != sep)
			return -1;
	}
}
