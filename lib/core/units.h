/* Strict number, size and duration parsing, and Docker-style human durations. */
#ifndef LIB_CORE_UNITS_H
#define LIB_CORE_UNITS_H

#include <stddef.h>
#include <stdint.h>

/*
 * Docker's RAMInBytes: a decimal number (fraction allowed: "1.5g"), then an optional suffix
 * b, k, m, g, t or p (any case, no space before it), which may be followed by "i", "b" or "ib"
 * ("64m", "64MB", "64mib", "1KiB"). Multipliers are binary (1k = 1024). The result is truncated
 * to whole bytes. Returns 0, or -1 for empty, signed, malformed or > INT64_MAX input.
 */
int parse_byte_size(const char *s, int64_t *out);

/* Docker's ParseCPUs (--cpus): a non-negative decimal number of CPUs ("1.5", ".25") in units
 * of 1e-9 CPU, exactly: more than 9 digits after the point that are not all 0 are refused
 * ("too precise"), as are signs, exponents and anything beyond INT64_MAX. Returns 0 or -1. */
int parse_nano_cpus(const char *s, int64_t *out);

/* Whole string, base 10, optional sign, range-checked. Returns 0 or -1; *out untouched on -1. */
int parse_int64(const char *s, int64_t *out);

/* Whole string, base 10, no sign (like Go's strconv.ParseUint). Returns 0 or -1. */
int parse_uint64(const char *s, uint64_t *out);

/*
 * A Go duration ("300ms", "30s", "2m", "1h30m", "1.5h"; units ns, us, µs, ms, s, m, h) or a
 * plain non-negative integer meaning seconds ("30"). Result in milliseconds, rounded up so a
 * tiny non-zero duration never becomes 0. Returns 0, or -1 for empty, negative, malformed or
 * overflowing input.
 */
int parse_duration_ms(const char *s, int64_t *out);
/* Go's time.ParseDuration: an optional sign, then "<decimal><unit>" terms ("1m30s", "1.5h",
 * "500ms"), or "0" alone. Nanoseconds in *ns. Returns 0, or -1 for empty, malformed (a number
 * without unit), or beyond int64 input. */
int parse_go_duration(const char *s, int64_t *ns);
/* Go's Duration.String: "1m30s", "1.5s", "500ms", "2h0m0s", "0s", "-1s". len >= 32 holds any. */
void format_go_duration(int64_t ns, char *buf, size_t len);

/* docker/go-units HumanDuration: "Less than a second", "About a minute", "3 days", ... */
void format_human_duration(int64_t seconds, char *buf, size_t len);

#endif
