/* The operations that would change the lxcfs tree, all refused with EACCES ("Permission
 * denied", as an open for writing is): nothing in it is the reader's to change, and nothing
 * passed through from the host's sysfs may be written (a container must never take the
 * host's cpus offline: lxc/lxcfs#629). */
#ifndef LXCFS_READ_ONLY_OPS_H
#define LXCFS_READ_ONLY_OPS_H

#include "fuse_ops.h"

void ro_setattr(fuse_req_t req, fuse_ino_t ino, struct stat *attr, int to_set,
                struct fuse_file_info *fi);
void ro_mknod(fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode, dev_t rdev);
void ro_mkdir(fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode);
/* unlink and rmdir */
void ro_unlink(fuse_req_t req, fuse_ino_t parent, const char *name);
void ro_symlink(fuse_req_t req, const char *link, fuse_ino_t parent, const char *name);
void ro_rename(fuse_req_t req, fuse_ino_t parent, const char *name, fuse_ino_t newparent,
               const char *newname, unsigned int flags);
void ro_link(fuse_req_t req, fuse_ino_t ino, fuse_ino_t newparent, const char *newname);

#endif
