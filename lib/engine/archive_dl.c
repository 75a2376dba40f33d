#define ARCHIVE_DL_IMPL
#include "engine/archive_dl.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

struct archive_dl g_archive_dl;

static pthread_once_t g_once = PTHREAD_ONCE_INIT;
static char g_error[256];

static void load(void)
{
	static const char *const names[] = {"libarchive.so.13", "libarchive.so"};
	void *h = NULL;
	for (size_t i = 0; !h && i < sizeof(names) / sizeof(names[0]); i++)
		h = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		snprintf(g_error, sizeof(g_error), "cannot load libarchive: %s", dlerror());
		return;
	}
	/* dlsym returns an object pointer: POSIX guarantees it converts to a function one. */
#define ARCHIVE_DL_SYM(name)                                                                       \
	if (!g_error[0] && !(*(void **)&g_archive_dl.name = dlsym(h, #name)))                      \
		snprintf(g_error, sizeof(g_error), "libarchive has no %s", #name);
	ARCHIVE_DL_FUNCS(ARCHIVE_DL_SYM)
#undef ARCHIVE_DL_SYM
}

int archive_dl_load(char *err, size_t errlen)
{
	pthread_once(&g_once, load);
	if (!g_error[0])
		return 0;
	snprintf(err, errlen, "%s", g_error);
	return -1;
}
