#include "core/fileutil.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>
#include <dirent.h>

#include "core/durable_batch.h"

/* send() for sockets, write() for the rest: one loop for both. */
static int write_loop(int fd, const char *p, size_t n, bool sock)
{
	while (n > 0) {
		ssize_t w = sock ? send(fd, p, n, MSG_NOSIGNAL) : write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			if (w == 0)
				errno = EIO;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

int fd_write_all(int fd, const void *data, size_t len)
{
	return write_loop(fd, data, len, false);
}

int sock_send_all(int sock, const void *data, size_t len)
{
	return write_loop(sock, data, len, true);
}

static int write_and_rename(const char *path, const void *data, size_t len, mode_t mode,
                            bool durable)
{
	size_t plen = strlen(path);
	char *tmp = malloc(plen + 16);
	if (!tmp)
		return -1;
	/* Unique per thread: two writers of one file must not share a temp file. */
	snprintf(tmp, plen + 16, "%s.tmp%d", path, (int)gettid());
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (fd < 0) {
		free(tmp);
		return -1;
	}
	if (fd_write_all(fd, data, len) < 0)
		goto fail;
	/* In this thread's batch: made durable and renamed at its commit. */
	if (durable && durable_batch_take(path, tmp, fd)) {
		free(tmp);
		return 0;
	}
	if (durable && fsync(fd) < 0)
		goto fail;
	close(fd);
	fd = -1;
	if (rename(tmp, path) < 0)
		goto fail;
	free(tmp);
	return 0;
fail : {
	int saved = errno;
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	free(tmp);
	errno = saved;
	return -1;
}
}

int atomic_write_file(const char *path, const void *data, size_t len, mode_t mode)
{
	return write_and_rename(path, data, len, mode, true);
}

int atomic_write_file_swap(const char *path, const void *data, size_t len, mode_t mode)
{
	if (durable_batch_open())
		return atomic_write_file(path, data, len, mode);
	size_t plen = strlen(path);
	char *prev = malloc(plen + sizeof(ATOMIC_PREV_SUFFIX));
	char *dir = path_dir(path);
	int fd = -1, ret = -1;
	if (!prev || !dir)
		goto out;
	memcpy(prev, path, plen);
	memcpy(prev + plen, ATOMIC_PREV_SUFFIX, sizeof(ATOMIC_PREV_SUFFIX));
	fd = open(prev, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (fd < 0 || fd_write_all(fd, data, len) < 0 || fsync(fd) < 0)
		goto out;
	close(fd);
	fd = -1;
	/* The first write has nothing to exchange with; a filesystem without exchange
	 * replaces. */
	if (renameat2(AT_FDCWD, prev, AT_FDCWD, path, RENAME_EXCHANGE) < 0) {
		if (errno != ENOENT && errno != EINVAL && errno != ENOSYS)
			goto out;
		if (rename(prev, path) < 0)
			goto out;
	}
	ret = fsync_dir(dir);
out : {
	int saved = errno;
	if (fd >= 0)
		close(fd);
	free(prev);
	free(dir);
	errno = saved;
	return ret;
}
}

int atomic_replace_file(const char *path, const void *data, size_t len, mode_t mode)
{
	return write_and_rename(path, data, len, mode, false);
}

int fsync_dir(const char *path)
{
	if (durable_batch_take_dir(path))
		return 0;
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int ret = fsync(fd);
	int saved = errno;
	close(fd);
	errno = saved;
	return ret;
}

bool is_atomic_temp_name(const char *name)
{
	const char *t = strstr(name, ".tmp");
	if (!t || t == name)
		return false;
	t += 4;
	if (!*t)
		return false;
	for (; *t; t++) {
		if (*t < '0' || *t > '9')
			return false;
	}
	return true;
}

char *read_file(const char *path, size_t max_len, size_t *len_out)
{
	return read_file_at(AT_FDCWD, path, max_len, len_out);
}

char *read_file_at(int dirfd, const char *path, size_t max_len, size_t *len_out)
{
	int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	char *text = read_fd(fd, max_len, len_out);
	int saved = errno;
	close(fd);
	errno = saved;
	return text;
}

char *read_fd(int fd, size_t max_len, size_t *len_out)
{
	size_t cap = 4096, len = 0;
	char *buf = malloc(cap + 1);
	if (!buf)
		return NULL;
	for (;;) {
		if (len == cap) {
			if (cap >= max_len) {
				errno = EFBIG;
				goto fail;
			}
			cap *= 2;
			char *nb = realloc(buf, cap + 1);
			if (!nb)
				goto fail;
			buf = nb;
		}
		ssize_t n = read(fd, buf + len, cap - len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			goto fail;
		}
		if (n == 0)
			break;
		len += (size_t)n;
		if (len > max_len) {
			errno = EFBIG;
			goto fail;
		}
	}
	buf[len] = '\0';
	if (len_out)
		*len_out = len;
	return buf;
fail : {
	int saved = errno;
	free(buf);
	errno = saved;
	return NULL;
}
}

int mkdir_p(const char *path, mode_t mode)
{
	/* Mostly the parents exist (often the dir too): one call then, not one per component. */
	if (mkdir(path, mode) == 0 || errno == EEXIST)
		return 0;
	if (errno != ENOENT)
		return -1;
	char *copy = strdup(path);
	if (!copy)
		return -1;
	for (char *p = copy + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(copy, mode) < 0 && errno != EEXIST) {
			free(copy);
			return -1;
		}
		*p = '/';
	}
	int ret = mkdir(copy, mode);
	free(copy);
	if (ret < 0 && errno != EEXIST)
		return -1;
	return 0;
}

static int remove_tree_at(int parent_fd, const char *name, dev_t dev)
{
	struct stat st;
	if (fstatat(parent_fd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISDIR(st.st_mode))
		return unlinkat(parent_fd, name, 0);
	if (st.st_dev != dev) {
		errno = EBUSY;
		return -1;
	}
	int fd = openat(parent_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -1;
	DIR *dir = fdopendir(fd);
	if (!dir) {
		close(fd);
		return -1;
	}
	int ret = 0;
	struct dirent *de;
	while ((de = readdir(dir))) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (remove_tree_at(dirfd(dir), de->d_name, dev) < 0)
			ret = -1;
	}
	closedir(dir);
	if (ret == 0 && unlinkat(parent_fd, name, AT_REMOVEDIR) < 0)
		ret = -1;
	return ret;
}

int remove_tree(const char *path)
{
	struct stat st;
	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : -1;
	return remove_tree_at(AT_FDCWD, path, st.st_dev);
}

bool path_exists(const char *path)
{
	struct stat st;
	return lstat(path, &st) == 0;
}

bool is_mount_point(const char *path)
{
	struct stat st, pst;
	char *parent = path_join(path, "..");
	bool mp = parent && stat(path, &st) == 0 && stat(parent, &pst) == 0 &&
	          (st.st_dev != pst.st_dev || st.st_ino == pst.st_ino);
	free(parent);
	return mp;
}

bool is_directory(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

char *path_dir(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return strdup(".");
	return slash == path ? strdup("/") : strndup(path, (size_t)(slash - path));
}

char *path_join(const char *a, const char *b)
{
	size_t la = strlen(a);
	while (la > 1 && a[la - 1] == '/')
		la--;
	while (*b == '/')
		b++;
	size_t lb = strlen(b);
	char *out = malloc(la + lb + 2);
	if (!out)
		return NULL;
	memcpy(out, a, la);
	out[la] = '/';
	memcpy(out + la + 1, b, lb + 1);
	return out;
}

static bool file_has(const char *path, const void *data, size_t len)
{
	size_t old_len = 0;
	char *old = read_file(path, len + 1, &old_len);
	bool same = old && old_len == len && memcmp(old, data, len) == 0;
	free(old);
	return same;
}

int write_file_if_changed(const char *path, const void *data, size_t len, mode_t mode)
{
	return file_has(path, data, len) ? 0 : atomic_write_file(path, data, len, mode);
}

int replace_file_if_changed(const char *path, const void *data, size_t len, mode_t mode)
{
	return file_has(path, data, len) ? 0 : atomic_replace_file(path, data, len, mode);
}
