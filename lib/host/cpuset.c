#include "host/cpuset.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static int parse_num(const char **p, long *out)
{
	if (!isdigit((unsigned char)**p))
		return -1;
	char *end;
	long v = strtol(*p, &end, 10);
	if (v < 0 || v >= CPUSET_MAX)
		return -1;
	*out = v;
	*p = end;
	return 0;
}

int cpuset_parse(const char *list, struct cpuset *out)
{
	memset(out, 0, sizeof(*out));
	const char *p = list;
	if (!p || !*p)
		return -1;
	for (;;) {
		long lo, hi;
		if (parse_num(&p, &lo) < 0)
			return -1;
		hi = lo;
		if (*p == '-') {
			p++;
			if (parse_num(&p, &hi) < 0 || hi < lo)
				return -1;
		}
		for (long i = lo; i <= hi; i++)
			out->bits[i / 64] |= 1ULL << (i % 64);
		if (*p == '\0' || *p == '\n')
			return 0;
		if (*p != ',')
			return -1;
		p++;
	}
}

bool cpuset_is_subset(const struct cpuset *a, const struct cpuset *of)
{
	for (size_t i = 0; i < CPUSET_MAX / 64; i++) {
		if (a->bits[i] & ~of->bits[i])
			return false;
	}
	return true;
}

bool cpuset_is_empty(const struct cpuset *a)
{
	for (size_t i = 0; i < CPUSET_MAX / 64; i++) {
		if (a->bits[i])
			return false;
	}
	return true;
}
