/* --host-channel: the engine makes the host directory at create (it must not exist before),
 * mounts a tmpfs of the given size there (mode 1777) at the first start, binds it into the
 * container, and unmounts and removes it at rm. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysinfo.h>
#include <unistd.h>

#include "engine/lxc_conf.h"
#include "core/fileutil.h"
#include "core/log.h"
#include "sysopt.h"

static int64_t total_memory(void)
{
	struct sysinfo si;
	if (sysinfo(&si) < 0)
		return 0;
	return (int64_t)si.totalram * (int64_t)si.mem_unit;
}

int host_channel_validate(const struct host_config *h, char *err, size_t errlen)
{
	const struct host_channel *hc = &h->sys.channel;
	if (!hc->host_path)
		return 0;
	if (host_channel_check(hc, total_memory(), err, errlen) < 0)
		return -1;
	if (path_exists(hc->host_path)) {
		snprintf(err, errlen,
		         "Host path '%s' already exists: the host channel path must not exist (it "
		         "is removed with the container)",
		         hc->host_path);
		return -1;
	}
	return 0;
}

int host_channel_create(const struct host_config *h, char *err, size_t errlen)
{
	const struct host_channel *hc = &h->sys.channel;
	if (!hc->host_path)
		return 0;
	char *parent = strdup(hc->host_path);
	char *slash = parent ? strrchr(parent, '/') : NULL;
	if (slash && slash != parent)
		*slash = '\0';
	int ret = parent && mkdir_p(parent, 0755) == 0 && mkdir(hc->host_path, 0700) == 0 ? 0 : -1;
	if (ret < 0)
		snprintf(err, errlen, "cannot create the host channel directory %s: %s",
		         hc->host_path, strerror(errno));
	free(parent);
	return ret;
}

int host_channel_mount(const struct host_config *h, bool *mounted, char *err, size_t errlen)
{
	const struct host_channel *hc = &h->sys.channel;
	*mounted = false;
	if (!hc->host_path || is_mount_point(hc->host_path))
		return 0; /* the tmpfs lives from the first start until rm */
	char opts[64];
	snprintf(opts, sizeof(opts), "mode=1777,size=%lld", (long long)hc->size);
	if (mkdir_p(hc->host_path, 0700) < 0 ||
	    mount("tmpfs", hc->host_path, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, opts) < 0) {
		snprintf(err, errlen,
		         "Start container error: cannot mount the host channel tmpfs on %s: %s",
		         hc->host_path, strerror(errno));
		return -1;
	}
	*mounted = true;
	uid_t uid;
	gid_t gid;
	if (user_remap_root(h, &uid, &gid) && chown(hc->host_path, uid, gid) < 0)
		LOG_WARN("cannot give the host channel %s to %u:%u: %s", hc->host_path,
		         (unsigned)uid, (unsigned)gid, strerror(errno));
	return 0;
}

void host_channel_remove_mount(const struct host_config *h)
{
	const char *path = h->sys.channel.host_path;
	if (!path)
		return;
	for (int i = 0; i < 16 && is_mount_point(path); i++) {
		if (umount2(path, MNT_DETACH) < 0) {
			LOG_WARN("cannot unmount the host channel %s: %s", path, strerror(errno));
			break;
		}
	}
}

void host_channel_remove(const struct host_config *h)
{
	const char *path = h->sys.channel.host_path;
	if (!path)
		return;
	host_channel_remove_mount(h);
	if (remove_tree(path) < 0)
		LOG_WARN("cannot remove the host channel %s: %s", path, strerror(errno));
}

void host_channel_lxc_config(struct strbuf *f, const struct host_config *h)
{
	const struct host_channel *hc = &h->sys.channel;
	if (hc->host_path)
		lxc_conf_line(f, "lxc.mount.entry", "%s %s none rbind,create=dir%s 0 0",
		              hc->host_path, hc->ctr_path + strspn(hc->ctr_path, "/"),
		              hc->readonly ? ",ro" : "");
}
