/* /etc/hostname, /etc/hosts and /etc/resolv.conf of a container. A system container gets them
 * written into its rootfs (as iSulad does); another container keeps its rootfs's own files,
 * except those its --dns, --dns-search, --dns-option or --add-host flags change, which are
 * written to its engine dir and bind-mounted over them. */
#ifndef ENGINE_ROOTFS_FILES_H
#define ENGINE_ROOTFS_FILES_H

#include <stddef.h>
#include <stdio.h>

#include "container.h"
#include "core/strbuf.h"

/* Best effort: a read-only or /etc-less rootfs is logged and left alone. */
void rootfs_write_network_files(const struct container *c);

/* For a container that is not a system container: writes the changed files into
 * container_dir and the lxc.mount.entry lines that bind them to f (none when the flags change
 * nothing). 0, or -1 with err when a file cannot be written. */
int network_files_lxc_binds(struct strbuf *f, const struct container *c, const char *container_dir,
                            char *err, size_t errlen);

#endif
