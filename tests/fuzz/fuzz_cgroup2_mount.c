/* Fuzzes cgroup2_mount_in (lib/host/cgroup_v2.h) over a /proc/PID/mountinfo text.
 * Invariant: a mount point found is no longer than the text (unescaping only shrinks) and
 * the text has a cgroup2 line. */
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
	char *mp = cgroup2_mount_in(text);
	if (mp && (strlen(mp) > strlen(text) || !strstr(text, " - cgroup2 ")))
		abort();
	free(mp);
	free(text);
	return 0;
}
