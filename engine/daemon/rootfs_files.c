#include "rootfs_files.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fileutil.h"
#include "log.h"
#include "rootfs_path.h"
#include "sysopt.h"

/* Written as the container's root: a user-remapped container owns them. */
static void write_one(const struct container *c, int rootfs, const char *path, const char *text)
{
	if (rootfs_write_file(rootfs, path, text, strlen(text), 0644) < 0)
		LOG_WARN("cannot write %s in the rootfs: %s", path, strerror(errno));
	else
		sysopt_chown_in_rootfs(c, rootfs, path);
}

void rootfs_write_network_files(const struct container *c)
{
	int rootfs = open(c->host.external_rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (rootfs < 0)
		return;
	int etc = rootfs_open(rootfs, "/etc", O_PATH | O_DIRECTORY, 0);
	if (etc < 0) {
		LOG_WARN("rootfs %s has no /etc; network files not written",
		         c->host.external_rootfs);
		close(rootfs);
		return;
	}
	close(etc);
	const char *hostname = c->config.hostname ? c->config.hostname : "localhost";
	char buf[1024];
	snprintf(buf, sizeof(buf), "%s\n", hostname);
	write_one(c, rootfs, "/etc/hostname", buf);
	snprintf(buf, sizeof(buf),
	         "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n"
	         "fe00::0\tip6-localnet\nff00::0\tip6-mcastprefix\nff02::1\tip6-allnodes\n"
	         "ff02::2\tip6-allrouters\n127.0.1.1\t%s\n",
	         hostname);
	write_one(c, rootfs, "/etc/hosts", buf);
	char *resolv = read_file("/etc/resolv.conf", 64 * 1024, NULL);
	write_one(c, rootfs, "/etc/resolv.conf", resolv ? resolv : "");
	free(resolv);
	close(rootfs);
}
