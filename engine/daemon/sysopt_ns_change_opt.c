/* --ns-change-opt net,ipc: /proc/sys stays read-only except the namespaced parameters listed
 * by the seed, which a mount hook (isulad-monitor proc-rw-hook, run by liblxc inside the
 * container's mount namespace before its init) binds onto themselves read-write. liblxc's own
 * mount entries cannot do it: a bind of a path under the read-only /proc/sys stays
 * read-only. */
#include "engine/lxc_conf.h"
#include "engine/ns_change_opt.h"
#include "sysopt.h"

int ns_change_opt_validate(const struct host_config *h, char *err, size_t errlen)
{
	if (!h->sys.ns_change_opt)
		return 0;
	unsigned mask;
	if (ns_change_opt_parse(h->sys.ns_change_opt, &mask, err, errlen) < 0)
		return -1;
	if (!h->system_container) {
		snprintf(err, errlen,
		         "Invalid --ns-change-opt %s: --ns-change-opt only available for system "
		         "container (--system-container)",
		         h->sys.ns_change_opt);
		return -1;
	}
	return 0;
}

void ns_change_opt_lxc_config(struct strbuf *f, const struct host_config *h,
                              const char *monitor_path)
{
	unsigned mask;
	char err[256];
	/* The seed: with --privileged, --ns-change-opt does not take effect. */
	if (!h->sys.ns_change_opt || h->privileged || !h->system_container ||
	    ns_change_opt_parse(h->sys.ns_change_opt, &mask, err, sizeof(err)) < 0)
		return;
	const char *files[NS_CHANGE_MAX_FILES + 1];
	ns_change_files(mask, files);
	char args[1024] = "";
	size_t n = 0;
	for (size_t i = 0; files[i] && n < sizeof(args); i++)
		n += (size_t)snprintf(args + n, sizeof(args) - n, " %s", files[i]);
	lxc_conf_line(f, "lxc.hook.mount", "%s proc-rw-hook%s", monitor_path, args);
}
