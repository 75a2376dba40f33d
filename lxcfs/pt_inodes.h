/* Inode numbers of the entries lxcfs passes through from the host's sysfs (sys_passthrough.c).
 * Each (parent inode, name, host path) is given one number with PT_INO_BIT set, far above
 * the static tree's and the pinned views' (slot << SLOT_SHIFT | node, below 2^25), and kept
 * while the kernel holds lookups of it: counted at each lookup answered, dropped by forget.
 * The parent is part of the key, so that a directory has one parent and one name (the
 * kernel wants no directory aliases), and so is the host path, so that a name the readers
 * of a shared directory map to different host cpus is a different inode for each mapping.
 * At most PT_MAX_ENTRIES live at once: memory stays bounded whatever the readers walk. */
#ifndef LXCFS_PT_INODES_H
#define LXCFS_PT_INODES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PT_INO_BIT (UINT64_C(1) << 62)
#define PT_MAX_ENTRIES (1u << 19)

static inline bool pt_is_ino(uint64_t ino)
{
	return (ino & PT_INO_BIT) != 0;
}

/* The inode of (parent, name, host), made or found, with one more lookup on it. 0 and *ino,
 * or -ENFILE (the table is full), -ENOMEM, -ENAMETOOLONG. */
int pt_intern(uint64_t parent, const char *name, const char *host, uint64_t *ino);
/* The kernel forgot n lookups of ino; the entry goes with the last one. */
void pt_forget(uint64_t ino, uint64_t n);
/* The host path (relative to the passed-through directory) of a live ino into host, and its
 * parent inode. 0, -ENOENT (no such entry), -ENAMETOOLONG (host too small). */
int pt_get(uint64_t ino, char *host, size_t len, uint64_t *parent);
/* The number (parent, name, host) has or would most likely be given, without making it: the
 * d_ino of a directory listing. */
uint64_t pt_ino_guess(uint64_t parent, const char *name, const char *host);
size_t pt_count(void);
void pt_free_all(void);
/* Tests: a smaller bound (0: PT_MAX_ENTRIES again). */
void pt_set_max(size_t max);

#endif
