/* Sizes the way `isula stats` prints them: two decimals and a binary unit ("56.00 KiB",
 * "7.45 GiB", "0.00 B"). */
#ifndef LIB_HUMAN_SIZE_H
#define LIB_HUMAN_SIZE_H

#include <stddef.h>
#include <stdint.h>

void format_binary_size(double bytes, char *buf, size_t len);

#endif
