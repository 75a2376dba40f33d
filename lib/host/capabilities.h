/* Linux capability names as the CLI and the Docker API spell them, and Docker's rules for
 * combining a default set with --cap-add / --cap-drop. */
#ifndef LIB_HOST_CAPABILITIES_H
#define LIB_HOST_CAPABILITIES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Highest capability number this table knows (CAP_CHECKPOINT_RESTORE). */
#define CAPABILITY_LAST 40

/* The number of "NET_ADMIN", "net_admin", "CAP_NET_ADMIN" or "cap_net_admin"; -1 if
 * unknown (also for "ALL", which is no single capability). */
int capability_from_name(const char *name);
/* "NET_ADMIN" for 12; NULL outside 0..CAPABILITY_LAST. */
const char *capability_name(int cap);
/* True for "ALL" in any case (with or without the CAP_ prefix Docker also accepts). */
bool capability_is_all(const char *name);

/* Every entry of list is a known capability or ALL; otherwise -1 with err naming the value
 * and the flag ("--cap-add"). */
int capability_list_check(char *const *list, const char *flag, char *err, size_t errlen);

/*
 * The effective set, as a bit mask, of a container whose default set is base (names), after
 * add and drop, with Docker's precedence: ALL in add gives every capability up to last_cap
 * except those dropped; else ALL in drop leaves only the added ones; else base minus drop
 * plus add. Returns -1 with err when a name is unknown.
 */
int capability_set_compute(const char *const *base, char *const *add, char *const *drop,
                           int last_cap, uint64_t *out, char *err, size_t errlen);

#endif
