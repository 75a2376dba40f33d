/* /etc/hostname, /etc/hosts and /etc/resolv.conf written into a system container's rootfs
 * (iSulad writes them there rather than bind-mounting them). */
#ifndef ENGINE_ROOTFS_FILES_H
#define ENGINE_ROOTFS_FILES_H

#include "container.h"

/* Best effort: a read-only or /etc-less rootfs is logged and left alone. */
void rootfs_write_network_files(const struct container *c);

#endif
