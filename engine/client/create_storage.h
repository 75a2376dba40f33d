/* The HostConfig fields of create/run's storage and block IO flags: --blkio-weight-device,
 * --device-read-bps, --device-write-bps, --device-read-iops, --device-write-iops. The flag
 * texts are parsed here (as Docker's client does: the API takes them as structures); the
 * daemon checks the values and the host's devices again, whatever the client. */
#ifndef CLIENT_CREATE_STORAGE_H
#define CLIENT_CREATE_STORAGE_H

#include <stddef.h>
#include <yajl/yajl_gen.h>

#include "core/cli_args.h"
#include "engine/blkio_spec.h"

/* Positions of the flags in the command's option table. */
struct create_storage_flags {
	size_t blkio[BLKIO_KINDS];
	size_t hugetlb;
	size_t mount;
};

/* Emits the fields into the open HostConfig map; -1 after printing what is wrong. */
int create_gen_storage(yajl_gen g, struct cli_values *v, const struct create_storage_flags *ix);

#endif
