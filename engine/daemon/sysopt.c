/* The order in which the system-container options are checked and applied over a
 * container's life; each option's own work is in sysopt_<option>.c. */
#include "sysopt.h"

#include <string.h>

#include "store.h"

int sysopt_validate(const struct container *c, char *err, size_t errlen)
{
	const struct host_config *h = &c->host;
	if (userremap_validate(h, err, errlen) < 0 || nschange_validate(h, err, errlen) < 0 ||
	    fileslimit_validate(h, err, errlen) < 0 || modules_validate(c, err, errlen) < 0 ||
	    envfile_validate(c, err, errlen) < 0 || hostchannel_validate(h, err, errlen) < 0)
		return -1;
	return 0;
}

int sysopt_create(struct container *c, char *err, size_t errlen)
{
	if (envfile_merge(c, err, errlen) < 0 || hostchannel_create(&c->host, err, errlen) < 0)
		return -1;
	return 0;
}

int sysopt_prepare_start(const struct container *c, bool *channel_mounted, char *err, size_t errlen)
{
	*channel_mounted = false;
	if (modules_load(c, err, errlen) < 0 ||
	    userremap_prepare(&c->host, g_paths.lxcpath, err, errlen) < 0 ||
	    hostchannel_mount(&c->host, channel_mounted, err, errlen) < 0)
		return -1;
	if (envfile_write(c, err, errlen) < 0) {
		sysopt_start_failed(c, *channel_mounted, NULL, 0);
		*channel_mounted = false;
		return -1;
	}
	return 0;
}

void sysopt_start_failed(const struct container *c, bool channel_mounted, char *err, size_t errlen)
{
	if (channel_mounted)
		hostchannel_remove_mount(&c->host);
	/* liblxc needs some dozens of descriptors of its own to set the container up. */
	if (err && fileslimit_is_rlimit(&c->host) && strstr(err, "Too many open files")) {
		size_t used = strlen(err);
		snprintf(err + used, errlen - used,
		         " (--files-limit %lld is too small: it is each process's open files limit "
		         "here, and the container's setup needs more)",
		         (long long)c->host.sys.files_limit);
	}
}

void sysopt_remove(const struct container *c)
{
	hostchannel_remove(&c->host);
}

void sysopt_lxc_config(FILE *f, const struct container *c, const char *monitor_path)
{
	const struct host_config *h = &c->host;
	userremap_lxc_config(f, h);
	nschange_lxc_config(f, h, monitor_path);
	hostchannel_lxc_config(f, h);
	fileslimit_lxc_config(f, h);
}
