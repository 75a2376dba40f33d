#include "create_security.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/device_spec.h"
#include "core/fileutil.h"
#include "core/json.h"
#include "engine/sysctl_policy.h"
#include "core/units.h"

static void gen_list(yajl_gen g, const char *key, struct cli_values *v, size_t idx)
{
	if (cli_list_len(v, idx) == 0)
		return;
	jg_key(g, key);
	yajl_gen_array_open(g);
	for (size_t i = 0; i < cli_list_len(v, idx); i++)
		jg_str(g, cli_list_at(v, idx, i));
	yajl_gen_array_close(g);
}

/* SecurityOpt as Docker's client sends it: seccomp=FILE becomes seccomp=<the file's JSON>. */
static int gen_security_opts(yajl_gen g, struct cli_values *v, size_t idx)
{
	if (cli_list_len(v, idx) == 0)
		return 0;
	jg_key(g, "SecurityOpt");
	yajl_gen_array_open(g);
	for (size_t i = 0; i < cli_list_len(v, idx); i++) {
		const char *o = cli_list_at(v, idx, i);
		bool file = (strncmp(o, "seccomp=", 8) == 0 || strncmp(o, "seccomp:", 8) == 0) &&
		            strcmp(o + 8, "unconfined") != 0;
		if (!file) {
			jg_str(g, o);
			continue;
		}
		char *text = read_file(o + 8, 1 << 20, NULL);
		if (!text) {
			fprintf(stderr, "opening seccomp profile (%s) failed: %s\n", o + 8,
			        strerror(errno));
			return -1;
		}
		size_t len = strlen(text) + 9;
		char *opt = malloc(len);
		if (opt) {
			snprintf(opt, len, "seccomp=%s", text);
			jg_str(g, opt);
		}
		free(opt);
		free(text);
	}
	yajl_gen_array_close(g);
	return 0;
}

static int gen_sysctls(yajl_gen g, struct cli_values *v, size_t idx)
{
	if (cli_list_len(v, idx) == 0)
		return 0;
	jg_key(g, "Sysctls");
	yajl_gen_map_open(g);
	for (size_t i = 0; i < cli_list_len(v, idx); i++) {
		char err[256], *buf;
		const char *key, *value;
		if (sysctl_split(cli_list_at(v, idx, i), &buf, &key, &value, err, sizeof(err)) <
		    0) {
			fprintf(stderr, "%s\n", err);
			return -1;
		}
		jg_kstr(g, key, value);
		free(buf);
	}
	yajl_gen_map_close(g);
	return 0;
}

static int gen_shm_size(yajl_gen g, const char *s)
{
	if (!s)
		return 0;
	int64_t bytes;
	if (parse_byte_size(s, &bytes) < 0 || bytes <= 0) {
		fprintf(stderr,
		        "Invalid --shm-size \"%s\": expected a size greater than 0, such as 64m "
		        "(units b, k, m, g, t, p)\n",
		        s);
		return -1;
	}
	jg_kint(g, "ShmSize", bytes);
	return 0;
}

static int gen_devices(yajl_gen g, struct cli_values *v, size_t idx)
{
	if (cli_list_len(v, idx) == 0)
		return 0;
	jg_key(g, "Devices");
	yajl_gen_array_open(g);
	for (size_t i = 0; i < cli_list_len(v, idx); i++) {
		struct device_spec d;
		char err[512];
		if (device_spec_parse(cli_list_at(v, idx, i), &d, err, sizeof(err)) < 0) {
			fprintf(stderr, "%s\n", err);
			return -1;
		}
		yajl_gen_map_open(g);
		jg_kstr(g, "PathOnHost", d.host);
		jg_kstr(g, "PathInContainer", d.ctr);
		jg_kstr(g, "CgroupPermissions", d.perms);
		yajl_gen_map_close(g);
		device_spec_free(&d);
	}
	yajl_gen_array_close(g);
	return 0;
}

int create_gen_security(yajl_gen g, struct cli_values *v, const struct create_security_flags *ix)
{
	if (gen_sysctls(g, v, ix->sysctl) < 0 || gen_shm_size(g, cli_string(v, ix->shm_size)) < 0 ||
	    gen_devices(g, v, ix->device) < 0)
		return -1;
	gen_list(g, "Dns", v, ix->dns);
	gen_list(g, "DeviceCgroupRules", v, ix->device_cgroup_rule);
	/* iSulad's --dns-opt and the seed appendix's --dns-option (Docker's) are one list. */
	if (cli_list_len(v, ix->dns_opt) + cli_list_len(v, ix->dns_option) > 0) {
		jg_key(g, "DnsOptions");
		yajl_gen_array_open(g);
		for (size_t i = 0; i < cli_list_len(v, ix->dns_opt); i++)
			jg_str(g, cli_list_at(v, ix->dns_opt, i));
		for (size_t i = 0; i < cli_list_len(v, ix->dns_option); i++)
			jg_str(g, cli_list_at(v, ix->dns_option, i));
		yajl_gen_array_close(g);
	}
	gen_list(g, "DnsSearch", v, ix->dns_search);
	gen_list(g, "ExtraHosts", v, ix->add_host);
	gen_list(g, "CapAdd", v, ix->cap_add);
	gen_list(g, "CapDrop", v, ix->cap_drop);
	gen_list(g, "GroupAdd", v, ix->group_add);
	if (gen_security_opts(g, v, ix->security_opt) < 0)
		return -1;
	if (cli_is_set(v, ix->oom_kill_disable))
		jg_kbool(g, "OomKillDisable", cli_bool(v, ix->oom_kill_disable));
	return 0;
}
