/* Extracting side of tar_stream.h. Every entry is created next to its final place under a
 * temp name, given its owner, mode and times, then renamed over the old entry: a failure
 * leaves no half-written file, and an existing symlink is replaced, never written through. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "engine/archive_dl.h"
#include "engine/tar_stream.h"

struct dir_meta { /* directories get their mode and times last: children change them */
	char *path;
	mode_t mode;
	uid_t uid;
	gid_t gid;
	struct timespec mtime;
};

struct extractor {
	const struct tar_extract_opts *o;
	int root_fd;
	int dest_fd; /* O_PATH of dest: hard link targets are looked up beneath it */
	const char *dest;
	struct archive *a;
	struct dir_meta *dirs;
	size_t ndirs;
	struct error *e; /* the first failure */
	unsigned tmp_seq;
};

struct reader {
	tar_read_fn in;
	void *cls;
	bool failed; /* in() failed: the archive is then unreadable by the host's fault */
	char buf[64 * 1024];
};

static la_ssize_t on_archive_read(struct archive *a, void *cls, const void **out)
{
	struct reader *r = cls;
	ssize_t n = r->in(r->cls, r->buf, sizeof(r->buf));
	if (n < 0) {
		r->failed = true;
		archive_set_error(a, errno, "reading the archive: %s", strerror(errno));
		return -1;
	}
	*out = r->buf;
	return n;
}

/* Codes: ERR_INVALID for what the archive asks (a bad name or type, an overwrite refused),
 * ERR_INTERNAL for what the host could not do. */
static int fail(struct extractor *x, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int fail(struct extractor *x, int code, const char *fmt, ...)
{
	if (!x->e->msg[0]) {
		va_list ap;
		x->e->code = code;
		va_start(ap, fmt);
		vsnprintf(x->e->msg, sizeof(x->e->msg), fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* The entry's path relative to dest: leading '/' dropped, the top entry renamed, "." and
 * empty components dropped. NULL (err set) for a ".." component. "" is dest itself. */
static char *entry_rel_path(struct extractor *x, const char *raw)
{
	while (*raw == '/')
		raw++;
	const char *from = x->o->rebase_from, *rest = raw;
	const char *top = "";
	if (from && x->o->rebase_to) {
		size_t n = strlen(from);
		if (strncmp(raw, from, n) == 0 && (raw[n] == '\0' || raw[n] == '/')) {
			top = x->o->rebase_to;
			rest = raw + n;
		}
	}
	size_t cap = strlen(top) + strlen(rest) + 2;
	char *out = malloc(cap), *joined = malloc(cap);
	if (!out || !joined) {
		free(out);
		free(joined);
		fail(x, ERR_INTERNAL, "out of memory");
		return NULL;
	}
	snprintf(joined, cap, "%s/%s", top, rest);
	size_t o = 0;
	char *save = NULL;
	for (char *c = strtok_r(joined, "/", &save); c; c = strtok_r(NULL, "/", &save)) {
		if (strcmp(c, ".") == 0)
			continue;
		if (strcmp(c, "..") == 0) {
			fail(x, ERR_INVALID,
			     "archive entry %s: \"..\" is not allowed in entry names", raw);
			free(out);
			free(joined);
			return NULL;
		}
		o += (size_t)sprintf(out + o, "%s%s", o ? "/" : "", c);
	}
	out[o] = '\0';
	free(joined);
	return out;
}

static char *dest_join(struct extractor *x, const char *rel)
{
	size_t len = strlen(x->dest) + strlen(rel) + 2;
	char *p = malloc(len);
	if (p)
		snprintf(p, len, "%s/%s", x->dest, rel);
	return p;
}

/* Opens dir (inside the root) as O_PATH, creating missing components (0755) on the way. */
static int open_dir_creating(struct extractor *x, const char *dir)
{
	int fd = tar_open_in(x->root_fd, dir, O_PATH | O_DIRECTORY);
	if (fd >= 0 || errno != ENOENT)
		return fd;
	char *copy = strdup(dir);
	if (!copy)
		return -1;
	char *slash = strrchr(copy, '/');
	int pfd = -1;
	if (slash && slash != copy) {
		*slash = '\0';
		pfd = open_dir_creating(x, copy);
		*slash = '/';
	} else {
		pfd = tar_open_in(x->root_fd, slash ? "/" : ".", O_PATH | O_DIRECTORY);
	}
	const char *base = slash ? slash + 1 : copy;
	if (pfd >= 0 && (mkdirat(pfd, base, 0755) == 0 || errno == EEXIST))
		fd = tar_open_in(x->root_fd, dir, O_PATH | O_DIRECTORY);
	int saved = errno;
	if (pfd >= 0)
		close(pfd);
	free(copy);
	errno = saved;
	return fd;
}

static int remove_tree_at(int parent_fd, const char *name)
{
	int fd = openat(parent_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOTDIR || errno == ELOOP ? unlinkat(parent_fd, name, 0) : -1;
	DIR *d = fdopendir(fd);
	if (!d) {
		close(fd);
		return -1;
	}
	struct dirent *de;
	int ret = 0;
	while (ret == 0 && (de = readdir(d))) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		ret = de->d_type == DT_DIR || de->d_type == DT_UNKNOWN
		          ? remove_tree_at(dirfd(d), de->d_name)
		          : unlinkat(dirfd(d), de->d_name, 0);
	}
	closedir(d);
	return ret == 0 ? unlinkat(parent_fd, name, AT_REMOVEDIR) : -1;
}

static int set_meta_at(struct extractor *x, int pfd, const char *name, struct archive_entry *e,
                       bool is_link)
{
	int flags = AT_SYMLINK_NOFOLLOW;
	if (x->o->chown &&
	    fchownat(pfd, name, archive_entry_uid(e), archive_entry_gid(e), flags) < 0)
		return -1;
	mode_t perm = archive_entry_perm(e) & 07777;
	if (x->o->strip_special)
		perm &= ~(mode_t)(S_ISUID | S_ISGID);
	if (!is_link && fchmodat(pfd, name, perm, 0) < 0)
		return -1;
	struct timespec ts[2] = {
	    {.tv_sec = archive_entry_atime(e), .tv_nsec = archive_entry_atime_nsec(e)},
	    {.tv_sec = archive_entry_mtime(e), .tv_nsec = archive_entry_mtime_nsec(e)},
	};
	if (!archive_entry_atime_is_set(e))
		ts[0] = ts[1];
	return utimensat(pfd, name, ts, flags);
}

static int write_data(struct extractor *x, struct archive_entry *e, int fd)
{
	const void *buf;
	size_t size;
	la_int64_t off;
	int r;
	while ((r = archive_read_data_block(x->a, &buf, &size, &off)) == ARCHIVE_OK) {
		const char *p = buf;
		while (size > 0) {
			ssize_t n = pwrite(fd, p, size, off);
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0)
				return -1;
			p += n;
			size -= (size_t)n;
			off += n;
		}
	}
	if (r != ARCHIVE_EOF) {
		errno = archive_errno(x->a) ? archive_errno(x->a) : EIO;
		return -1;
	}
	/* A sparse file may end in a hole that no data block covered. */
	return ftruncate(fd, archive_entry_size(e));
}

/* The parent dir of a hard link's target, looked up beneath dest without any symlink. */
static int open_link_target_parent(struct extractor *x, const char *rel, const char **base)
{
	const char *slash = strrchr(rel, '/');
	*base = slash ? slash + 1 : rel;
	if (!slash)
		return fcntl(x->dest_fd, F_DUPFD_CLOEXEC, 0);
	char *dir = strndup(rel, (size_t)(slash - rel));
	if (!dir)
		return -1;
	struct open_how how = {
	    .flags = O_PATH | O_DIRECTORY | O_CLOEXEC,
	    .resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS,
	};
	int fd = (int)syscall(SYS_openat2, x->dest_fd, dir, &how, sizeof(how));
	free(dir);
	return fd;
}

/* Creates the non-directory entry e as pfd/tmp. */
static int create_tmp(struct extractor *x, struct archive_entry *e, int pfd, const char *tmp,
                      const char *name)
{
	const char *hardlink = archive_entry_hardlink(e);
	if (hardlink) {
		char *trel = entry_rel_path(x, hardlink);
		if (!trel)
			return -1;
		const char *tbase;
		int tfd = *trel ? open_link_target_parent(x, trel, &tbase) : -1;
		int ret = tfd >= 0 ? linkat(tfd, tbase, pfd, tmp, 0) : -1;
		if (ret < 0) /* the writing pass only (the check pass creates nothing) */
			fail(x, ERR_INTERNAL,
			     "%s: hard link to %s (must be an earlier entry of the archive): %s",
			     name, hardlink, strerror(errno));
		if (tfd >= 0)
			close(tfd);
		free(trel);
		return ret;
	}
	mode_t type = archive_entry_filetype(e);
	if (type == AE_IFLNK)
		return symlinkat(archive_entry_symlink(e), pfd, tmp);
	if (type == AE_IFCHR || type == AE_IFBLK || type == AE_IFIFO)
		return mknodat(pfd, tmp, type | 0600, archive_entry_rdev(e));
	int fd = openat(pfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return -1;
	int ret = write_data(x, e, fd);
	int saved = errno;
	close(fd);
	errno = saved;
	return ret;
}

static bool is_dir_entry(struct archive_entry *e)
{
	return archive_entry_filetype(e) == AE_IFDIR && !archive_entry_hardlink(e);
}

static bool supported_type(struct archive_entry *e)
{
	switch (archive_entry_filetype(e)) {
	case AE_IFREG:
	case AE_IFDIR:
	case AE_IFLNK:
	case AE_IFCHR:
	case AE_IFBLK:
	case AE_IFIFO:
		return true;
	default:
		return archive_entry_hardlink(e) != NULL;
	}
}

static int remember_dir(struct extractor *x, const char *path, struct archive_entry *e)
{
	struct dir_meta *nd = realloc(x->dirs, (x->ndirs + 1) * sizeof(*nd));
	if (!nd)
		return fail(x, ERR_INTERNAL, "out of memory");
	x->dirs = nd;
	nd[x->ndirs] = (struct dir_meta){
	    .path = strdup(path),
	    .mode = archive_entry_perm(e) & 07777,
	    .uid = archive_entry_uid(e),
	    .gid = archive_entry_gid(e),
	    .mtime = {archive_entry_mtime(e), archive_entry_mtime_nsec(e)},
	};
	if (!nd[x->ndirs].path)
		return fail(x, ERR_INTERNAL, "out of memory");
	x->ndirs++;
	return 0;
}

static int extract_dir(struct extractor *x, struct archive_entry *e, int pfd, const char *base,
                       const char *full, const struct stat *old, bool exists)
{
	const char *name = archive_entry_pathname(e);
	if (exists && !S_ISDIR(old->st_mode)) {
		if (x->o->no_overwrite_dir_nondir)
			return fail(x, ERR_INVALID,
			            "cannot overwrite non-directory %s with directory %s", full,
			            name);
		if (unlinkat(pfd, base, 0) < 0)
			return fail(x, ERR_INTERNAL, "%s: %s", full, strerror(errno));
	}
	if (!(exists && S_ISDIR(old->st_mode)) && mkdirat(pfd, base, 0700) < 0)
		return fail(x, ERR_INTERNAL, "%s: %s", full, strerror(errno));
	return remember_dir(x, full, e);
}

static int extract_other(struct extractor *x, struct archive_entry *e, int pfd, const char *base,
                         const char *full, const struct stat *old, bool exists)
{
	const char *name = archive_entry_pathname(e);
	if (exists && S_ISDIR(old->st_mode)) {
		if (x->o->no_overwrite_dir_nondir)
			return fail(x, ERR_INVALID,
			            "cannot overwrite directory %s with non-directory %s", full,
			            name);
		if (remove_tree_at(pfd, base) < 0)
			return fail(x, ERR_INTERNAL, "%s: cannot replace the directory: %s", full,
			            strerror(errno));
	}
	char tmp[64];
	snprintf(tmp, sizeof(tmp), ".isula-cp.%d.%u", (int)getpid(), x->tmp_seq++);
	int ret = create_tmp(x, e, pfd, tmp, name);
	if (ret == 0 && !archive_entry_hardlink(e))
		ret = set_meta_at(x, pfd, tmp, e, archive_entry_filetype(e) == AE_IFLNK);
	if (ret == 0)
		ret = renameat(pfd, tmp, pfd, base);
	if (ret == 0 && archive_entry_hardlink(e))
		unlinkat(pfd, tmp, 0); /* left when base already was that same inode */
	if (ret < 0) {
		fail(x, ERR_INTERNAL, "%s: %s", full, strerror(errno));
		unlinkat(pfd, tmp, 0);
	}
	return ret;
}

static int extract_entry(struct extractor *x, struct archive_entry *e, const char *rel)
{
	const char *name = archive_entry_pathname(e);
	if (!*rel) { /* "." : the destination directory itself */
		if (!is_dir_entry(e))
			return fail(x, ERR_INVALID,
			            "archive entry %s: only a directory can stand for the "
			            "destination itself",
			            name);
		return x->o->check_only ? 0 : remember_dir(x, x->dest, e);
	}
	if (x->o->check_only)
		return 0;
	mode_t type = archive_entry_filetype(e);
	if (x->o->strip_special && (type == AE_IFCHR || type == AE_IFBLK) &&
	    !archive_entry_hardlink(e)) {
		if (x->o->skipped_devices)
			(*x->o->skipped_devices)++;
		return 0;
	}
	char *full = dest_join(x, rel);
	if (!full)
		return fail(x, ERR_INTERNAL, "out of memory");
	char *slash = strrchr(full, '/');
	*slash = '\0';
	int pfd = open_dir_creating(x, full);
	*slash = '/';
	int ret = -1;
	if (pfd < 0) {
		fail(x, ERR_INTERNAL, "%s: cannot open its directory: %s", full, strerror(errno));
		goto out;
	}
	struct stat old;
	bool exists = fstatat(pfd, slash + 1, &old, AT_SYMLINK_NOFOLLOW) == 0;
	if (is_dir_entry(e))
		ret = extract_dir(x, e, pfd, slash + 1, full, &old, exists);
	else
		ret = extract_other(x, e, pfd, slash + 1, full, &old, exists);
	close(pfd);
out:
	free(full);
	return ret;
}

/* Modes and times of the directories, deepest last-created first. */
static int finish_dirs(struct extractor *x)
{
	int ret = 0;
	for (size_t i = x->ndirs; i-- > 0;) {
		struct dir_meta *d = &x->dirs[i];
		int fd = tar_open_in(x->root_fd, d->path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
		struct timespec ts[2] = {d->mtime, d->mtime};
		if (fd < 0 || (x->o->chown && fchown(fd, d->uid, d->gid) < 0) ||
		    fchmod(fd, d->mode) < 0 || futimens(fd, ts) < 0) {
			if (ret == 0)
				fail(x, ERR_INTERNAL, "%s: %s", d->path, strerror(errno));
			ret = -1;
		}
		if (fd >= 0)
			close(fd);
	}
	return ret;
}

int tar_extract(tar_read_fn in, void *cls, int root_fd, const char *dest,
                const struct tar_extract_opts *opts, struct error *err)
{
	err->code = ERR_NONE;
	err->msg[0] = '\0';
	if (archive_dl_load(err->msg, sizeof(err->msg)) < 0) {
		err->code = ERR_INTERNAL;
		return -1;
	}
	struct extractor x = {.o = opts, .root_fd = root_fd, .dest = dest, .e = err, .dest_fd = -1};
	struct reader *r = malloc(sizeof(*r));
	x.a = archive_read_new();
	if (!r || !x.a) {
		free(r);
		if (x.a)
			archive_read_free(x.a);
		return fail(&x, ERR_INTERNAL, "out of memory");
	}
	r->in = in;
	r->cls = cls;
	r->failed = false;
	int ret = -1;
	x.dest_fd = tar_open_in(root_fd, dest, O_PATH | O_DIRECTORY);
	if (x.dest_fd < 0) {
		fail(&x, ERR_INTERNAL, "%s: %s", dest, strerror(errno));
		goto out;
	}
	archive_read_support_filter_all(x.a);
	archive_read_support_format_tar(x.a);
	archive_read_support_format_gnutar(x.a);
	if (archive_read_open(x.a, r, NULL, on_archive_read, NULL) != ARCHIVE_OK) {
		fail(&x, r->failed ? ERR_INTERNAL : ERR_INVALID, "invalid tar archive: %s",
		     archive_error_string(x.a));
		goto out;
	}
	struct archive_entry *e;
	int rc;
	ret = 0;
	/* A warning is a name the locale cannot show: the entry is kept with its bytes. */
	while (ret == 0 && ((rc = archive_read_next_header(x.a, &e)) == ARCHIVE_OK ||
	                    (rc == ARCHIVE_WARN && archive_entry_pathname(e)))) {
		const char *name = archive_entry_pathname(e);
		if (!name)
			name = "";
		if (!supported_type(e)) {
			ret =
			    fail(&x, ERR_INVALID, "archive entry %s: unsupported file type", name);
			break;
		}
		char *rel = entry_rel_path(&x, name);
		if (!rel) {
			ret = -1;
			break;
		}
		/* Hard link targets are checked like names too. */
		if (archive_entry_hardlink(e)) {
			char *t = entry_rel_path(&x, archive_entry_hardlink(e));
			if (!t || !*t)
				ret = fail(&x, ERR_INVALID,
				           "archive entry %s: bad hard link target", name);
			free(t);
		} else if (archive_entry_filetype(e) == AE_IFLNK &&
		           (!archive_entry_symlink(e) || !*archive_entry_symlink(e))) {
			ret = fail(&x, ERR_INVALID, "archive entry %s: symlink without a target",
			           name);
		}
		if (ret == 0)
			ret = extract_entry(&x, e, rel);
		free(rel);
	}
	if (ret == 0 && rc != ARCHIVE_EOF)
		ret = fail(&x, r->failed ? ERR_INTERNAL : ERR_INVALID, "invalid tar archive: %s",
		           archive_error_string(x.a));
	if (!opts->check_only && finish_dirs(&x) < 0)
		ret = -1;
out:
	for (size_t i = 0; i < x.ndirs; i++)
		free(x.dirs[i].path);
	free(x.dirs);
	if (x.dest_fd >= 0)
		close(x.dest_fd);
	archive_read_free(x.a);
	free(r);
	return ret;
}
