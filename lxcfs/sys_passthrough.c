#include "sys_passthrough.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "core/log.h"
#include "cpu_dir.h"

/* How long the kernel may keep a passed-through name and its attributes: sysfs entries come
 * and go with drivers and hotplug, and a pinned view's cpuN follows its cpuset. */
#define PT_SECONDS 1.0

static int g_host = -1; /* the host's /sys/devices/system/cpu, O_PATH */

int sys_pt_init(const char *host_dir)
{
	g_host =
	    open(host_dir ? host_dir : "/sys/devices/system/cpu", O_PATH | O_DIRECTORY | O_CLOEXEC);
	return g_host < 0 ? -1 : 0;
}

void sys_pt_close(void)
{
	if (g_host >= 0)
		close(g_host);
	g_host = -1;
	pt_free_all();
}

/* path (relative, kernel-given names only) beneath the host's directory, never through a
 * symlink: a trailing one is opened itself with O_PATH. An fd, or -errno. */
static int host_open(const char *path, int flags)
{
	if (g_host < 0)
		return -ENOENT;
	struct open_how how = {
	    .flags = (uint64_t)(flags | O_NOFOLLOW | O_CLOEXEC),
	    .resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS,
	};
	int fd, tries = 0;
	/* EAGAIN: a rename raced the walk (RESOLVE_BENEATH checks for it). */
	do
		fd = (int)syscall(SYS_openat2, g_host, path, &how, sizeof(how));
	while (fd < 0 && errno == EAGAIN && ++tries < 8);
	if (fd < 0)
		return errno == ELOOP || errno == EXDEV ? -ENOENT : -errno;
	return fd;
}

static int host_stat(const char *path, struct stat *st)
{
	int fd = host_open(path, O_PATH);
	if (fd < 0)
		return fd;
	int ret = fstat(fd, st) < 0 ? -errno : 0;
	close(fd);
	return ret;
}

/* The host's attributes as the reader gets them: our inode number, no write bit (but on a
 * symlink, whose mode means nothing). */
static void pt_attr(const struct stat *host, fuse_ino_t ino, struct stat *st)
{
	*st = *host;
	st->st_ino = ino;
	st->st_dev = 0;
	if (!S_ISLNK(st->st_mode))
		st->st_mode &= ~(mode_t)(S_IWUSR | S_IWGRP | S_IWOTH);
}

/* The kernel's own read check (root aside: it reads what the host's root reads), for what
 * lxcfs opens on the reader's behalf. */
static bool may_read(fuse_req_t req, const struct stat *st)
{
	const struct fuse_ctx *c = fuse_req_ctx(req);
	if (c->uid == 0)
		return true;
	if (c->uid == st->st_uid)
		return st->st_mode & S_IRUSR;
	if (c->gid == st->st_gid)
		return st->st_mode & S_IRGRP;
	return st->st_mode & S_IROTH;
}

static void warn_full(void)
{
	static time_t last;
	time_t now = time(NULL);
	if (now - last >= 60) {
		last = now;
		LOG_WARN("%u sysfs inodes in use: lookups in sys/devices/system/cpu fail (ENFILE) "
		         "until the kernel forgets some",
		         PT_MAX_ENTRIES);
	}
}

/* Answers a lookup of name in parent with the host's entry at host. */
static void reply_entry(fuse_req_t req, fuse_ino_t parent, const char *name, const char *host,
                        double entry_timeout)
{
	struct stat hs;
	uint64_t ino = 0;
	int ret = host_stat(host, &hs);
	if (ret == 0)
		ret = pt_intern(parent, name, host, &ino);
	if (ret == -ENFILE)
		warn_full();
	if (ret < 0) {
		fuse_reply_err(req, -ret);
		return;
	}
	struct fuse_entry_param e;
	memset(&e, 0, sizeof(e));
	e.ino = ino;
	pt_attr(&hs, ino, &e.attr);
	e.attr_timeout = PT_SECONDS;
	e.entry_timeout = entry_timeout;
	if (fuse_reply_entry(req, &e) != 0)
		pt_forget(ino, 1);
}

void sys_pt_lookup_cpu_dir(fuse_req_t req, fuse_ino_t dir, const char *name,
                           const struct cpuset *set, bool per_reader)
{
	char host[NAME_MAX + 16];
	unsigned n;
	if (!cpu_dir_host_name(name, set, host, sizeof(host))) {
		fuse_reply_err(req, ENOENT);
		return;
	}
	reply_entry(req, dir, name, host,
	            per_reader && cpu_dir_cpu_number(name, &n) ? 0 : PT_SECONDS);
}

int sys_pt_list_cpu_dir(fuse_ino_t dir, const struct cpuset *set, struct dir_list *l)
{
	int fd = host_open(".", O_RDONLY | O_DIRECTORY);
	if (fd == -ENOENT)
		return 0;
	DIR *d = fd < 0 ? NULL : fdopendir(fd);
	if (!d) {
		int err = fd < 0 ? -fd : errno;
		if (fd >= 0)
			close(fd);
		return -err;
	}
	int ret = 0;
	struct dirent *de;
	while (ret == 0 && (de = readdir(d))) {
		char vis[NAME_MAX + 16];
		if (cpu_dir_visible_name(de->d_name, set, vis, sizeof(vis)))
			ret = dir_list_add(l, vis, pt_ino_guess(dir, vis, de->d_name), de->d_type);
	}
	closedir(d);
	return ret;
}

/* The host path of ino, with "/name" appended when name is given. 0 or -errno. */
static int host_path(fuse_ino_t ino, const char *name, char *path, size_t len, uint64_t *parent)
{
	int ret = pt_get(ino, path, len, parent);
	if (ret == 0 && name) {
		size_t used = strlen(path);
		if ((size_t)snprintf(path + used, len - used, "/%s", name) >= len - used)
			ret = -ENAMETOOLONG;
	}
	return ret;
}

void sys_pt_lookup(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	char path[PATH_MAX];
	int ret = sys_name_ok(name) ? host_path(parent, name, path, sizeof(path), NULL) : -ENOENT;
	if (ret < 0)
		fuse_reply_err(req, -ret);
	else
		reply_entry(req, parent, name, path, PT_SECONDS);
}

void sys_pt_getattr(fuse_req_t req, fuse_ino_t ino)
{
	char path[PATH_MAX];
	struct stat hs, st;
	int ret = host_path(ino, NULL, path, sizeof(path), NULL);
	if (ret == 0)
		ret = host_stat(path, &hs);
	if (ret < 0) {
		fuse_reply_err(req, -ret);
		return;
	}
	pt_attr(&hs, ino, &st);
	fuse_reply_attr(req, &st, PT_SECONDS);
}

void sys_pt_readlink(fuse_req_t req, fuse_ino_t ino)
{
	char path[PATH_MAX], target[PATH_MAX];
	int ret = host_path(ino, NULL, path, sizeof(path), NULL);
	int fd = ret < 0 ? ret : host_open(path, O_PATH);
	ssize_t n = fd < 0 ? fd : readlinkat(fd, "", target, sizeof(target) - 1);
	if (n < 0 && fd >= 0)
		n = -errno;
	if (fd >= 0)
		close(fd);
	if (n < 0) {
		fuse_reply_err(req, (int)-n);
		return;
	}
	/* The host's target as it is: a relative one resolves in the reader's own /sys. */
	target[n] = '\0';
	fuse_reply_readlink(req, target);
}

int sys_pt_opendir(fuse_req_t req, fuse_ino_t ino, struct dir_list *l)
{
	char path[PATH_MAX];
	uint64_t parent = 0;
	struct stat st;
	int ret = host_path(ino, NULL, path, sizeof(path), &parent);
	int fd = ret < 0 ? ret : host_open(path, O_RDONLY | O_DIRECTORY);
	if (fd < 0)
		return fd;
	DIR *d = NULL;
	if (fstat(fd, &st) < 0)
		ret = -errno;
	else if (!may_read(req, &st))
		ret = -EACCES;
	else if (!(d = fdopendir(fd)))
		ret = -errno;
	if (ret < 0) {
		close(fd);
		return ret;
	}
	ret = dir_list_add(l, ".", ino, DT_DIR);
	if (ret == 0)
		ret = dir_list_add(l, "..", parent, DT_DIR);
	struct dirent *de;
	size_t used = strlen(path);
	while (ret == 0 && (de = readdir(d))) {
		if (!sys_name_ok(de->d_name))
			continue;
		if ((size_t)snprintf(path + used, sizeof(path) - used, "/%s", de->d_name) >=
		    sizeof(path) - used)
			continue;
		ret = dir_list_add(l, de->d_name, pt_ino_guess(ino, de->d_name, path), de->d_type);
	}
	closedir(d);
	return ret;
}

void sys_pt_open(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	/* Read-only, whoever asks: never a write to the host's sysfs (cpuN/online...). */
	if ((fi->flags & O_ACCMODE) != O_RDONLY || (fi->flags & O_TRUNC)) {
		fuse_reply_err(req, EACCES);
		return;
	}
	char path[PATH_MAX];
	struct stat st;
	int ret = host_path(ino, NULL, path, sizeof(path), NULL);
	int fd = ret < 0 ? ret : host_open(path, O_RDONLY);
	if (fd >= 0) {
		ret = fstat(fd, &st) < 0     ? -errno
		      : S_ISDIR(st.st_mode)  ? -EISDIR
		      : !S_ISREG(st.st_mode) ? -EACCES
		      : !may_read(req, &st)  ? -EACCES
		                             : 0;
		if (ret < 0)
			close(fd);
		fd = ret < 0 ? ret : fd;
	}
	if (fd < 0) {
		fuse_reply_err(req, -fd);
		return;
	}
	fi->fh = (uint64_t)fd;
	fi->direct_io = 1; /* each read(2) is the host's file now */
	fi->keep_cache = 0;
	fi->noflush = 1;
	fuse_ops_grow_for_splice(ino);
	if (fuse_reply_open(req, fi) != 0)
		close(fd);
}

void sys_pt_read(fuse_req_t req, size_t size, off_t off, struct fuse_file_info *fi)
{
	char small[4096];
	char *buf = size <= sizeof(small) ? small : malloc(size);
	if (!buf) {
		fuse_reply_err(req, ENOMEM);
		return;
	}
	ssize_t n;
	do
		n = pread((int)fi->fh, buf, size, off);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		fuse_reply_err(req, errno);
	else
		fuse_reply_buf(req, buf, (size_t)n);
	if (buf != small)
		free(buf);
}

void sys_pt_release(fuse_req_t req, struct fuse_file_info *fi)
{
	close((int)fi->fh);
	fuse_reply_err(req, 0);
}
