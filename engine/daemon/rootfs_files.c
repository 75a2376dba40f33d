#include "rootfs_files.h"
#include "rootfs_block.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/fileutil.h"
#include "engine/lxc_conf.h"
#include "core/log.h"
#include "core/strv.h"
#include "net_files.h"
#include "host/rootfs_path.h"
#include "sysopt.h"

static const char *hostname_of(const struct container *c)
{
	return c->config.hostname ? c->config.hostname : "localhost";
}

static bool has_dns_flags(const struct security_config *s)
{
	return (s->dns && s->dns[0]) || (s->dns_search && s->dns_search[0]) ||
	       (s->dns_options && s->dns_options[0]);
}

/* The host's resolv.conf with the container's --dns* values in place of its own. */
static char *resolv_text(const struct container *c)
{
	const struct security_config *s = &c->host.sec;
	char *host = read_file("/etc/resolv.conf", 64 * 1024, NULL);
	if (host && net_kind(c->host.net.mode) == NET_CNI) {
		char *own = resolv_without_loopback(host);
		free(host);
		host = own;
	}
	char *text = resolv_conf_render(host, s->dns, s->dns_search, s->dns_options);
	free(host);
	return text;
}

/* Written as the container's root: a user-remapped container owns them. */
static void write_one(const struct container *c, int rootfs, const char *path, const char *text)
{
	if (!text)
		LOG_WARN("cannot render %s: out of memory", path);
	else if (rootfs_write_file(rootfs, path, text, strlen(text), 0644) < 0)
		LOG_WARN("cannot write %s in the rootfs: %s", path, strerror(errno));
	else
		sysopt_chown_in_rootfs(c, rootfs, path);
}

void rootfs_write_network_files(const struct container *c)
{
	char err[1024];
	int rootfs = rootfs_open_dir(c, err, sizeof(err));
	if (rootfs < 0) {
		LOG_WARN("network files not written: %s", err);
		return;
	}
	int etc = rootfs_open(rootfs, "/etc", O_PATH | O_DIRECTORY, 0);
	if (etc < 0) {
		LOG_WARN("rootfs %s has no /etc; network files not written",
		         c->host.external_rootfs);
		close(rootfs);
		return;
	}
	close(etc);
	char buf[1024];
	snprintf(buf, sizeof(buf), "%s\n", hostname_of(c));
	write_one(c, rootfs, "/etc/hostname", buf);
	/* A container on a network is found by its name at its address too. */
	char **extra = strv_dup(c->host.sec.extra_hosts);
	if (c->net.network && c->net.ip[0])
		strv_pushf(&extra, "%s:%s", hostname_of(c), c->net.ip);
	char *hosts = hosts_render(hostname_of(c), extra);
	strv_free(extra);
	write_one(c, rootfs, "/etc/hosts", hosts);
	free(hosts);
	char *resolv = resolv_text(c);
	write_one(c, rootfs, "/etc/resolv.conf", resolv);
	free(resolv);
	close(rootfs);
}

/* Writes text to <dir>/<name> and the bind line onto etc/<name>; -1 with err. */
static int bind_file(struct strbuf *f, const char *dir, const char *name, char *text, char *err,
                     size_t errlen)
{
	char *path = path_join(dir, name);
	int ret = -1;
	if (!text || !path)
		snprintf(err, errlen, "out of memory writing %s", name);
	else if (atomic_write_file(path, text, strlen(text), 0644) < 0)
		snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
	else {
		lxc_conf_line(f, "lxc.mount.entry", "%s etc/%s none bind,create=file 0 0", path,
		              name);
		ret = 0;
	}
	free(path);
	free(text);
	return ret;
}

int network_files_lxc_binds(struct strbuf *f, const struct container *c, const char *container_dir,
                            char *err, size_t errlen)
{
	const struct security_config *s = &c->host.sec;
	int ret = 0;
	if (!c->host.system_container && has_dns_flags(s))
		ret = bind_file(f, container_dir, "resolv.conf", resolv_text(c), err, errlen);
	if (ret == 0 && !c->host.system_container && s->extra_hosts && s->extra_hosts[0])
		ret = bind_file(f, container_dir, "hosts",
		                hosts_render(hostname_of(c), s->extra_hosts), err, errlen);
	return ret;
}
