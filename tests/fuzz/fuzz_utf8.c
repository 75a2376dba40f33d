/* Fuzzes utf8_valid, utf8_repair and utf8_cut (lib/core/utf8.h) on raw bytes.
 * Invariants: a repair is valid UTF-8 (and the input itself when that was valid); a cut of
 * valid text is a valid prefix at most 3 bytes short of the limit. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/utf8.h"

static void check_cut(const char *s, size_t n, size_t max, bool valid)
{
	size_t cut = utf8_cut(s, n, max);
	if (cut > n || (n <= max && cut != n) || (n > max && cut > max))
		abort();
	if (valid && (!utf8_valid(s, cut) || (n > max && max - cut > 3)))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* An exact-size copy, so that ASan sees a read past it. */
	char *s = malloc(size ? size : 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	bool valid = utf8_valid(s, size);
	size_t len;
	char *fixed = utf8_repair(s, size, &len);
	if (fixed) {
		if (fixed[len] != '\0' || len > size * 3 || !utf8_valid(fixed, len))
			abort();
		if (valid && (len != size || memcmp(fixed, s, size) != 0))
			abort();
		size_t max = size ? (size_t)data[0] % (len + 1) : 0;
		check_cut(fixed, len, max, true);
		free(fixed);
	}
	for (size_t i = 0; i < 4 && i <= size; i++)
		check_cut(s, size, size - i, valid);
	if (size)
		check_cut(s, size, (size_t)data[size - 1] % size, valid);
	free(s);
	return 0;
}
