/* Fuzzes proc_stat_starttime (lib/host/pid_pin.h) on a /proc/PID/stat text.
 * Invariant: a start time is only found after the last ')' (the name may hold spaces and
 * parentheses) with at least 20 blanks after it. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "host/pid_pin.h"
#include "tests/fuzz/fuzz_input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_cstr(data, size);
	if (!text)
		return 0;
	uint64_t ticks;
	if (proc_stat_starttime(text, &ticks) == 0) {
		const char *p = strrchr(text, ')');
		int blanks = 0;
		if (!p)
			abort();
		for (; *p; p++)
			blanks += *p == ' ';
		if (blanks < 20)
			abort();
	}
	free(text);
	return 0;
}
