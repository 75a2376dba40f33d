/* Fuzzes the storage flags' parsers of create/run: the first byte picks one, the rest is the
 * flag's text. blkio (lib/engine/blkio_spec): an accepted DEV:VALUE has an absolute path and a
 * value in its kind's range; --hugetlb-limit (lib/engine/hugetlb_spec): a page size that is a
 * power of two (or none) and a positive limit. Nothing leaks (ASan). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "engine/blkio_spec.h"
#include "engine/hugetlb_spec.h"
#include "fuzz_input.h"

static void fuzz_blkio(enum blkio_kind k, const char *text)
{
	char err[512], *path = NULL;
	int64_t value = 0;
	if (blkio_spec_parse(k, text, &path, &value, err, sizeof(err)) != 0) {
		if (path)
			abort();
		return;
	}
	if (!path || path[0] != '/' || value <= 0 ||
	    (k == BLKIO_WEIGHT_DEVICE && (value < 10 || value > 1000)))
		abort();
	free(path);
}

static void fuzz_hugetlb(const char *text)
{
	char err[512], *page_size = NULL;
	int64_t limit = 0;
	if (hugetlb_spec_parse(text, &page_size, &limit, err, sizeof(err)) != 0) {
		if (page_size)
			abort();
		return;
	}
	uint64_t bytes;
	if (!page_size || limit <= 0 ||
	    (page_size[0] && (hugetlb_page_size_parse(page_size, &bytes) < 0 || bytes < 4096 ||
	                      (bytes & (bytes - 1)))))
		abort();
	free(page_size);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > 8192)
		return 0;
	char *text = fuzz_cstr(data + 1, size - 1);
	if (!text)
		return 0;
	unsigned pick = data[0] % (BLKIO_KINDS + 1);
	if (pick < BLKIO_KINDS)
		fuzz_blkio((enum blkio_kind)pick, text);
	else
		fuzz_hugetlb(text);
	free(text);
	return 0;
}
