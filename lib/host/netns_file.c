#include "host/netns_file.h"

#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <unistd.h>

struct netns_job {
	const char *path;
	int err;
	const char *step;
};

static int lo_up(void)
{
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return -1;
	struct ifreq ifr;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "lo");
	int ret = ioctl(s, SIOCGIFFLAGS, &ifr);
	if (ret == 0) {
		ifr.ifr_flags |= IFF_UP;
		ret = ioctl(s, SIOCSIFFLAGS, &ifr);
	}
	close(s);
	return ret;
}

/* A thread of its own: unshare changes only this thread's namespace, and the thread ends
 * right after, so no other work of the process ever runs in it. */
static void *netns_thread(void *arg)
{
	struct netns_job *j = arg;
	char self[64];
	if (unshare(CLONE_NEWNET) < 0) {
		j->step = "unshare";
	} else if (lo_up() < 0) {
		j->step = "bringing lo up";
	} else {
		snprintf(self, sizeof(self), "/proc/self/task/%d/ns/net", (int)gettid());
		if (mount(self, j->path, NULL, MS_BIND, NULL) < 0)
			j->step = "bind mount";
	}
	j->err = j->step ? errno : 0;
	return NULL;
}

int netns_file_create(const char *path, char *err, size_t errlen)
{
	int fd = open(path, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0444);
	if (fd < 0) {
		snprintf(err, errlen, "cannot create %s: %s", path, strerror(errno));
		return -1;
	}
	close(fd);
	struct netns_job j = {.path = path};
	pthread_t t;
	int rc = pthread_create(&t, NULL, netns_thread, &j);
	if (rc != 0) {
		j.step = "thread";
		j.err = rc;
	} else {
		pthread_join(t, NULL);
	}
	if (j.step) {
		snprintf(err, errlen, "cannot create the network namespace %s: %s: %s", path,
		         j.step, strerror(j.err));
		unlink(path);
		return -1;
	}
	return 0;
}

int netns_file_remove(const char *path)
{
	if (umount2(path, MNT_DETACH) < 0 && errno != EINVAL && errno != ENOENT)
		return -1;
	if (unlink(path) < 0 && errno != ENOENT)
		return -1;
	return 0;
}
