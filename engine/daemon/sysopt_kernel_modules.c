/* -e KERNEL_MODULES=a,b for a system container: each module is loaded on the host with
 * modprobe before the container starts, as the syscontainer hook does in iSulad (here the
 * engine does it itself, so no --hook-spec is needed). A module the kernel already has,
 * loaded or built in (/sys/module/NAME), needs nothing. Modules are never unloaded. */
#include <stdio.h>

#include "host/kernel_modules.h"
#include "core/log.h"
#include "core/strv.h"
#include "sysopt.h"

int kernel_modules_validate(const struct container *c, char *err, size_t errlen)
{
	char **names = NULL;
	if (!c->host.system_container)
		return 0;
	int ret = kernel_modules_from_env(c->config.env, &names, err, errlen);
	strv_free(names);
	return ret;
}

int kernel_modules_load(const struct container *c, char *err, size_t errlen)
{
	char **names = NULL;
	if (!c->host.system_container ||
	    kernel_modules_from_env(c->config.env, &names, err, errlen) < 0)
		return c->host.system_container ? -1 : 0;
	int ret = 0;
	for (size_t i = 0; names && names[i] && ret == 0; i++) {
		if (kernel_module_present(names[i]))
			continue;
		char msg[512];
		if (kernel_module_load(names[i], msg, sizeof(msg)) == 0) {
			LOG_INFO("container %s: kernel module %s loaded", c->id, names[i]);
			continue;
		}
		snprintf(
		    err, errlen,
		    "Start container error: cannot load kernel module '%s' (KERNEL_MODULES): %s",
		    names[i], msg[0] ? msg : "modprobe failed");
		ret = -1;
	}
	strv_free(names);
	return ret;
}
