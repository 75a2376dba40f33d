/* Views named by a process in the path (MOUNT/.views/PID/...): the toolkit mounts a
 * container's files from the directory of its init, so each container has inodes of its own
 * and the kernel may keep their text in the page cache (see fuse_ops.c). A pinned view is
 * the process's own cgroups and start time, the same a reader of its pid namespace gets. */
#ifndef LXCFS_PINNED_H
#define LXCFS_PINNED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "view.h"

/* Slot numbers go into inode numbers (slot << 5): far below pt_inodes.h's PT_INO_BIT. */
#define PINNED_MAX_SLOTS (1 << 20)

/* Per-slot bookkeeping of one file's page cache (see fuse_ops.c); guarded by its lock. */
struct pinned_file {
	unsigned open; /* handles open on the inode, as far as the daemon knows */
	uint64_t size; /* the size the kernel holds for the inode, as far as we know */
	bool size_known;
	struct timespec mtime; /* the mtime it holds: a new one drops its page cache */
};

/* The slot (>= 1) of process pid, made or found, with one more kernel lookup on it; or
 * -errno (ESRCH when there is no such process, EMFILE/ENOMEM when out of room). A slot
 * whose process has exited is never returned for a new process of the same pid. */
int pinned_acquire(pid_t pid);
/* The kernel forgot n lookups of the slot's inodes; the slot goes with the last one. */
void pinned_forget(int slot, uint64_t n);
/* Adds n lookups to a live slot (a lookup below its directory). */
void pinned_ref(int slot, uint64_t n);
/* The slot's view; the host's once its process is gone. */
void pinned_view(int slot, struct view *v);
/* File index k (< 32) of the slot, locked; unlock with pinned_file_unlock. NULL for a slot
 * that is not live. */
struct pinned_file *pinned_file_lock(int slot, unsigned k);
void pinned_file_unlock(int slot, unsigned k);
/* Slots whose process has exited since the last call: their /proc file is closed and their
 * pids put in pids (at most max), so that the kernel can be told to forget the names. */
size_t pinned_reap(pid_t *pids, size_t max);
/* The pid of a live slot, 0 otherwise. */
pid_t pinned_pid(int slot);
size_t pinned_count(void);
void pinned_free_all(void);

#endif
