#include "host/rootfs_path.h"

#include "core/fileutil.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

int rootfs_open(int rootfs_fd, const char *path, int flags, mode_t mode)
{
	struct open_how how = {
	    .flags = (unsigned long long)(flags | O_CLOEXEC),
	    .mode = (flags & O_CREAT) ? mode : 0,
	    .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};
	while (*path == '/')
		path++;
	if (*path == '\0')
		path = ".";
	return (int)syscall(SYS_openat2, rootfs_fd, path, &how, sizeof(how));
}

int rootfs_write_file(int rootfs_fd, const char *path, const char *data, size_t len, mode_t mode)
{
	char *dir = strdup(path);
	if (!dir)
		return -1;
	char *slash = strrchr(dir, '/');
	const char *base = slash ? slash + 1 : dir;
	if (slash)
		*slash = '\0';
	int ret = -1, fd = -1;
	char tmp[300];
	int dfd = rootfs_open(rootfs_fd, slash ? dir : ".", O_PATH | O_DIRECTORY, 0);
	if (dfd < 0)
		goto out;
	snprintf(tmp, sizeof(tmp), ".%s.isulad-tmp", base);
	unlinkat(dfd, tmp, 0);
	fd = openat(dfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
	if (fd < 0)
		goto out;
	size_t off = 0;
	while (off < len) {
		ssize_t n = write(fd, data + off, len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			goto out;
		off += (size_t)n;
	}
	if (fchmod(fd, mode) < 0 || renameat(dfd, tmp, dfd, base) < 0)
		goto out;
	ret = 0;
out : {
	int saved = errno;
	if (fd >= 0) {
		close(fd);
		if (ret < 0)
			unlinkat(dfd, tmp, 0);
	}
	if (dfd >= 0)
		close(dfd);
	free(dir);
	errno = saved;
	return ret;
}
}

static bool is_executable_at(int rootfs_fd, const char *path)
{
	int fd = rootfs_open(rootfs_fd, path, O_PATH, 0);
	if (fd < 0)
		return false;
	struct stat st;
	bool ok = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 0111);
	close(fd);
	return ok;
}

bool rootfs_find_executable(int rootfs_fd, const char *cmd, const char *path_list)
{
	if (!cmd || !*cmd)
		return false;
	if (strchr(cmd, '/'))
		return is_executable_at(rootfs_fd, cmd);
	char *list = strdup(
	    path_list ? path_list : "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
	bool found = false;
	char *save = NULL;
	for (char *dir = strtok_r(list, ":", &save); dir && !found;
	     dir = strtok_r(NULL, ":", &save)) {
		char full[4096];
		snprintf(full, sizeof(full), "%s/%s", dir, cmd);
		found = is_executable_at(rootfs_fd, full);
	}
	free(list);
	return found;
}

char *rootfs_read_file(int rootfs_fd, const char *path, size_t max)
{
	/* The container owns these files: a FIFO there must not block the daemon, so the open
	 * does not wait and the type is checked on what was opened (no second lookup). */
	int fd = rootfs_open(rootfs_fd, path, O_RDONLY | O_NONBLOCK | O_NOCTTY, 0);
	if (fd < 0)
		return NULL;
	struct stat st;
	char *text = NULL;
	if (fstat(fd, &st) < 0)
		goto out;
	if (!S_ISREG(st.st_mode)) {
		errno = EINVAL;
		goto out;
	}
	if (st.st_size < 0 || (size_t)st.st_size > max) {
		errno = EFBIG;
		goto out;
	}
	int fl = fcntl(fd, F_GETFL);
	if (fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) < 0)
		goto out;
	text = read_fd(fd, max, NULL);
out:;
	int saved = errno;
	close(fd);
	errno = saved;
	return text;
}

int rootfs_read_user_db(int rootfs_fd, char **passwd, char **group, char *err, size_t errlen)
{
	const char *paths[] = {"/etc/passwd", "/etc/group"};
	char **out[] = {passwd, group};
	*passwd = *group = NULL;
	for (size_t i = 0; i < 2; i++) {
		*out[i] = rootfs_read_file(rootfs_fd, paths[i], 4 << 20);
		/* A missing file is as good as an empty one; anything else is the answer. */
		if (!*out[i] && errno != ENOENT) {
			snprintf(err, errlen, "cannot read the container's %s: %s", paths[i],
			         errno == EINVAL ? "not a regular file" : strerror(errno));
			free(*passwd);
			free(*group);
			*passwd = *group = NULL;
			return -1;
		}
	}
	return 0;
}
