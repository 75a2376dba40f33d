#include "engine/container_log.h"

#include <stdio.h>
#include <string.h>

#include "core/units.h"

void container_log_defaults(struct container_log_settings *s)
{
	s->disabled = false;
	s->max_size = CONTAINER_LOG_DEFAULT_MAX_SIZE;
	s->max_file = CONTAINER_LOG_DEFAULT_MAX_FILE;
}

static int apply_one(struct container_log_settings *s, const char *key, size_t klen,
                     const char *val, char *err, size_t errlen)
{
	int64_t n;
	if (klen == 8 && strncmp(key, "max-size", klen) == 0) {
		if (strcmp(val, "-1") == 0) {
			s->max_size = 0;
			return 0;
		}
		if (parse_byte_size(val, &n) < 0 || n < CONTAINER_LOG_MIN_MAX_SIZE) {
			snprintf(err, errlen,
			         "Invalid log option max-size=%s: expected a size of at least 1k "
			         "(like 10k, 1m, 1MB) or -1 for no limit",
			         val);
			return -1;
		}
		s->max_size = n;
		return 0;
	}
	if (klen == 8 && strncmp(key, "max-file", klen) == 0) {
		if (parse_int64(val, &n) < 0 || n < 1 || n > CONTAINER_LOG_MAX_MAX_FILE) {
			snprintf(err, errlen,
			         "Invalid log option max-file=%s: expected an integer from 1 to %d",
			         val, CONTAINER_LOG_MAX_MAX_FILE);
			return -1;
		}
		s->max_file = (int)n;
		return 0;
	}
	if (klen == 11 && strncmp(key, "disable-log", klen) == 0) {
		if (strcmp(val, "true") != 0 && strcmp(val, "false") != 0) {
			snprintf(err, errlen,
			         "Invalid log option disable-log=%s: expected true or false", val);
			return -1;
		}
		s->disabled = strcmp(val, "true") == 0;
		return 0;
	}
	snprintf(err, errlen,
	         "Invalid log option %.*s: allowed are max-size, max-file and disable-log",
	         (int)klen, key);
	return -1;
}

int container_log_apply(struct container_log_settings *s, char *const *opts, char *err,
                        size_t errlen)
{
	for (size_t i = 0; opts && opts[i]; i++) {
		const char *eq = strchr(opts[i], '=');
		if (!eq || eq == opts[i]) {
			snprintf(err, errlen, "Invalid log option \"%s\": expected KEY=VALUE",
			         opts[i]);
			return -1;
		}
		if (apply_one(s, opts[i], (size_t)(eq - opts[i]), eq + 1, err, errlen) < 0)
			return -1;
	}
	return 0;
}
