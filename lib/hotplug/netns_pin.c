/* The network namespace of a container (see netns_pin.h). */
#include "hotplug/netns_pin.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "host/netlink_link.h"

#ifndef NSFS_MAGIC
#define NSFS_MAGIC 0x6e736673
#endif

static bool same_file(int a, int b)
{
	struct stat sa, sb;
	return fstat(a, &sa) == 0 && fstat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
	       sa.st_ino == sb.st_ino;
}

int hp_net_open_fd(int nsfd, struct hp_net *n, struct error *e)
{
	memset(n, 0, sizeof(*n));
	n->nsfd = nsfd;
	n->host_nsfd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	char err[256];
	if (n->host_nsfd < 0) {
		error_set(e, ERR_INTERNAL, "cannot open our network namespace: %s",
		          strerror(errno));
		goto fail;
	}
	if (same_file(n->nsfd, n->host_nsfd)) {
		error_set(e, ERR_INVALID, "the container shares the host's network namespace");
		goto fail;
	}
	if (!(n->host = netlink_open(-1, err, sizeof(err))) ||
	    !(n->ctr = netlink_open(n->nsfd, err, sizeof(err)))) {
		error_set(e, ERR_INTERNAL, "%s", err);
		goto fail;
	}
	return 0;
fail:
	hp_net_close(n);
	return -1;
}

int hp_net_open_target(const struct hotplug_target *t, struct hp_net *n, struct error *e)
{
	memset(n, 0, sizeof(*n));
	n->nsfd = n->host_nsfd = -1;
	int fd = t->pid > 0 ? pid_pin_openat(&t->pin, "ns/net", O_RDONLY) : -1;
	if (fd < 0)
		return error_set(e, ERR_NOT_RUNNING, "container %s is not running", t->name);
	return hp_net_open_fd(fd, n, e);
}

void hp_net_close(struct hp_net *n)
{
	netlink_close(n->host);
	netlink_close(n->ctr);
	if (n->nsfd >= 0)
		close(n->nsfd);
	if (n->host_nsfd >= 0)
		close(n->host_nsfd);
	memset(n, 0, sizeof(*n));
	n->nsfd = n->host_nsfd = -1;
}

static int pin_path(const char *id, char *buf, size_t len, struct error *e)
{
	if (!id || !*id || strchr(id, '/') || strcmp(id, ".") == 0 || strcmp(id, "..") == 0 ||
	    (size_t)snprintf(buf, len, "%s/%s", HOTPLUG_NETNS_DIR, id) >= len)
		return error_set(e, ERR_INVALID, "invalid container ID \"%s\"", id ? id : "");
	return 0;
}

/* Unmounts every mount stacked on path. */
static void unmount_all(const char *path)
{
	for (int i = 0; i < 16 && umount2(path, MNT_DETACH | UMOUNT_NOFOLLOW) == 0; i++)
		;
}

int hp_netns_pin(const char *id, int nsfd, struct error *e)
{
	char path[512], src[64];
	if (pin_path(id, path, sizeof(path), e) < 0)
		return -1;
	/* The run directory readable as the original's; the pins only by root. */
	if ((mkdir(HOTPLUG_RUN_DIR, 0755) < 0 && errno != EEXIST) ||
	    (mkdir(HOTPLUG_NETNS_DIR, 0700) < 0 && errno != EEXIST) ||
	    chmod(HOTPLUG_NETNS_DIR, 0700) < 0)
		return error_set(e, ERR_INTERNAL, "cannot create %s: %s", HOTPLUG_NETNS_DIR,
		                 strerror(errno));
	unmount_all(path);
	int fd = open(path, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return error_set(e, ERR_INTERNAL, "cannot create %s: %s", path, strerror(errno));
	close(fd);
	snprintf(src, sizeof(src), "/proc/self/fd/%d", nsfd);
	if (mount(src, path, NULL, MS_BIND, NULL) < 0) {
		int err = errno;
		unlink(path);
		return error_set(e, ERR_INTERNAL, "cannot pin the network namespace on %s: %s",
		                 path, strerror(err));
	}
	return 0;
}

int hp_netns_pin_open(const char *id, struct error *e)
{
	char path[512];
	if (pin_path(id, path, sizeof(path), e) < 0)
		return -1;
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			return -1;
		return error_set(e, ERR_INTERNAL, "cannot open %s: %s", path, strerror(errno));
	}
	struct statfs sf;
	if (fstatfs(fd, &sf) < 0 || sf.f_type != NSFS_MAGIC) {
		close(fd); /* the file alone, its mount gone: no namespace */
		errno = ENOENT;
		return -1;
	}
	return fd;
}

int hp_netns_unpin(const char *id, struct error *e)
{
	char path[512];
	if (pin_path(id, path, sizeof(path), e) < 0)
		return -1;
	unmount_all(path);
	if (unlink(path) < 0 && errno != ENOENT)
		return error_set(e, ERR_INTERNAL, "cannot remove %s: %s", path, strerror(errno));
	return 0;
}
