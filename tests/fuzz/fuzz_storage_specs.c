/* Fuzzes the storage flags' parsers of create/run: the first byte picks one, the rest is the
 * flag's text. blkio (lib/engine/blkio_spec): an accepted DEV:VALUE has an absolute path and a
 * value in its kind's range; --hugetlb-limit (lib/engine/hugetlb_spec): a page size that is a
 * power of two (or none) and a positive limit; --mount (lib/engine/mount_spec, Docker's CSV): an
 * accepted mount passes the rules the daemon checks API entries with, its paths absolute and
 * without blanks (fields of a liblxc mount entry). Nothing leaks (ASan). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "engine/blkio_spec.h"
#include "engine/hugetlb_spec.h"
#include "engine/mount_spec.h"
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

static void check_path(const char *p)
{
	if (!p || p[0] != '/')
		abort();
	for (; *p; p++) {
		if ((unsigned char)*p <= ' ' || *p == 0x7f)
			abort();
	}
}

static void fuzz_mount(const char *text)
{
	char err[1024];
	struct mount_spec m;
	if (mount_spec_parse(text, &m, err, sizeof(err)) != 0) {
		if (m.source || m.target)
			abort();
		return;
	}
	if (mount_spec_check(&m, err, sizeof(err)) != 0)
		abort();
	check_path(m.target);
	if (m.type == MOUNT_BIND)
		check_path(m.source);
	else if (m.source || m.tmpfs_mode < 0 || m.tmpfs_mode > 07777 || m.tmpfs_size < 0)
		abort();
	mount_spec_free(&m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > 8192)
		return 0;
	char *text = fuzz_cstr(data + 1, size - 1);
	if (!text)
		return 0;
	unsigned pick = data[0] % (BLKIO_KINDS + 2);
	if (pick < BLKIO_KINDS)
		fuzz_blkio((enum blkio_kind)pick, text);
	else if (pick == BLKIO_KINDS)
		fuzz_hugetlb(text);
	else
		fuzz_mount(text);
	free(text);
	return 0;
}
