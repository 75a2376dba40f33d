#include "dir_spread.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdbool.h>
#include <sys/ioctl.h>
#include <unistd.h>

/* Whether the directory has the hint (1, 0; set first when asked), or -1 with errno. */
static int topdir_flag(const char *path, bool set)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int flags = 0;
	int ret = ioctl(fd, FS_IOC_GETFLAGS, &flags);
	if (ret == 0 && set && !(flags & FS_TOPDIR_FL)) {
		flags |= FS_TOPDIR_FL;
		ret = ioctl(fd, FS_IOC_SETFLAGS, &flags);
	}
	int saved = errno;
	close(fd);
	errno = saved;
	return ret < 0 ? -1 : (flags & FS_TOPDIR_FL) != 0;
}

int dir_spread_subdirs(const char *path)
{
	return topdir_flag(path, true) < 0 ? -1 : 0;
}

int dir_spreads_subdirs(const char *path)
{
	return topdir_flag(path, false);
}
