/* The order in which the system-container options are checked and applied over a
 * container's life; each option's own work is in sysopt_<option>.c. */
#include "sysopt.h"

#include <stdio.h>
#include <stdlib.h>

#include "rootfs_block.h"
#include "store.h"

int sysopt_validate(const struct container *c, char *err, size_t errlen)
{
	const struct host_config *h = &c->host;
	if (user_remap_validate(h, err, errlen) < 0 || ns_change_opt_validate(h, err, errlen) < 0 ||
	    files_limit_validate(h, err, errlen) < 0 ||
	    kernel_modules_validate(c, err, errlen) < 0 ||
	    (h->sys.env_target_file && env_merge_validate(c, err, errlen) < 0) ||
	    host_channel_validate(h, err, errlen) < 0)
		return -1;
	return 0;
}

int sysopt_create(struct container *c, char *err, size_t errlen)
{
	if ((c->host.sys.env_target_file && env_merge_from_rootfs(c, err, errlen) < 0) ||
	    host_channel_create(&c->host, err, errlen) < 0)
		return -1;
	return 0;
}

int sysopt_prepare_start(const struct container *c, bool *channel_mounted, char *err, size_t errlen)
{
	*channel_mounted = false;
	char *rootfs = rootfs_dir(c);
	int ret = rootfs ? 0 : -1;
	if (!rootfs)
		snprintf(err, errlen, "out of memory");
	if (ret == 0 && (kernel_modules_load(c, err, errlen) < 0 ||
	                 user_remap_prepare(&c->host, g_paths.lxcpath, rootfs, err, errlen) < 0 ||
	                 host_channel_mount(&c->host, channel_mounted, err, errlen) < 0))
		ret = -1;
	free(rootfs);
	if (ret < 0)
		return -1;
	if (c->host.sys.env_target_file && env_merge_write(c, err, errlen) < 0) {
		sysopt_start_failed(c, *channel_mounted, NULL, 0);
		*channel_mounted = false;
		return -1;
	}
	return 0;
}

void sysopt_start_failed(const struct container *c, bool channel_mounted, char *err, size_t errlen)
{
	if (channel_mounted)
		host_channel_remove_mount(&c->host);
	if (err)
		files_limit_start_failed(c, err, errlen);
}

void sysopt_remove(const struct container *c)
{
	host_channel_remove(&c->host);
}

void sysopt_lxc_config(struct strbuf *f, const struct container *c, const char *monitor_path)
{
	const struct host_config *h = &c->host;
	user_remap_lxc_config(f, h);
	ns_change_opt_lxc_config(f, h, monitor_path);
	host_channel_lxc_config(f, h);
	files_limit_lxc_config(f, h);
}
