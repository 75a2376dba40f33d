/* Fuzzes -v's parser (lib/engine/bind_spec). Invariants: an accepted spec has two absolute
 * paths without blanks or control characters (they become a liblxc mount line) and a known
 * propagation or none; nothing leaks (ASan). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "engine/bind_spec.h"
#include "fuzz_input.h"

static void check_path(const char *p)
{
	if (!p || p[0] != '/')
		abort();
	for (; *p; p++) {
		if ((unsigned char)*p <= ' ' || *p == 0x7f)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 8192)
		return 0;
	char *spec = fuzz_cstr(data, size);
	if (!spec)
		return 0;
	struct bind_spec b;
	char err[512];
	if (bind_spec_parse(spec, &b, err, sizeof(err)) == 0) {
		check_path(b.src);
		check_path(b.dst);
		if (b.propagation && b.propagation[0] != 'r' && b.propagation[0] != 's' &&
		    b.propagation[0] != 'p')
			abort();
		bind_spec_free(&b);
	}
	free(spec);
	return 0;
}
