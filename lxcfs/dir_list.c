#include "dir_list.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int dir_list_add(struct dir_list *l, const char *name, uint64_t ino, unsigned type)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		struct dir_list_entry *v = realloc(l->v, cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		l->v = v;
		l->cap = cap;
	}
	char *copy = strdup(name);
	if (!copy)
		return -ENOMEM;
	l->v[l->n++] = (struct dir_list_entry){copy, ino, type};
	return 0;
}

void dir_list_reply(fuse_req_t req, const struct dir_list *l, size_t size, off_t off)
{
	char buf[8192];
	size_t used = 0, cap = size < sizeof(buf) ? size : sizeof(buf);
	for (size_t k = off < 0 ? 0 : (size_t)off; k < l->n; k++) {
		struct stat st;
		memset(&st, 0, sizeof(st));
		st.st_ino = l->v[k].ino;
		st.st_mode = DTTOIF(l->v[k].type);
		size_t want =
		    fuse_add_direntry(req, buf + used, cap - used, l->v[k].name, &st, (off_t)k + 1);
		if (used + want > cap)
			break;
		used += want;
	}
	fuse_reply_buf(req, buf, used);
}

void dir_list_free(struct dir_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].name);
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
}
