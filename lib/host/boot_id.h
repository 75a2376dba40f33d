/* The host's boot id (/proc/sys/kernel/random/boot_id): a random UUID the kernel draws at
 * each boot. Stored beside a pid and its start time, it tells a record of this boot from one
 * of an earlier boot, where the same pid and start time can belong to an unrelated process. */
#ifndef LIB_HOST_BOOT_ID_H
#define LIB_HOST_BOOT_ID_H

#include <stdbool.h>

#define BOOT_ID_LEN 36 /* 8-4-4-4-12 hex digits */

/* Copies the UUID at the start of text (a trailing newline allowed, nothing else) into out,
 * lowercase. 0, or -1 when text is not one. */
int boot_id_parse(const char *text, char out[BOOT_ID_LEN + 1]);
/* This boot's id, read once and kept ("" when the kernel does not tell: then no record can be
 * told apart, and callers compare nothing). */
const char *boot_id_current(void);
/* Whether a record stamped with recorded (NULL or "": stamped by a version that did not
 * record it) may belong to this boot: false only for a different valid id. */
bool boot_id_is_current(const char *recorded);

#endif
