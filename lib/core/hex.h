/* Hexadecimal digits and byte strings ("aa:bb:cc", MAC-address style). */
#ifndef LIB_CORE_HEX_H
#define LIB_CORE_HEX_H
#include <stddef.h>

/* The value of one hex digit (either case), or -1. */
int hex_digit(char c);
/* "aa:bb:cc" (two digits a byte, sep between them) into out, at most max bytes: the number of
 * bytes, 0 for "", or -1 when malformed or longer. */
int hex_bytes_parse(const char *s, char sep, unsigned char *out, size_t max);
#endif
