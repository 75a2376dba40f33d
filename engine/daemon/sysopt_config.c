#include "sysopt_config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "engine/ns_change_opt.h"

void sysopt_config_free(struct sysopt_config *s)
{
	free(s->user_remap);
	free(s->ns_change_opt);
	free(s->env_target_file);
	host_channel_free(&s->channel);
	memset(s, 0, sizeof(*s));
}

void sysopt_config_gen(yajl_gen g, const struct sysopt_config *s, bool privileged)
{
	jg_kstr(g, "UserRemap", s->user_remap);
	jg_kstr(g, "NsChangeOpt", s->ns_change_opt);
	unsigned mask = 0;
	char err[256];
	const char *files[NS_CHANGE_MAX_FILES + 1] = {NULL};
	if (s->ns_change_opt && !privileged &&
	    ns_change_opt_parse(s->ns_change_opt, &mask, err, sizeof(err)) == 0)
		ns_change_files(mask, files);
	jg_kstrv(g, "NsChangeFiles", (char *const *)files);
	jg_key(g, "HostChannel");
	host_channel_gen(g, &s->channel);
	jg_kstr(g, "EnvTargetFile", s->env_target_file);
	jg_kint(g, "FilesLimit", s->files_limit);
}

static int take_str(yajl_val node, const char *key, char **out, char *err, size_t errlen)
{
	yajl_val v = json_get(node, key);
	if (!v || YAJL_IS_NULL(v))
		return 0;
	if (!YAJL_IS_STRING(v)) {
		snprintf(err, errlen, "HostConfig.%s must be a string", key);
		return -1;
	}
	if (*v->u.string)
		*out = strdup(v->u.string);
	return 0;
}

static int parse_channel(yajl_val hc, struct host_channel *out, char *err, size_t errlen)
{
	if (!hc || YAJL_IS_NULL(hc))
		return 0;
	const char *host = json_get_str(hc, "PathOnHost");
	const char *ctr = json_get_str(hc, "PathInContainer");
	const char *perm = json_get_str(hc, "Permissions");
	if (!YAJL_IS_OBJECT(hc) || !host || !ctr) {
		snprintf(err, errlen,
		         "HostConfig.HostChannel must be an object with PathOnHost and "
		         "PathInContainer");
		return -1;
	}
	if (perm && *perm && strcmp(perm, "rw") != 0 && strcmp(perm, "ro") != 0) {
		snprintf(err, errlen,
		         "Invalid mount mode for host channel: %s: allowed are rw and ro", perm);
		return -1;
	}
	out->host_path = strdup(host);
	out->ctr_path = strdup(ctr);
	out->readonly = perm && strcmp(perm, "ro") == 0;
	out->size = json_get_int(hc, "Size", 0);
	if (out->size == 0)
		out->size = HOST_CHANNEL_DEFAULT_SIZE;
	return 0;
}

int sysopt_config_parse(yajl_val node, struct sysopt_config *s, char *err, size_t errlen)
{
	memset(s, 0, sizeof(*s));
	yajl_val fl = json_get(node, "FilesLimit");
	if (fl && !YAJL_IS_NULL(fl) && !YAJL_IS_INTEGER(fl)) {
		snprintf(err, errlen,
		         "Invalid --files-limit: HostConfig.FilesLimit must be an integer");
		return -1;
	}
	s->files_limit = json_get_int(node, "FilesLimit", 0);
	if (take_str(node, "UserRemap", &s->user_remap, err, errlen) < 0 ||
	    take_str(node, "NsChangeOpt", &s->ns_change_opt, err, errlen) < 0 ||
	    take_str(node, "EnvTargetFile", &s->env_target_file, err, errlen) < 0 ||
	    parse_channel(json_get(node, "HostChannel"), &s->channel, err, errlen) < 0)
		return -1;
	return 0;
}
