#include "liblxc_dl.h"

#include <dlfcn.h>
#include <stdbool.h>
#include <stdio.h>

#define LIBLXC_SONAME "liblxc.so.1"

static struct liblxc g_lxc;
static int g_state; /* 0: not tried, 1: loaded, -1: failed */

static int resolve(void *h, void **field, const char *name)
{
	*field = dlsym(h, name);
	if (*field)
		return 0;
	fprintf(stderr, "isulad-monitor: %s has no %s\n", LIBLXC_SONAME, name);
	return -1;
}

const struct liblxc *liblxc_load(void)
{
	if (g_state == 0) {
		void *h = dlopen(LIBLXC_SONAME, RTLD_NOW | RTLD_LOCAL);
		if (!h)
			fprintf(stderr, "isulad-monitor: cannot load %s: %s\n", LIBLXC_SONAME,
			        dlerror());
		bool ok =
		    h && resolve(h, (void **)&g_lxc.container_new, "lxc_container_new") == 0 &&
		    resolve(h, (void **)&g_lxc.container_put, "lxc_container_put") == 0 &&
		    resolve(h, (void **)&g_lxc.attach_run_command, "lxc_attach_run_command") == 0;
		g_state = ok ? 1 : -1;
	}
	return g_state == 1 ? &g_lxc : NULL;
}
