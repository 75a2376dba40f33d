/* A directory's entries as opendir found them: readdir answers from this snapshot, so a
 * listing read in several calls is one consistent list whatever changes meanwhile. */
#ifndef LXCFS_DIR_LIST_H
#define LXCFS_DIR_LIST_H

#include "fuse_ops.h"

struct dir_list_entry {
	char *name;
	uint64_t ino;
	unsigned type; /* DT_DIR, DT_REG, DT_LNK... */
};

struct dir_list {
	struct dir_list_entry *v;
	size_t n, cap;
};

/* Appends an entry. 0, or -ENOMEM. */
int dir_list_add(struct dir_list *l, const char *name, uint64_t ino, unsigned type);
/* Answers a readdir of at most size bytes from offset off (an entry's offset is its index +
 * 1: where the next call goes on). */
void dir_list_reply(fuse_req_t req, const struct dir_list *l, size_t size, off_t off);
void dir_list_free(struct dir_list *l);

#endif
