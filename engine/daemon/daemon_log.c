#include "daemon_log.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/fileutil.h"
#include "core/log.h"
#include "core/units.h"

int daemon_log_parse(const char *driver, char *const *opts, struct daemon_log_opts *out, char *err,
                     size_t errlen)
{
	*out = (struct daemon_log_opts){.max_size = DAEMON_LOG_DEFAULT_MAX_SIZE,
	                                .max_files = DAEMON_LOG_DEFAULT_MAX_FILES,
	                                .mode = DAEMON_LOG_DEFAULT_MODE};
	if (driver && strcmp(driver, "file") != 0 && strcmp(driver, "stdout") != 0) {
		snprintf(err, errlen, "invalid log driver \"%s\": allowed are file and stdout",
		         driver);
		return -1;
	}
	for (size_t i = 0; opts && opts[i]; i++) {
		const char *kv = opts[i], *eq = strchr(kv, '=');
		const char *val = eq ? eq + 1 : "";
		size_t klen = eq ? (size_t)(eq - kv) : strlen(kv);
		int64_t n = 0;
		char *end = NULL;
		if (klen == 8 && strncmp(kv, "log-path", klen) == 0) {
			if (val[0] != '/') {
				snprintf(err, errlen,
				         "invalid log option \"%s\": log-path must be an absolute "
				         "directory",
				         kv);
				return -1;
			}
			out->path_dir = val;
		} else if (klen == 8 && strncmp(kv, "max-size", klen) == 0) {
			if (parse_byte_size(val, &n) < 0 || n < 1024) {
				snprintf(err, errlen,
				         "invalid log option \"%s\": max-size must be a size of at "
				         "least 1KB, like 30KB or 10MB",
				         kv);
				return -1;
			}
			out->max_size = n;
		} else if (klen == 8 && strncmp(kv, "max-file", klen) == 0) {
			if (parse_int64(val, &n) < 0 || n < 1 || n > 1000) {
				snprintf(err, errlen,
				         "invalid log option \"%s\": max-file must be a number of "
				         "files from 1 to 1000 (1: never rotated)",
				         kv);
				return -1;
			}
			out->max_files = (int)n;
		} else if (klen == 13 && strncmp(kv, "log-file-mode", klen) == 0) {
			errno = 0;
			unsigned long m = val[0] ? strtoul(val, &end, 8) : 0;
			if (!val[0] || *end || errno || m > 0777 || (m & 0600) != 0600) {
				snprintf(
				    err, errlen,
				    "invalid log option \"%s\": log-file-mode must be an octal "
				    "mode from 0600 to 0777 that lets the owner read and write, "
				    "like 0600 or 0640",
				    kv);
				return -1;
			}
			out->mode = (unsigned)m;
		} else {
			snprintf(err, errlen,
			         "invalid log option \"%s\": allowed are log-path, max-size, "
			         "max-file and log-file-mode",
			         kv);
			return -1;
		}
	}
	return 0;
}

int daemon_log_setup(const struct daemon_config *cfg)
{
	enum log_level lvl;
	struct daemon_log_opts o;
	char err[512];
	log_level_parse(cfg->log_level, &lvl);
	if (daemon_log_parse(cfg->log_driver, cfg->log_opts, &o, err, sizeof(err)) < 0) {
		fprintf(stderr, "isulad: %s\n", err);
		return -1;
	}
	if (cfg->log_driver && strcmp(cfg->log_driver, "stdout") == 0) {
		log_init(lvl, NULL);
		return 0;
	}
	const char *dir = o.path_dir ? o.path_dir : cfg->graph;
	char *path = path_join(dir, "isulad.log");
	mkdir_p(dir, 0700);
	int ret = path ? log_init_rotating(lvl, path, o.max_size, o.max_files, o.mode) : -1;
	if (ret < 0)
		fprintf(stderr, "isulad: cannot open the log file %s: %s\n", path ? path : dir,
		        strerror(errno));
	free(path);
	return ret;
}
