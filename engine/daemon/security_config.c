#include "security_config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>

#include "host/capabilities.h"
#include "host/cgroup_info.h"
#include "host/seccomp_json.h"
#include "container.h"
#include "core/json.h"
#include "net_files.h"
#include "core/strv.h"
#include "host/sysctl_apply.h"
#include "engine/sysctl_policy.h"

void security_config_gen(yajl_gen g, const struct security_config *s)
{
	jg_kmap_from_kv(g, "Sysctls", s->sysctls);
	jg_kint(g, "ShmSize", s->shm_size);
	jg_kstrv(g, "Dns", s->dns);
	jg_kstrv(g, "DnsOptions", s->dns_options);
	jg_kstrv(g, "DnsSearch", s->dns_search);
	jg_kstrv(g, "ExtraHosts", s->extra_hosts);
	jg_kbool(g, "OomKillDisable", s->oom_kill_disable);
	jg_kstrv(g, "CapAdd", s->cap_add);
	jg_kstrv(g, "CapDrop", s->cap_drop);
	jg_kstrv(g, "GroupAdd", s->group_add);
	jg_kstrv(g, "SecurityOpt", s->security_opt);
	jg_kstrv(g, "DeviceCgroupRules", s->device_cgroup_rules);
	jg_key(g, "Devices");
	yajl_gen_array_open(g);
	for (size_t i = 0; i < s->n_devices; i++) {
		yajl_gen_map_open(g);
		jg_kstr(g, "PathOnHost", s->devices[i].host);
		jg_kstr(g, "PathInContainer", s->devices[i].ctr);
		jg_kstr(g, "CgroupPermissions", s->devices[i].perms);
		yajl_gen_map_close(g);
	}
	yajl_gen_array_close(g);
}

/* Sysctls {"k": "v"} as "k=v" entries. */
static int parse_sysctls(yajl_val m, struct security_config *s, char *err, size_t errlen)
{
	if (!m || YAJL_IS_NULL(m))
		return 0;
	if (!YAJL_IS_OBJECT(m)) {
		snprintf(err, errlen, "Sysctls must be an object of strings");
		return -1;
	}
	for (size_t i = 0; i < m->u.object.len; i++) {
		yajl_val v = m->u.object.values[i];
		if (!YAJL_IS_STRING(v)) {
			snprintf(err, errlen, "Invalid sysctl %s: the value must be a string",
			         m->u.object.keys[i]);
			return -1;
		}
		size_t len = strlen(m->u.object.keys[i]) + strlen(v->u.string) + 2;
		char *kv = malloc(len);
		if (!kv)
			return -1;
		snprintf(kv, len, "%s=%s", m->u.object.keys[i], v->u.string);
		int ret = strv_push(&s->sysctls, kv);
		free(kv);
		if (ret < 0)
			return -1;
	}
	return 0;
}

static int parse_devices(yajl_val arr, struct security_config *s, char *err, size_t errlen)
{
	if (!arr || YAJL_IS_NULL(arr))
		return 0;
	if (!YAJL_IS_ARRAY(arr)) {
		snprintf(err, errlen, "Devices must be an array");
		return -1;
	}
	s->devices = calloc(arr->u.array.len + 1, sizeof(*s->devices));
	if (!s->devices)
		return -1;
	for (size_t i = 0; i < arr->u.array.len; i++) {
		yajl_val d = arr->u.array.values[i];
		if (device_spec_from_parts(json_get_str(d, "PathOnHost"),
		                           json_get_str(d, "PathInContainer"),
		                           json_get_str(d, "CgroupPermissions"),
		                           &s->devices[s->n_devices], err, errlen) < 0)
			return -1;
		s->n_devices++;
	}
	return 0;
}

int security_config_parse(yajl_val node, struct security_config *s, char *err, size_t errlen)
{
	memset(s, 0, sizeof(*s));
	s->shm_size = json_get_int(node, "ShmSize", 0);
	if (s->shm_size == 0)
		s->shm_size = DEFAULT_SHM_SIZE;
	s->dns = json_get_strv(node, "Dns");
	s->dns_options = json_get_strv(node, "DnsOptions");
	s->dns_search = json_get_strv(node, "DnsSearch");
	s->extra_hosts = json_get_strv(node, "ExtraHosts");
	s->oom_kill_disable = json_get_bool(node, "OomKillDisable", false);
	s->cap_add = json_get_strv(node, "CapAdd");
	s->cap_drop = json_get_strv(node, "CapDrop");
	s->group_add = json_get_strv(node, "GroupAdd");
	s->security_opt = json_get_strv(node, "SecurityOpt");
	s->device_cgroup_rules = json_get_strv(node, "DeviceCgroupRules");
	if (parse_sysctls(json_get(node, "Sysctls"), s, err, errlen) < 0 ||
	    parse_devices(json_get(node, "Devices"), s, err, errlen) < 0)
		return -1;
	return 0;
}

void security_config_free(struct security_config *s)
{
	strv_free(s->sysctls);
	strv_free(s->dns);
	strv_free(s->dns_options);
	strv_free(s->dns_search);
	strv_free(s->extra_hosts);
	strv_free(s->cap_add);
	strv_free(s->cap_drop);
	strv_free(s->group_add);
	strv_free(s->security_opt);
	strv_free(s->device_cgroup_rules);
	for (size_t i = 0; i < s->n_devices; i++)
		device_spec_free(&s->devices[i]);
	free(s->devices);
	memset(s, 0, sizeof(*s));
}

static int check_sysctls(char *const *sysctls, char *err, size_t errlen)
{
	struct utsname u;
	/* Every container has its own network and IPC namespaces (NetworkMode none). */
	struct sysctl_context ctx = {
	    .own_netns = true,
	    .own_ipcns = true,
	    .pid_max_namespaced = uname(&u) == 0 && sysctl_pid_max_namespaced_release(u.release),
	};
	for (size_t i = 0; sysctls && sysctls[i]; i++) {
		char *buf;
		const char *key, *value;
		if (sysctl_split(sysctls[i], &buf, &key, &value, err, errlen) < 0)
			return -1;
		int ret = sysctl_check(key, value, &ctx, err, errlen);
		free(buf);
		if (ret < 0)
			return -1;
	}
	/* The kernel's verdict on each value, in throw-away namespaces. */
	return sysctl_apply(sysctls, 0, err, errlen);
}

typedef int (*value_check)(const char *, char *, size_t);

static int check_each(char *const *list, value_check check, char *err, size_t errlen)
{
	for (size_t i = 0; list && list[i]; i++) {
		if (check(list[i], err, errlen) < 0)
			return -1;
	}
	return 0;
}

/* "no-new-privileges" alone or with :true/=true/:false/=false; its value, or -1 if it is not. */
static int nnp_value(const char *o)
{
	static const char name[] = "no-new-privileges";
	if (strncmp(o, name, sizeof(name) - 1) != 0)
		return -1;
	const char *v = o + sizeof(name) - 1;
	if (!*v)
		return 1;
	if (*v != ':' && *v != '=')
		return -1;
	return strcmp(v + 1, "true") == 0 ? 1 : strcmp(v + 1, "false") == 0 ? 0 : -1;
}

bool security_opt_no_new_privs(const struct security_config *s)
{
	bool on = false;
	for (size_t i = 0; s->security_opt && s->security_opt[i]; i++) {
		int v = nnp_value(s->security_opt[i]);
		if (v >= 0)
			on = v == 1;
	}
	return on;
}

const char *security_opt_seccomp(const struct security_config *s, bool *unconfined)
{
	const char *profile = NULL;
	*unconfined = false;
	for (size_t i = 0; s->security_opt && s->security_opt[i]; i++) {
		const char *o = s->security_opt[i];
		if (strncmp(o, "seccomp=", 8) != 0 && strncmp(o, "seccomp:", 8) != 0)
			continue;
		*unconfined = strcmp(o + 8, "unconfined") == 0;
		profile = *unconfined ? NULL : o + 8;
	}
	return profile;
}

/* Each SecurityOpt known, a seccomp profile one that translates (checked with every
 * capability: which rules apply depends on the container's, not whether the text is sound). */
static int check_security_opts(const struct security_config *s, char *err, size_t errlen)
{
	for (size_t i = 0; s->security_opt && s->security_opt[i]; i++) {
		const char *o = s->security_opt[i];
		if (nnp_value(o) >= 0)
			continue;
		if (strncmp(o, "seccomp=", 8) == 0 || strncmp(o, "seccomp:", 8) == 0) {
			if (strcmp(o + 8, "unconfined") == 0)
				continue;
			struct seccomp_target all = {.caps = ~0ULL};
			char *text = seccomp_json_translate(o + 8, &all, err, errlen);
			free(text);
			if (!text)
				return -1;
			continue;
		}
		snprintf(err, errlen,
		         "Invalid --security-opt \"%.80s\": supported are no-new-privileges and "
		         "seccomp=PROFILE.json|unconfined",
		         o);
		return -1;
	}
	return 0;
}

/* A --group-add value: a gid or a group name as /etc/group can hold it (resolved at start in
 * the container's own file). */
static int check_group_add(const char *g, char *err, size_t errlen)
{
	size_t len = strlen(g);
	bool ok = len > 0 && len <= 255 && g[0] != '-';
	for (size_t i = 0; ok && i < len; i++)
		ok = g[i] > ' ' && g[i] != ':' && g[i] != ',' && g[i] != 0x7f;
	if (!ok)
		snprintf(err, errlen,
		         "Invalid --group-add value \"%s\": expected a group name or a gid (1 to "
		         "255 characters, no space, ':' or ',')",
		         g);
	return ok ? 0 : -1;
}

static int check_extra_host(const char *spec, char *err, size_t errlen)
{
	char *h, *ip;
	int ret = extra_host_parse(spec, &h, &ip, err, errlen);
	free(h);
	free(ip);
	return ret;
}

static int check_devices(const struct security_config *s, char *err, size_t errlen)
{
	for (size_t i = 0; i < s->n_devices; i++) {
		const char *host = s->devices[i].host;
		struct stat st;
		if (stat(host, &st) < 0) {
			snprintf(err, errlen,
			         "Error gathering device information while adding custom device "
			         "\"%s\": %s",
			         host, strerror(errno));
			return -1;
		}
		if (!S_ISCHR(st.st_mode) && !S_ISBLK(st.st_mode)) {
			snprintf(err, errlen,
			         "Invalid device \"%s\": not a character or block device", host);
			return -1;
		}
	}
	return 0;
}

int security_config_validate(const struct host_config *h, char *err, size_t errlen)
{
	const struct security_config *s = &h->sec;
	if (s->shm_size < 0) {
		snprintf(err, errlen,
		         "Invalid ShmSize %lld: the size of /dev/shm must be greater "
		         "than 0",
		         (long long)s->shm_size);
		return -1;
	}
	if (check_sysctls(s->sysctls, err, errlen) < 0 ||
	    check_each(s->dns, dns_server_check, err, errlen) < 0 ||
	    check_each(s->dns_search, dns_search_check, err, errlen) < 0 ||
	    check_each(s->dns_options, dns_option_check, err, errlen) < 0 ||
	    check_each(s->extra_hosts, check_extra_host, err, errlen) < 0 ||
	    capability_list_check(s->cap_add, "--cap-add", err, errlen) < 0 ||
	    capability_list_check(s->cap_drop, "--cap-drop", err, errlen) < 0 ||
	    check_each(s->group_add, check_group_add, err, errlen) < 0 ||
	    check_security_opts(s, err, errlen) < 0 || check_devices(s, err, errlen) < 0 ||
	    check_each(s->device_cgroup_rules, device_cgroup_rule_check, err, errlen) < 0)
		return -1;
	if (s->oom_kill_disable && !cgroup_v1_has("memory.oom_control")) {
		snprintf(
		    err, errlen,
		    "Your kernel does not support OOM killer disabling (no memory.oom_control: "
		    "cgroup v2 has none): --oom-kill-disable cannot be applied");
		return -1;
	}
	return 0;
}
