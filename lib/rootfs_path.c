#include "rootfs_path.h"

#include "fileutil.h"

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
	int fd = rootfs_open(rootfs_fd, path, O_RDONLY, 0);
	if (fd < 0)
		return NULL;
	char proc[64];
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	char *text = read_file(proc, max, NULL);
	int saved = errno;
	close(fd);
	errno = saved;
	return text;
}
