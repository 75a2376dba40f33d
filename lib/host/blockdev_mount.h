/* A block device's filesystem mounted for a container's rootfs (--external-rootfs /dev/X):
 * its type found by trying the kernel's block filesystems (/proc/filesystems without
 * "nodev", as mount(8) does without libblkid; never fsck'd), other mounts of the device found
 * in mountinfo, and the unmount at the end. */
#ifndef LIB_HOST_BLOCKDEV_MOUNT_H
#define LIB_HOST_BLOCKDEV_MOUNT_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* The block filesystems of a /proc/filesystems text (a new strv, in the kernel's order). */
char **blockdev_fs_types(const char *proc_filesystems);
/* In a mountinfo text: a mount of the device maj:min other than at except (NULL: none), the
 * read-write one first. 1 found (its mount point in where, *rw), 0 none. */
int blockdev_other_mount(const char *mountinfo, unsigned maj, unsigned min, const char *except,
                         char *where, size_t len, bool *rw);
/* Mounts dev on target (a directory) read-only or not, trying each block filesystem type;
 * the mount is made private (nothing below it propagates). 0 (the type in fstype), or -1 with
 * err naming the device and the types tried. */
int blockdev_mount(const char *dev, const char *target, bool ro, char *fstype, size_t fslen,
                   char *err, size_t errlen);
/* Whether target is the root of a mount of the device rdev. */
bool blockdev_mounted_at(const char *target, dev_t rdev);
/* Unmounts target (detached lazily when busy, logged in err) and removes the directory.
 * 0, or -1 with err. */
int blockdev_unmount(const char *target, char *err, size_t errlen);

#endif
