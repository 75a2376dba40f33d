/* The order in which the system-container options are checked and applied over a
 * container's life; each option's own work is in sysopt_<option>.c. */
#include "sysopt.h"

#include <stdlib.h>
#include <string.h>

#include "core/fileutil.h"
#include "store.h"

int sysopt_validate(const struct container *c, char *err, size_t errlen)
{
	const struct host_config *h = &c->host;
	if (userremap_validate(h, err, errlen) < 0 || nschange_validate(h, err, errlen) < 0 ||
	    fileslimit_validate(h, err, errlen) < 0 || modules_validate(c, err, errlen) < 0 ||
	    (h->sys.env_target_file && envfile_validate(c, err, errlen) < 0) ||
	    hostchannel_validate(h, err, errlen) < 0)
		return -1;
	return 0;
}

int sysopt_create(struct container *c, char *err, size_t errlen)
{
	if ((c->host.sys.env_target_file && envfile_merge(c, err, errlen) < 0) ||
	    hostchannel_create(&c->host, err, errlen) < 0)
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
	if (c->host.sys.env_target_file && envfile_write(c, err, errlen) < 0) {
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
	/* liblxc needs some dozens of descriptors of its own to set the container up; its last
	 * error line is then a consequence, not the cause. */
	if (!err || !fileslimit_is_rlimit(&c->host))
		return;
	char *dir = store_state_dir(c->id);
	char *log = dir ? path_join(dir, "lxc.log") : NULL;
	char *text = log ? read_file(log, 1 << 20, NULL) : NULL;
	if (text && strstr(text, "Too many open files"))
		snprintf(
		    err, errlen,
		    "Start container error: --files-limit %lld is too small for the container to "
		    "start: liblxc ran out of file descriptors setting it up (Too many open "
		    "files); with no files cgroup on this kernel the limit applies to each "
		    "process",
		    (long long)c->host.sys.files_limit);
	free(text);
	free(log);
	free(dir);
}

void sysopt_remove(const struct container *c)
{
	hostchannel_remove(&c->host);
}

void sysopt_lxc_config(struct strbuf *f, const struct container *c, const char *monitor_path)
{
	const struct host_config *h = &c->host;
	userremap_lxc_config(f, h);
	nschange_lxc_config(f, h, monitor_path);
	hostchannel_lxc_config(f, h);
	fileslimit_lxc_config(f, h);
}
