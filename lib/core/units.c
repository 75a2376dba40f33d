#include "core/units.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* A decimal number split at its point: whole part as an integer, fraction as its digits. */
struct decimal {
	uint64_t whole;
	const char *frac;
	size_t nfrac;
};

/* Accumulates base-10 digits at *p (advancing it) without exceeding limit.
 * Returns the digit count, or -1 on overflow. */
static int scan_digits(const char **p, uint64_t limit, uint64_t *acc)
{
	int n = 0;

	*acc = 0;
	while (isdigit((unsigned char)**p)) {
		uint64_t d = (uint64_t)(**p - '0');

		if (*acc > (limit - d) / 10)
			return -1;
		*acc = *acc * 10 + d;
		(*p)++;
		n++;
	}
	return n;
}

/* Reads "12", "1.5", ".5" or "5." at *p; needs at least one digit. Returns 0 or -1. */
static int scan_decimal(const char **p, struct decimal *d)
{
	int nwhole = scan_digits(p, UINT64_MAX, &d->whole);

	if (nwhole < 0)
		return -1;
	d->frac = "";
	d->nfrac = 0;
	if (**p == '.') {
		(*p)++;
		d->frac = *p;
		while (isdigit((unsigned char)**p))
			(*p)++;
		d->nfrac = (size_t)(*p - d->frac);
	}
	return (nwhole > 0 || d->nfrac > 0) ? 0 : -1;
}

/* floor(0.<frac digits> * unit), exact for any number of digits: Horner's rule from the last
 * digit, where each step's floor does not change the final floor. Needs 10 * unit < 2^64. */
static uint64_t scale_fraction(const struct decimal *d, uint64_t unit)
{
	uint64_t acc = 0;
	size_t i;

	for (i = d->nfrac; i > 0; i--)
		acc = ((uint64_t)(d->frac[i - 1] - '0') * unit + acc) / 10;
	return acc;
}

/* *out = floor(d * unit), failing if the result exceeds INT64_MAX. */
static int scale_decimal(const struct decimal *d, uint64_t unit, int64_t *out)
{
	uint64_t frac = scale_fraction(d, unit);

	if (d->whole > ((uint64_t)INT64_MAX - frac) / unit)
		return -1;
	*out = (int64_t)(d->whole * unit + frac);
	return 0;
}

/* The multiplier of a RAMInBytes suffix: "", "b", or k/m/g/t/p + optional "i", "b", "ib". */
static int size_suffix_multiplier(const char *sfx, uint64_t *mult)
{
	static const char units[] = "bkmgtp";
	const char *unit;
	const char *rest;

	if (sfx[0] == '\0') {
		*mult = 1;
		return 0;
	}
	unit = strchr(units, tolower((unsigned char)sfx[0]));
	if (unit == NULL)
		return -1;
	*mult = (uint64_t)1 << (10 * (unit - units));
	rest = sfx + 1;
	if (unit == units) /* a plain "b" takes nothing after it */
		return rest[0] == '\0' ? 0 : -1;
	if (rest[0] == '\0' || strcasecmp(rest, "i") == 0 || strcasecmp(rest, "b") == 0 ||
	    strcasecmp(rest, "ib") == 0)
		return 0;
	return -1;
}

int parse_byte_size(const char *s, int64_t *out)
{
	struct decimal d;
	uint64_t mult;
	const char *p = s;

	if (s == NULL || out == NULL)
		return -1;
	if (scan_decimal(&p, &d) != 0 || size_suffix_multiplier(p, &mult) != 0)
		return -1;
	return scale_decimal(&d, mult, out);
}

int parse_nano_cpus(const char *s, int64_t *out)
{
	struct decimal d;
	const char *p = s;

	if (s == NULL || out == NULL || scan_decimal(&p, &d) != 0 || *p != '\0')
		return -1;
	for (size_t i = 9; i < d.nfrac; i++) {
		if (d.frac[i] != '0')
			return -1;
	}
	return scale_decimal(&d, 1000000000, out);
}

int parse_uint64(const char *s, uint64_t *out)
{
	const char *p = s;
	uint64_t v;

	if (s == NULL || out == NULL)
		return -1;
	if (scan_digits(&p, UINT64_MAX, &v) <= 0 || *p != '\0')
		return -1;
	*out = v;
	return 0;
}

int parse_int64(const char *s, int64_t *out)
{
	const char *p = s;
	bool negative = false;
	uint64_t mag;

	if (s == NULL || out == NULL)
		return -1;
	if (*p == '+' || *p == '-') {
		negative = (*p == '-');
		p++;
	}
	/* INT64_MIN's magnitude is one more than INT64_MAX's. */
	if (scan_digits(&p, (uint64_t)INT64_MAX + negative, &mag) <= 0 || *p != '\0')
		return -1;
	if (negative)
		*out = (mag == (uint64_t)INT64_MAX + 1) ? INT64_MIN : -(int64_t)mag;
	else
		*out = (int64_t)mag;
	return 0;
}

/* Nanoseconds per Go duration unit; the unit is the whole run of non-digit characters. */
static int duration_unit_ns(const char *unit, size_t len, uint64_t *ns)
{
	static const struct {
		const char *name;
		uint64_t ns;
	} units[] = {
	    {"ns", 1ULL},
	    {"us", 1000ULL},
	    {"\xc2\xb5s", 1000ULL}, /* U+00B5 micro sign */
	    {"\xce\xbcs", 1000ULL}, /* U+03BC Greek mu */
	    {"ms", 1000000ULL},
	    {"s", 1000000000ULL},
	    {"m", 60ULL * 1000000000ULL},
	    {"h", 3600ULL * 1000000000ULL},
	};
	size_t i;

	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strlen(units[i].name) == len && memcmp(units[i].name, unit, len) == 0) {
			*ns = units[i].ns;
			return 0;
		}
	}
	return -1;
}

/* Sums "<decimal><unit>" terms into nanoseconds, capped at INT64_MAX like Go's Duration. */
static int parse_go_duration_ns(const char *s, int64_t *total)
{
	const char *p = s;

	*total = 0;
	while (*p != '\0') {
		struct decimal d;
		const char *unit;
		uint64_t unit_ns;
		int64_t term;

		if (scan_decimal(&p, &d) != 0)
			return -1;
		unit = p;
		while (*p != '\0' && !isdigit((unsigned char)*p) && *p != '.')
			p++;
		if (duration_unit_ns(unit, (size_t)(p - unit), &unit_ns) != 0)
			return -1;
		if (scale_decimal(&d, unit_ns, &term) != 0 || term > INT64_MAX - *total)
			return -1;
		*total += term;
	}
	return 0;
}

int parse_duration_ms(const char *s, int64_t *out)
{
	uint64_t secs;
	int64_t ns;

	if (s == NULL || out == NULL || *s == '\0')
		return -1;
	if (parse_uint64(s, &secs) == 0) {
		if (secs > (uint64_t)(INT64_MAX / 1000))
			return -1;
		*out = (int64_t)secs * 1000;
		return 0;
	}
	if (parse_go_duration_ns(s, &ns) != 0)
		return -1;
	*out = ns / 1000000 + (ns % 1000000 != 0);
	return 0;
}

int parse_go_duration(const char *s, int64_t *ns)
{
	bool negative = false;
	int64_t v;

	if (s == NULL || ns == NULL)
		return -1;
	if (*s == '+' || *s == '-')
		negative = *s++ == '-';
	if (strcmp(s, "0") == 0) {
		*ns = 0;
		return 0;
	}
	if (*s == '\0' || parse_go_duration_ns(s, &v) != 0)
		return -1;
	*ns = negative ? -v : v;
	return 0;
}

/* Writes v's digits, then its fraction of prec digits (trailing zeros and a bare point
 * dropped), before *end; returns the new start. Go's fmtFrac and fmtInt. */
static char *put_frac(char *end, uint64_t *v, int prec)
{
	bool print = false;
	for (int i = 0; i < prec; i++) {
		unsigned digit = (unsigned)(*v % 10);
		print = print || digit != 0;
		if (print)
			*--end = (char)('0' + digit);
		*v /= 10;
	}
	if (print)
		*--end = '.';
	return end;
}

static char *put_int(char *end, uint64_t v)
{
	do {
		*--end = (char)('0' + v % 10);
		v /= 10;
	} while (v > 0);
	return end;
}

void format_go_duration(int64_t ns, char *buf, size_t len)
{
	char tmp[40];
	char *end = tmp + sizeof(tmp), *p = end;
	bool negative = ns < 0;
	uint64_t u = negative ? (uint64_t)0 - (uint64_t)ns : (uint64_t)ns;

	if (buf == NULL || len == 0)
		return;
	if (u < 1000000000ULL) {
		/* Under a second: the largest unit that keeps a whole part (ns, µs, ms). */
		static const char *const units[] = {"ns", "\xc2\xb5s", "ms"};
		int prec = 0, unit = 0;
		if (u == 0) {
			snprintf(buf, len, "0s");
			return;
		}
		if (u >= 1000000ULL) {
			prec = 6;
			unit = 2;
		} else if (u >= 1000ULL) {
			prec = 3;
			unit = 1;
		}
		p = put_frac(p, &u, prec);
		p = put_int(p, u);
		snprintf(buf, len, "%s%.*s%s", negative ? "-" : "", (int)(end - p), p, units[unit]);
		return;
	}
	*--p = 's';
	p = put_frac(p, &u, 9);
	p = put_int(p, u % 60); /* u is whole seconds now */
	u /= 60;
	if (u > 0) {
		*--p = 'm';
		p = put_int(p, u % 60);
		u /= 60;
		if (u > 0) {
			*--p = 'h';
			p = put_int(p, u);
		}
	}
	snprintf(buf, len, "%s%.*s", negative ? "-" : "", (int)(end - p), p);
}

/* Mirrors docker/go-units HumanDuration, including its rounding of hours. */
void format_human_duration(int64_t seconds, char *buf, size_t len)
{
	int64_t minutes = seconds / 60;
	int64_t hours = seconds / 3600 + (seconds % 3600 >= 1800);

	if (buf == NULL || len == 0)
		return;
	if (seconds < 1)
		snprintf(buf, len, "Less than a second");
	else if (seconds == 1)
		snprintf(buf, len, "1 second");
	else if (seconds < 60)
		snprintf(buf, len, "%lld seconds", (long long)seconds);
	else if (minutes == 1)
		snprintf(buf, len, "About a minute");
	else if (minutes < 60)
		snprintf(buf, len, "%lld minutes", (long long)minutes);
	else if (hours == 1)
		snprintf(buf, len, "About an hour");
	else if (hours < 48)
		snprintf(buf, len, "%lld hours", (long long)hours);
	else if (hours < 24 * 7 * 2)
		snprintf(buf, len, "%lld days", (long long)(hours / 24));
	else if (hours < 24 * 30 * 2)
		snprintf(buf, len, "%lld weeks", (long long)(hours / 24 / 7));
	else if (hours < 24 * 365 * 2)
		snprintf(buf, len, "%lld months", (long long)(hours / 24 / 30));
	else
		snprintf(buf, len, "%lld years", (long long)(seconds / 3600 / 24 / 365));
}
