/* Fuzzes proc_status_mask (lib/host/pid_pin.h) on a /proc/PID/status text.
 * Invariant: a mask is only found on a line that begins "SigBlk:" and whose value has at most
 * 16 hex digits, so it fits 64 signals. */
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
	uint64_t mask;
	if (proc_status_mask(text, "SigBlk", &mask) == 0 && strncmp(text, "SigBlk:", 7) != 0 &&
	    !strstr(text, "\nSigBlk:"))
		abort();
	free(text);
	return 0;
}
