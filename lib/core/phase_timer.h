/* Where the time of one operation goes: named phases timed on the monotonic clock, rendered
 * as one line for the debug log ("validate=0.31 save=1.20 ... total=4.52", milliseconds). */
#ifndef LIB_CORE_PHASE_TIMER_H
#define LIB_CORE_PHASE_TIMER_H

#include <stddef.h>
#include <stdint.h>

struct phase_timer {
	int64_t start_ns, last_ns;
	size_t len;
	char text[480];
};

void phase_timer_start(struct phase_timer *t);
/* Ends the current phase, named name (a word without spaces). */
void phase_timer_mark(struct phase_timer *t, const char *name);
/* The phases so far and the total since the start. */
const char *phase_timer_text(struct phase_timer *t);

#endif
