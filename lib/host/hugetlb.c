#include "host/hugetlb.h"

#include <dirent.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/fileutil.h"

#define HUGEPAGES_DIR "/sys/kernel/mm/hugepages"

int hugetlb_size_of_dirname(const char *name, uint64_t *bytes)
{
	const char *p = name;
	if (strncmp(p, "hugepages-", 10) != 0)
		return -1;
	p += 10;
	uint64_t kb = 0;
	size_t digits = 0;
	for (; *p >= '0' && *p <= '9' && digits < 15; p++, digits++)
		kb = kb * 10 + (uint64_t)(*p - '0');
	if (!digits || strcmp(p, "kB") != 0 || kb == 0)
		return -1;
	*bytes = kb * 1024;
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

size_t hugetlb_host_sizes(uint64_t sizes[HUGETLB_MAX_SIZES])
{
	DIR *d = opendir(HUGEPAGES_DIR);
	size_t n = 0;
	struct dirent *de;
	while (d && n < HUGETLB_MAX_SIZES && (de = readdir(d))) {
		if (hugetlb_size_of_dirname(de->d_name, &sizes[n]) == 0)
			n++;
	}
	if (d)
		closedir(d);
	qsort(sizes, n, sizeof(sizes[0]), cmp_u64);
	return n;
}

uint64_t hugetlb_default_size_of(const char *meminfo)
{
	const char *l = meminfo ? strstr(meminfo, "Hugepagesize:") : NULL;
	unsigned long long kb = 0;
	if (!l || sscanf(l, "Hugepagesize: %llu kB", &kb) != 1)
		return 0;
	return (uint64_t)kb * 1024;
}

uint64_t hugetlb_default_size(void)
{
	char *text = read_file("/proc/meminfo", 1 << 16, NULL);
	uint64_t size = hugetlb_default_size_of(text);
	free(text);
	return size;
}

void hugetlb_size_name(uint64_t bytes, char *buf, size_t len)
{
	/* mm/hugetlb_cgroup.c's mem_fmt. */
	if (bytes >= (1ULL << 30))
		snprintf(buf, len, "%" PRIu64 "GB", bytes >> 30);
	else if (bytes >= (1ULL << 20))
		snprintf(buf, len, "%" PRIu64 "MB", bytes >> 20);
	else
		snprintf(buf, len, "%" PRIu64 "KB", bytes >> 10);
}

void hugetlb_host_size_list(char *buf, size_t len)
{
	uint64_t sizes[HUGETLB_MAX_SIZES];
	size_t n = hugetlb_host_sizes(sizes);
	snprintf(buf, len, "%s", n ? "" : "none");
	for (size_t i = 0; i < n; i++) {
		char name[32];
		size_t used = strlen(buf);
		hugetlb_size_name(sizes[i], name, sizeof(name));
		snprintf(buf + used, len - used, "%s%s", i ? ", " : "", name);
	}
}
