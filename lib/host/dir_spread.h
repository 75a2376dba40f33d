/* Asking the filesystem to spread a directory's subdirectories over the disk (ext2/3/4's
 * FS_TOPDIR_FL, `chattr +T`): each subdirectory made afterwards goes to a block group of its
 * own choosing (Orlov's allocator, as for the root's), and its files with it, instead of
 * piling up in the parent's group. For a store of unrelated trees, one per container: on an
 * ext4 without a journal, every new inode is searched for past the free ones of its group
 * deleted in the last minutes (1 to 6), which under churn (containers removed and made) cost
 * more than the rest of a create; spread, each group sees few of them. */
#ifndef LIB_HOST_DIR_SPREAD_H
#define LIB_HOST_DIR_SPREAD_H

/* Sets the hint on the directory at path. 0, or -1 with errno: ENOTTY, EOPNOTSUPP or EINVAL
 * when its filesystem has no such hint (tmpfs, xfs, btrfs: nothing to do there). */
int dir_spread_subdirs(const char *path);
/* Whether the hint is set: 1, 0, or -1 with errno as above. */
int dir_spreads_subdirs(const char *path);

#endif
