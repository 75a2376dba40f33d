/* Checks of a create request that the daemon enforces whatever the client (isula, docker). */
#ifndef ENGINE_VALIDATE_H
#define ENGINE_VALIDATE_H

#include <stddef.h>

#include "container.h"
#include "core/error.h"

/* The container's root: --external-rootfs given, absolute, a directory kept from other host
 * users or a block device not mounted elsewhere (rootfs_block.h), with the image none. -1 with e:
 * ERR_NOT_FOUND "No such image: ..." when no rootfs is given (there are no images), ERR_INVALID
 * otherwise. */
int validate_rootfs(const struct container *c, struct error *e);
/* 0 when some directory on the rootfs's path keeps other host users out (rootfs_exposure.c);
 * else -1 with err saying why that matters and how to fix it. */
int validate_rootfs_exposure(const char *rootfs, char *err, size_t errlen);
int validate_resources(const struct host_config *h, char *err, size_t errlen);
/* The storage options' checks against this host, completing what the host decides:
 * --blkio-weight-device and the --device-read/write-bps/iops devices (blkio_config.h),
 * --hugetlb-limit's page sizes (the host's default when none is given), --mount's bind
 * sources. */
int validate_storage(struct host_config *h, char *err, size_t errlen);
/* Docker's and iSulad's defaults of a create's resources, after validate_resources: a memory
 * limit without a swap limit gets swap twice the memory, where the host can limit swap. */
void resources_apply_defaults(struct host_config *h);
/* Every API string that reaches a generated config (the lxc config, resolv.conf, hosts, the
 * sysctl list): the lxc config checker's verdict, "Invalid hostname '...': it contains a
 * newline". */
int validate_config_values(const struct container *c, char *err, size_t errlen);

#endif
