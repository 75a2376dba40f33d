#include "engine/host_channel.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "core/units.h"

void host_channel_free(struct host_channel *hc)
{
	free(hc->host_path);
	free(hc->ctr_path);
	memset(hc, 0, sizeof(*hc));
}

void host_channel_gen(yajl_gen g, const struct host_channel *hc)
{
	if (!hc || !hc->host_path) {
		yajl_gen_null(g);
		return;
	}
	yajl_gen_map_open(g);
	jg_kstr(g, "PathOnHost", hc->host_path);
	jg_kstr(g, "PathInContainer", hc->ctr_path);
	jg_kstr(g, "Permissions", hc->readonly ? "ro" : "rw");
	jg_kint(g, "Size", hc->size);
	yajl_gen_map_close(g);
}

int host_channel_parse(const char *spec, struct host_channel *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof(*out));
	char *copy = strdup(spec ? spec : "");
	char *field[5] = {0};
	size_t n = 0;
	for (char *p = copy; p && n < 5; n++) {
		field[n] = p;
		p = strchr(p, ':');
		if (p)
			*p++ = '\0';
	}
	int ret = -1;
	if (!copy || n < 2 || n > 4 || !*field[0] || !*field[1]) {
		snprintf(err, errlen,
		         "Bad host channel format: %s: expected <host path>:<container "
		         "path>[:rw|ro[:size]]",
		         spec ? spec : "");
		goto out;
	}
	const char *mode = n > 2 ? field[2] : "";
	const char *size = n > 3 ? field[3] : "";
	if (*mode && strcmp(mode, "rw") != 0 && strcmp(mode, "ro") != 0) {
		snprintf(err, errlen,
		         "Invalid mount mode for host channel: %s: allowed are rw and ro", mode);
		goto out;
	}
	out->size = HOST_CHANNEL_DEFAULT_SIZE;
	if (*size && parse_byte_size(size, &out->size) < 0) {
		snprintf(err, errlen,
		         "Invalid size limit for host channel: %s: expected a size like 4k, 32M "
		         "or 1g",
		         size);
		goto out;
	}
	out->readonly = strcmp(mode, "ro") == 0;
	out->host_path = strdup(field[0]);
	out->ctr_path = strdup(field[1]);
	ret = out->host_path && out->ctr_path ? 0 : -1;
	if (ret < 0)
		snprintf(err, errlen, "out of memory");
out:
	if (ret < 0)
		host_channel_free(out);
	free(copy);
	return ret;
}

/* An lxc.mount.entry field cannot hold blanks, and ".." would leave the named place. */
static const char *path_problem(const char *p)
{
	if (!p || p[0] != '/')
		return "should be absolute";
	if (strpbrk(p, " \t\n\r\\"))
		return "must not contain blanks or backslashes";
	for (const char *s = p; (s = strstr(s, "..")); s += 2) {
		if ((s == p || s[-1] == '/') && (s[2] == '\0' || s[2] == '/'))
			return "must not contain ..";
	}
	return NULL;
}

int host_channel_check(const struct host_channel *hc, int64_t total_mem, char *err, size_t errlen)
{
	const char *why = path_problem(hc->host_path);
	if (why) {
		snprintf(err, errlen, "Host channel host path %s: %s", why,
		         hc->host_path ? hc->host_path : "");
		return -1;
	}
	why = path_problem(hc->ctr_path);
	if (!why && strspn(hc->ctr_path, "/") == strlen(hc->ctr_path))
		why = "must not be /";
	if (why) {
		snprintf(err, errlen, "Host channel container path %s: %s", why,
		         hc->ctr_path ? hc->ctr_path : "");
		return -1;
	}
	if (hc->size < HOST_CHANNEL_MIN_SIZE) {
		snprintf(err, errlen,
		         "Invalid size limit for host channel: %lld bytes: the minimum is 4KB "
		         "(4096 bytes)",
		         (long long)hc->size);
		return -1;
	}
	if (total_mem > 0 && hc->size > total_mem / 2) {
		snprintf(err, errlen,
		         "Required host channel size %lld is larger than half of total memory "
		         "%lld: the maximum is %lld bytes",
		         (long long)hc->size, (long long)total_mem, (long long)(total_mem / 2));
		return -1;
	}
	return 0;
}
