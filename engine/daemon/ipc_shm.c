#include "ipc_shm.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include "core/fileutil.h"
#include "core/log.h"
#include "engine/lxc_conf.h"
#include "store.h"

#define SHM_SUBDIR "mounts/shm"

static bool is_shareable(const char *ipc_mode)
{
	return ipc_mode && strcmp(ipc_mode, "shareable") == 0;
}

int ipc_shm_prepare(const struct container *c, char *err, size_t errlen)
{
	if (!is_shareable(c->host.ns.ipc))
		return 0;
	char *dir = store_container_dir(c->id);
	char *path = dir ? path_join(dir, SHM_SUBDIR) : NULL;
	int ret = -1;
	if (!path) {
		snprintf(err, errlen, "out of memory");
	} else if (mkdir_p(path, 0700) < 0) {
		snprintf(err, errlen, "cannot create %s: %s", path, strerror(errno));
	} else if (is_mount_point(path)) {
		ret = 0;
	} else {
		char opts[64];
		snprintf(opts, sizeof(opts), "mode=1777,size=%lld",
		         (long long)c->host.sec.shm_size);
		if (mount("shm", path, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, opts) < 0)
			snprintf(err, errlen, "cannot mount the shareable /dev/shm on %s: %s", path,
			         strerror(errno));
		else
			ret = 0;
	}
	free(path);
	free(dir);
	return ret;
}

void ipc_shm_release(const char *container_dir)
{
	char *path = container_dir ? path_join(container_dir, SHM_SUBDIR) : NULL;
	if (path && is_mount_point(path) && umount2(path, MNT_DETACH) < 0)
		LOG_WARN("cannot unmount %s: %s", path, strerror(errno));
	free(path);
}

/* The /dev/shm a container joining the IPC namespace of mode's container gets: that one's
 * tmpfs if it is shareable, the host's if it has the host's, else NULL (a tmpfs of its own:
 * the namespace alone is shared, as iSulad does for a private one). malloc'd. */
static char *joined_shm(const char *mode)
{
	struct error e;
	struct container *o = store_lookup(mode + strlen("container:"), &e);
	if (!o)
		return NULL;
	store_lock();
	const char *ipc = o->host.ns.ipc;
	char *out = NULL;
	if (is_shareable(ipc)) {
		char *dir = store_container_dir(o->id);
		out = dir ? path_join(dir, SHM_SUBDIR) : NULL;
		free(dir);
	} else if (ipc && strcmp(ipc, "host") == 0) {
		out = strdup("/dev/shm");
	}
	store_unlock();
	store_put(o);
	return out;
}

void ipc_shm_lxc_config(struct strbuf *f, const struct container *c)
{
	const char *ipc = c->host.ns.ipc;
	char *src = NULL;
	if (is_shareable(ipc)) {
		char *dir = store_container_dir(c->id);
		src = dir ? path_join(dir, SHM_SUBDIR) : NULL;
		free(dir);
	} else if (ipc && strcmp(ipc, "host") == 0) {
		src = strdup("/dev/shm");
	} else if (ipc && strncmp(ipc, "container:", strlen("container:")) == 0) {
		src = joined_shm(ipc);
	}
	if (src)
		lxc_conf_line(f, "lxc.mount.entry", "%s dev/shm none rbind,create=dir 0 0", src);
	else if (ipc && strcmp(ipc, "none") == 0)
		; /* Docker's none: a namespace of its own and no /dev/shm mounted */
	else
		lxc_conf_line(
		    f, "lxc.mount.entry",
		    "tmpfs dev/shm tmpfs rw,nosuid,nodev,mode=1777,size=%lld,create=dir 0 0",
		    (long long)c->host.sec.shm_size);
	free(src);
}
