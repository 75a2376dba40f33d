/* Fuzzes mountinfo_parse_line (lib/host/mountinfo.h) on one /proc/PID/mountinfo line.
 * Invariant: a parsed line has non-negative ids and every field is a string inside the
 * line's buffer ("optional" may be the static ""). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "host/mountinfo.h"
#include "tests/fuzz/fuzz_input.h"

static void inside(const char *f, const char *buf, size_t size)
{
	if (!f || f < buf || f + strlen(f) > buf + size)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *line = fuzz_cstr(data, size);
	if (!line)
		return 0;
	struct mountinfo_entry e;
	if (mountinfo_parse_line(line, &e) == 0) {
		if (e.mount_id < 0 || e.parent_id < 0)
			abort();
		inside(e.root, line, size);
		inside(e.mount_point, line, size);
		inside(e.options, line, size);
		inside(e.fs_type, line, size);
		inside(e.source, line, size);
		if (!e.optional || (e.optional[0] && e.optional < line))
			abort();
		if (e.optional[0])
			inside(e.optional, line, size);
	}
	free(line);
	return 0;
}
