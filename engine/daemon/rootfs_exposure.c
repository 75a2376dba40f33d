/* Refuses an external rootfs that other host users can reach (security review §3.4). The
 * container's root is the host's root unless --user-remap maps it: it can leave setuid-root
 * programs and device nodes in its rootfs, which any host user reaching the rootfs could run
 * or open. Docker and LXC keep rootfs below a directory only root enters; so must the user. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "core/path_walk.h"
#include "validate.h"

/* A directory that keeps other users out: root's, and searchable by neither others nor a
 * group other than root's (its owner could open it again). */
static int keeps_others_out(const char *dir, const struct stat *st, void *arg)
{
	bool closed = st->st_uid == 0 && !(st->st_mode & S_IXOTH) &&
	              (!(st->st_mode & S_IXGRP) || st->st_gid == 0);
	return closed ? 1 : 0;
}

int validate_rootfs_exposure(const char *rootfs, char *err, size_t errlen)
{
	int ret = path_walk(rootfs, keeps_others_out, NULL);
	if (ret == 1)
		return 0;
	if (ret < 0)
		snprintf(err, errlen, "Invalid external rootfs '%s': %s", rootfs, strerror(errno));
	else
		snprintf(
		    err, errlen,
		    "Invalid external rootfs '%s': other host users can reach it (no directory "
		    "on its path is closed to them), so they could run the setuid programs and "
		    "open the device nodes its container's root makes there; put it below a "
		    "directory only root can enter (e.g. chmod 0700 on a parent), or use "
		    "--user-remap",
		    rootfs);
	return -1;
}
