/* The per-device block IO flags of create/run, as Docker takes them: --blkio-weight-device
 * DEV:WEIGHT (10..1000), --device-read-bps/--device-write-bps DEV:RATE (bytes per second,
 * Docker's units: 1mb, 512k), --device-read-iops/--device-write-iops DEV:N. Their API fields
 * are lists of {Path, Weight} (BlkioWeightDevice) or {Path, Rate}. The client parses the flag
 * text; the client and the daemon check the values with the same rules. */
#ifndef LIB_ENGINE_BLKIO_SPEC_H
#define LIB_ENGINE_BLKIO_SPEC_H

#include <stddef.h>
#include <stdint.h>

enum blkio_kind {
	BLKIO_WEIGHT_DEVICE,
	BLKIO_READ_BPS,
	BLKIO_WRITE_BPS,
	BLKIO_READ_IOPS,
	BLKIO_WRITE_IOPS,
	BLKIO_KINDS
};

#define BLKIO_WEIGHT_MIN 10
#define BLKIO_WEIGHT_MAX 1000

/* "blkio-weight-device", "device-read-bps"... (the flag without its dashes). */
const char *blkio_flag(enum blkio_kind k);
/* "BlkioWeightDevice", "BlkioDeviceReadBps"... */
const char *blkio_api_field(enum blkio_kind k);
/* The entry's value key: "Weight" or "Rate". */
const char *blkio_api_value(enum blkio_kind k);

/* DEV:VALUE of the flag: *path malloc'd. 0, or -1 with err naming the text and what is
 * allowed. */
int blkio_spec_parse(enum blkio_kind k, const char *spec, char **path, int64_t *value, char *err,
                     size_t errlen);
/* An entry's path (absolute) and value (weight 10..1000, rates and IO counts > 0). 0, or -1
 * with err naming both. */
int blkio_value_check(enum blkio_kind k, const char *path, int64_t value, char *err, size_t errlen);

#endif
