#include "engine/hugetlb_spec.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/units.h"

int hugetlb_page_size_parse(const char *text, uint64_t *bytes)
{
	int64_t v;
	if (!text || parse_byte_size(text, &v) < 0 || v < 4096 || (v & (v - 1)) != 0)
		return -1;
	*bytes = (uint64_t)v;
	return 0;
}

int hugetlb_spec_parse(const char *spec, char **page_size, int64_t *limit, char *err, size_t errlen)
{
	*page_size = NULL;
	const char *colon = strchr(spec, ':');
	const char *lim = colon ? colon + 1 : spec;
	uint64_t size;
	int64_t v;
	char *ps = colon ? strndup(spec, (size_t)(colon - spec)) : strdup("");
	if (!ps) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (colon && hugetlb_page_size_parse(ps, &size) < 0) {
		snprintf(
		    err, errlen,
		    "Invalid --hugetlb-limit '%.256s': page size '%.64s' is not a size such as "
		    "2MB or 1GB (a power of two)",
		    spec, ps);
		free(ps);
		return -1;
	}
	if (parse_byte_size(lim, &v) < 0 || v <= 0) {
		snprintf(err, errlen,
		         "Invalid --hugetlb-limit '%.256s': expected [PAGESIZE:]LIMIT with a limit "
		         "greater than 0, such as 2MB:32MB",
		         spec);
		free(ps);
		return -1;
	}
	*page_size = ps;
	*limit = v;
	return 0;
}
