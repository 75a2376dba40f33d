#include "log_config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/fileutil.h"
#include "store.h"
#include "core/strv.h"

int log_config_resolve(struct host_config *h, char *const *daemon_opts, char *err, size_t errlen)
{
	const char *type = h->log_type && *h->log_type ? h->log_type : "json-file";
	if (strcmp(type, "json-file") != 0 && strcmp(type, "none") != 0) {
		snprintf(err, errlen, "Invalid log driver %s: allowed are json-file and none",
		         type);
		return -1;
	}
	struct container_log_settings s;
	container_log_defaults(&s);
	if (container_log_apply(&s, daemon_opts, err, errlen) < 0 ||
	    container_log_apply(&s, h->log_opts, err, errlen) < 0)
		return -1;
	if (strcmp(type, "none") == 0)
		s.disabled = true;
	char size[32], files[32];
	snprintf(size, sizeof(size), "max-size=%lld", s.max_size ? (long long)s.max_size : -1LL);
	snprintf(files, sizeof(files), "max-file=%d", s.max_file);
	char **opts = NULL;
	if (strv_push(&opts, size) < 0 || strv_push(&opts, files) < 0 ||
	    strv_push(&opts, s.disabled ? "disable-log=true" : "disable-log=false") < 0) {
		strv_free(opts);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	char *t = strdup(type);
	if (!t) {
		strv_free(opts);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	strv_free(h->log_opts);
	h->log_opts = opts;
	free(h->log_type);
	h->log_type = t;
	return 0;
}

void log_config_settings(const struct host_config *h, struct container_log_settings *s)
{
	char err[256];
	container_log_defaults(s);
	/* Stored options were checked at create; anything odd leaves the defaults. */
	if (container_log_apply(s, h->log_opts, err, sizeof(err)) < 0)
		container_log_defaults(s);
	if (h->log_type && strcmp(h->log_type, "none") == 0)
		s->disabled = true;
}

char *log_config_path(const char *id)
{
	char *dir = store_container_dir(id);
	char *path = dir ? path_join(dir, "console.log") : NULL;
	free(dir);
	return path;
}
