#include "dir_spread.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <unistd.h>

static int get_flags(int fd, int *flags)
{
	return ioctl(fd, FS_IOC_GETFLAGS, flags);
}

int dir_spreads_subdirs(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int flags = 0;
	int ret = get_flags(fd, &flags) < 0 ? -1 : (flags & FS_TOPDIR_FL) != 0;
	int saved = errno;
	close(fd);
	errno = saved;
	return ret;
}

int dir_spread_subdirs(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int flags = 0;
	int ret = 0;
	if (get_flags(fd, &flags) < 0)
		ret = -1;
	else if (!(flags & FS_TOPDIR_FL)) {
		flags |= FS_TOPDIR_FL;
		ret = ioctl(fd, FS_IOC_SETFLAGS, &flags);
	}
	int saved = errno;
	close(fd);
	errno = saved;
	return ret;
}
