/* Archiving side of tar_stream.h, plus the lookups both sides share. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine/cp_path.h"
#include "host/rootfs_path.h"
#include "engine/archive_dl.h"
#include "engine/tar_stream.h"

#define COPY_BUF (64 * 1024)

int tar_open_in(int root_fd, const char *path, int flags)
{
	if (root_fd == AT_FDCWD)
		return openat(AT_FDCWD, path, flags | O_CLOEXEC);
	return rootfs_open(root_fd, path, flags, 0);
}

/* Opens path's parent directory (O_PATH) and names its last entry ("." for "/" and "x/."). */
static int open_parent(int root_fd, const char *path, char **base)
{
	char *dir;
	if (cp_split_dir_entry(path, &dir, base) < 0)
		return -1;
	if (strcmp(*base, "/") == 0) {
		(*base)[0] = '.';
		(*base)[1] = '\0';
	}
	int fd = tar_open_in(root_fd, dir, O_PATH | O_DIRECTORY);
	int saved = errno;
	free(dir);
	if (fd < 0) {
		free(*base);
		*base = NULL;
	}
	errno = saved;
	return fd;
}

static char *read_link_at(int dirfd, const char *name)
{
	char buf[4096];
	ssize_t n = readlinkat(dirfd, name, buf, sizeof(buf) - 1);
	if (n < 0)
		return NULL;
	buf[n] = '\0';
	return strdup(buf);
}

int tar_lstat_in(int root_fd, const char *path, struct stat *st, char **link_target)
{
	char *base;
	int pfd = open_parent(root_fd, path, &base);
	if (pfd < 0)
		return -1;
	int ret = fstatat(pfd, base, st, AT_SYMLINK_NOFOLLOW);
	if (ret == 0 && link_target)
		*link_target = S_ISLNK(st->st_mode) ? read_link_at(pfd, base) : NULL;
	int saved = errno;
	close(pfd);
	free(base);
	errno = saved;
	return ret;
}

struct writer {
	struct archive *a;
	struct archive_entry_linkresolver *links;
	tar_write_fn out;
	void *cls;
	char *err;
	size_t errlen;
	char *buf;
};

static la_ssize_t on_archive_write(struct archive *a, void *cls, const void *buf, size_t len)
{
	struct writer *w = cls;
	if (w->out(w->cls, buf, len) < 0) {
		archive_set_error(a, errno, "%s", strerror(errno));
		return -1;
	}
	return (la_ssize_t)len;
}

static int fail(struct writer *w, const char *name, const char *what)
{
	if (!w->err[0])
		snprintf(w->err, w->errlen, "%s: %s", name, what);
	return -1;
}

static int write_file_data(struct writer *w, int fd, const char *arcname)
{
	for (;;) {
		ssize_t n = read(fd, w->buf, COPY_BUF);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return fail(w, arcname, strerror(errno));
		if (n == 0)
			return 0;
		/* A file that grew since its header was written is cut at the header's size. */
		if (archive_write_data(w->a, w->buf, (size_t)n) < 0)
			return fail(w, arcname, archive_error_string(w->a));
	}
}

static int add_tree(struct writer *w, int dirfd, const char *name, const char *arcname);

static int add_children(struct writer *w, int parent_fd, const char *name, const char *arcname)
{
	int fd = openat(parent_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return fail(w, arcname, strerror(errno));
	DIR *d = fdopendir(fd);
	if (!d) {
		close(fd);
		return fail(w, arcname, strerror(errno));
	}
	int ret = 0;
	struct dirent *de;
	while (ret == 0 && (errno = 0, de = readdir(d))) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		size_t len = strlen(arcname) + strlen(de->d_name) + 2;
		char *child = malloc(len);
		if (!child) {
			ret = fail(w, arcname, "out of memory");
			break;
		}
		snprintf(child, len, "%s/%s", arcname, de->d_name);
		ret = add_tree(w, dirfd(d), de->d_name, child);
		free(child);
	}
	if (ret == 0 && errno != 0)
		ret = fail(w, arcname, strerror(errno));
	closedir(d);
	return ret;
}

/* Archives dirfd/name as arcname, then its children when it is a directory. */
static int add_tree(struct writer *w, int dirfd, const char *name, const char *arcname)
{
	struct stat st;
	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return fail(w, arcname, strerror(errno));
	if (S_ISSOCK(st.st_mode))
		return 0; /* tar has no sockets */
	int fd = -1;
	if (S_ISREG(st.st_mode)) {
		fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
		if (fd < 0)
			return fail(w, arcname, strerror(errno));
	}
	struct archive_entry *e = archive_entry_new(), *spare = NULL;
	archive_entry_copy_pathname(e, arcname);
	archive_entry_copy_stat(e, &st);
	int ret = 0;
	if (S_ISLNK(st.st_mode)) {
		char *target = read_link_at(dirfd, name);
		if (!target)
			ret = fail(w, arcname, strerror(errno));
		else
			archive_entry_copy_symlink(e, target);
		free(target);
	}
	/* A later name of an already archived inode becomes a hard link entry. */
	if (ret == 0 && !S_ISDIR(st.st_mode))
		archive_entry_linkify(w->links, &e, &spare);
	if (ret == 0 && archive_write_header(w->a, e) != ARCHIVE_OK)
		ret = fail(w, arcname, archive_error_string(w->a));
	if (ret == 0 && fd >= 0 && !archive_entry_hardlink(e))
		ret = write_file_data(w, fd, arcname);
	archive_entry_free(e);
	if (spare)
		archive_entry_free(spare);
	if (fd >= 0)
		close(fd);
	if (ret == 0 && S_ISDIR(st.st_mode))
		ret = add_children(w, dirfd, name, arcname);
	return ret;
}

int tar_write_path(tar_write_fn out, void *cls, int root_fd, const char *path, const char *top_name,
                   char *err, size_t errlen)
{
	err[0] = '\0';
	if (archive_dl_load(err, errlen) < 0)
		return -1;
	char *base;
	int pfd = open_parent(root_fd, path, &base);
	if (pfd < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	struct writer w = {.a = archive_write_new(),
	                   .links = archive_entry_linkresolver_new(),
	                   .out = out,
	                   .cls = cls,
	                   .err = err,
	                   .errlen = errlen,
	                   .buf = malloc(COPY_BUF)};
	int ret = -1;
	if (!w.a || !w.links || !w.buf) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	archive_write_set_format_pax_restricted(w.a);
	/* Names and link targets are bytes (Debian's /etc/ssl/certs has UTF-8 ones, other trees
	 * Latin-1): written as they are, never converted through the locale. */
	if (archive_write_set_format_option(w.a, "pax", "hdrcharset", "BINARY") != ARCHIVE_OK) {
		snprintf(err, errlen, "%s", archive_error_string(w.a));
		goto out;
	}
	archive_entry_linkresolver_set_strategy(w.links, archive_format(w.a));
	archive_write_set_bytes_per_block(w.a, 10240);
	archive_write_set_bytes_in_last_block(w.a, 1);
	if (archive_write_open(w.a, &w, NULL, on_archive_write, NULL) != ARCHIVE_OK) {
		snprintf(err, errlen, "%s", archive_error_string(w.a));
		goto out;
	}
	ret = add_tree(&w, pfd, base, top_name);
	if (archive_write_close(w.a) != ARCHIVE_OK && ret == 0)
		ret = fail(&w, path, archive_error_string(w.a));
out:
	if (w.a)
		archive_write_free(w.a);
	if (w.links)
		archive_entry_linkresolver_free(w.links);
	free(w.buf);
	free(base);
	close(pfd);
	return ret;
}

int tar_fd_write(void *cls, const void *buf, size_t len)
{
	int fd = *(int *)cls;
	const char *p = buf;
	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

ssize_t tar_fd_read(void *cls, void *buf, size_t len)
{
	for (;;) {
		ssize_t n = read(*(int *)cls, buf, len);
		if (n >= 0 || errno != EINTR)
			return n;
	}
}
