#include "engine/blkio_spec.h"

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/units.h"

static const char *const g_flags[BLKIO_KINDS] = {
    [BLKIO_WEIGHT_DEVICE] = "blkio-weight-device", [BLKIO_READ_BPS] = "device-read-bps",
    [BLKIO_WRITE_BPS] = "device-write-bps",        [BLKIO_READ_IOPS] = "device-read-iops",
    [BLKIO_WRITE_IOPS] = "device-write-iops",
};

static const char *const g_fields[BLKIO_KINDS] = {
    [BLKIO_WEIGHT_DEVICE] = "BlkioWeightDevice", [BLKIO_READ_BPS] = "BlkioDeviceReadBps",
    [BLKIO_WRITE_BPS] = "BlkioDeviceWriteBps",   [BLKIO_READ_IOPS] = "BlkioDeviceReadIOps",
    [BLKIO_WRITE_IOPS] = "BlkioDeviceWriteIOps",
};

/* What a value may be, for the messages. */
static const char *const g_allowed[BLKIO_KINDS] = {
    [BLKIO_WEIGHT_DEVICE] = "a weight from 10 to 1000",
    [BLKIO_READ_BPS] = "a positive rate in bytes per second, with an optional unit (b, k, m, g, "
                       "t, p: 1mb, 512k)",
    [BLKIO_WRITE_BPS] = "a positive rate in bytes per second, with an optional unit (b, k, m, "
                        "g, t, p: 1mb, 512k)",
    [BLKIO_READ_IOPS] = "a positive number of IO operations per second",
    [BLKIO_WRITE_IOPS] = "a positive number of IO operations per second",
};

const char *blkio_flag(enum blkio_kind k)
{
	return (unsigned)k < BLKIO_KINDS ? g_flags[k] : "";
}

const char *blkio_api_field(enum blkio_kind k)
{
	return (unsigned)k < BLKIO_KINDS ? g_fields[k] : "";
}

const char *blkio_api_value(enum blkio_kind k)
{
	return k == BLKIO_WEIGHT_DEVICE ? "Weight" : "Rate";
}

int blkio_value_check(enum blkio_kind k, const char *path, int64_t value, char *err, size_t errlen)
{
	if ((unsigned)k >= BLKIO_KINDS) {
		snprintf(err, errlen, "unknown block IO setting");
		return -1;
	}
	if (!path || path[0] != '/' || strlen(path) >= PATH_MAX) {
		snprintf(err, errlen,
		         "Invalid --%s (%s) device path '%.256s': expected an absolute path of a "
		         "block device",
		         g_flags[k], g_fields[k], path ? path : "");
		return -1;
	}
	bool ok = k == BLKIO_WEIGHT_DEVICE ? value >= BLKIO_WEIGHT_MIN && value <= BLKIO_WEIGHT_MAX
	                                   : value > 0;
	if (!ok) {
		snprintf(err, errlen, "Invalid --%s (%s) value %lld for %.256s: allowed is %s",
		         g_flags[k], g_fields[k], (long long)value, path, g_allowed[k]);
		return -1;
	}
	return 0;
}

int blkio_spec_parse(enum blkio_kind k, const char *spec, char **path, int64_t *value, char *err,
                     size_t errlen)
{
	*path = NULL;
	if ((unsigned)k >= BLKIO_KINDS)
		return -1;
	/* The value follows the last colon: a device path may hold one, a value never. */
	const char *colon = strrchr(spec, ':');
	int64_t v = -1;
	bool parsed = false;
	if (colon && colon != spec && colon[1]) {
		if (k == BLKIO_READ_BPS || k == BLKIO_WRITE_BPS)
			parsed = parse_byte_size(colon + 1, &v) == 0;
		else
			parsed =
			    colon[1] != '+' && colon[1] != '-' && parse_int64(colon + 1, &v) == 0;
	}
	if (!parsed) {
		snprintf(err, errlen,
		         "Invalid --%s '%.256s': expected DEVICE:VALUE, the path of a block device "
		         "and %s",
		         g_flags[k], spec, g_allowed[k]);
		return -1;
	}
	char *p = strndup(spec, (size_t)(colon - spec));
	if (!p) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (blkio_value_check(k, p, v, err, errlen) < 0) {
		free(p);
		return -1;
	}
	*path = p;
	*value = v;
	return 0;
}
