/* Fuzzes cgroup2_path_in (lib/host/cgroup_v2.h) over a /proc/PID/cgroup text.
 * Invariant: the path found is the rest of the last line that starts with "0::" (a v1 cgroup
 * named with a newline must not forge an earlier one). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "host/cgroup_v2.h"
#include "tests/fuzz/fuzz_input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_cstr(data, size);
	if (!text)
		return 0;
	/* The last line of the text (up to its NUL) that starts with "0::". */
	const char *last = NULL;
	for (const char *l = text; l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
		if (strncmp(l, "0::", 3) == 0)
			last = l + 3;
	}
	char *path = cgroup2_path_in(text);
	if (!path != !last)
		abort();
	if (path) {
		size_t len = strcspn(last, "\n");
		if (strlen(path) != len || memcmp(path, last, len) != 0)
			abort();
	}
	free(path);
	free(text);
	return 0;
}
