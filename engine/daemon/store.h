/* The container table: lookups by ID, name or unique ID prefix, and atomic persistence under
 * <graph>/engines/lcr/<id>/. One lock guards every container's state; lifecycle operations on
 * one container are serialised by its op_lock. */
#ifndef ENGINE_STORE_H
#define ENGINE_STORE_H

#include <stddef.h>

#include "container.h"
#include "core/error.h"

struct store_paths {
	char *graph;   /* -g */
	char *state;   /* -S */
	char *lxcpath; /* <graph>/engines/lcr: liblxc's lxcpath, one dir per container */
};

extern struct store_paths g_paths;

int store_init(const char *graph, const char *state);
void store_lock(void);
void store_unlock(void);
/* Wakes every thread waiting in store_wait_change (call with the lock held). */
void store_broadcast(void);
/* Waits (lock held) until a broadcast or deadline_ms (CLOCK_MONOTONIC ms; <0 = forever). */
void store_wait_change(int64_t deadline_ms);

/* Resolves ID, name, or unique ID prefix; returns a referenced container or NULL with e
 * set (ERR_NOT_FOUND "No such container: X", or ERR_INVALID: the ambiguity with its
 * candidates). */
struct container *store_lookup(const char *ref, struct error *e);
void store_put(struct container *c);
/* Adds c (taking ownership) and gives the caller a reference (store_put it): a concurrent rm
 * by name cannot free c under the create. Fails with the iSulad conflict message on a
 * duplicate name. */
int store_add(struct container *c, char *err, size_t errlen);
/* Renames c (name already validated), saving config.v2.json atomically; on success the old
 * name is handed to the caller in *old_name (free it). -EEXIST with iSulad's conflict
 * message, -ENOENT, or -EIO (the old name stays). */
int store_rename(struct container *c, const char *name, char **old_name, char *err, size_t errlen);
/* Drops c from the table; its memory goes when the last reference is put. */
void store_remove(struct container *c);
/* Snapshot of the table (each referenced); free with store_put_all. */
struct container **store_list(size_t *n);
void store_put_all(struct container **v, size_t n);

/* Snapshots config.v2.json and hostconfig.json (lock held); this thread's store_unlock
 * writes them atomically, after releasing the lock, so a slow disk never stalls other
 * callers; saves of one container land in order. -1 only when out of memory. */
int store_save(struct container *c);
/* The same for config.v2.json only: state changes leave the host config as it is. */
int store_save_state(struct container *c);
/* The same, written and renamed but not synced: it outlasts a crash of the daemon, not a power
 * loss. For a step before the synced save that acknowledges the operation (a stop's mark,
 * a start's monitor before its go); a synced save pending beside it wins. */
int store_save_state_unsynced(struct container *c);
/* Rendered like store_save_state, but left pending for the store_sync_state of an operation
 * waiting for this change (a stop writes the exit it waited for once, synced), not written
 * at this thread's store_unlock. Store lock held. */
int store_save_state_for_sync(struct container *c);
/* Makes what c's config.v2.json holds by now durable without writing it again: a snapshot
 * still pending is written synced, else the file and its directory entry are fsynced. Store
 * lock NOT held (the file is synced outside it). 0, or -1 with errno. */
int store_sync_state(struct container *c);
/* After store_unlock (lock not held): 0 if the last write of c's files succeeded, else -1
 * with errno. */
int store_save_result(struct container *c);
/* Writes hostconfig.json only, at once (lock not held): the first file of a create. */
int store_save_host_config(struct container *c);
char *store_container_dir(const char *id);
char *store_state_dir(const char *id);
/* Loads every container found on disk. */
int store_load_all(void);
int64_t monotonic_ms(void);

#endif
