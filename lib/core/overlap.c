#include "core/overlap.h"

#include <stdlib.h>

size_t overlap_suffix_prefix(const char *a, size_t alen, const char *b, size_t blen)
{
	if (alen == 0 || blen == 0)
		return 0;
	/* Knuth-Morris-Pratt: fail[i] is the longest proper border of b[0..i]. */
	size_t *fail = malloc(blen * sizeof(*fail));
	if (!fail)
		return (size_t)-1;
	fail[0] = 0;
	for (size_t i = 1, k = 0; i < blen; i++) {
		while (k > 0 && b[i] != b[k])
			k = fail[k - 1];
		if (b[i] == b[k])
			k++;
		fail[i] = k;
	}
	/* Only a's last blen bytes can take part. */
	size_t k = 0;
	for (size_t i = alen > blen ? alen - blen : 0; i < alen; i++) {
		while (k > 0 && (k == blen || a[i] != b[k]))
			k = fail[k - 1];
		if (a[i] == b[k])
			k++;
	}
	free(fail);
	return k;
}

size_t overlap_suffix_prefix_crlf(const char *a, size_t alen, const char *b, size_t blen)
{
	char *norm = malloc(blen + 1);
	size_t *end = malloc((blen + 1) * sizeof(*end)); /* b's offset after norm[k] */
	size_t n = 0, shared = 0;
	for (size_t i = 0; norm && end && i < blen; i++) {
		if (b[i] == '\r' && i + 2 < blen && b[i + 1] == '\r' && b[i + 2] == '\n')
			continue;
		norm[n] = b[i];
		end[n++] = i + 1;
	}
	if (norm && end) {
		size_t k = overlap_suffix_prefix(a, alen, norm, n);
		shared = k == (size_t)-1 || k == 0 ? 0 : end[k - 1];
	}
	free(norm);
	free(end);
	return shared;
}
