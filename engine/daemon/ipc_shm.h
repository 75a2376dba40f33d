/* /dev/shm by IPC mode, as Docker: a "shareable" container's is a tmpfs on the host
 * (<container dir>/mounts/shm, from create to rm) bound into it, so that a container joining
 * its IPC namespace (--ipc container:NAME) binds the same one: POSIX shared memory is files
 * there, not in the namespace. --ipc host gets the host's /dev/shm, --ipc none none. Others
 * get a tmpfs of their own (--shm-size). */
#ifndef ENGINE_IPC_SHM_H
#define ENGINE_IPC_SHM_H

#include <stddef.h>

#include "container.h"
#include "core/strbuf.h"

/* A shareable container's tmpfs mounted (if it is not already): at create, at each start
 * (a host reboot took it). 0, or -1 with err. Nothing for other modes. */
int ipc_shm_prepare(const struct container *c, char *err, size_t errlen);
/* Its tmpfs unmounted, for a container dir (or its tombstone) about to go. */
void ipc_shm_release(const char *container_dir);
/* The dev/shm line of c's lxc config. */
void ipc_shm_lxc_config(struct strbuf *f, const struct container *c);

#endif
