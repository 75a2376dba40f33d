/* Fuzzes strv_split_nul (lib/core/strv.h), the reading of a spare monitor's job: any bytes.
 * Invariants: a list comes back only from bytes that end in NUL, and joining it again gives
 * the same bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/strv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* An exact-size copy, so that ASan sees a read past it. */
	char *buf = malloc(size ? size : 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	char **v = strv_split_nul(buf, size);
	if (v) {
		if (size == 0 || buf[size - 1] != '\0')
			abort();
		size_t len = 0;
		char *again = strv_join_nul(v, &len);
		if (!again || len != size || memcmp(again, buf, size) != 0)
			abort();
		free(again);
		strv_free(v);
	} else if (size > 0 && buf[size - 1] == '\0') {
		abort(); /* only out of memory may refuse a well-formed list */
	}
	free(buf);
	return 0;
}
