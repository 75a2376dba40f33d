/* The system-container flags of create/run (seed 000 §2.3.6-2.3.11): checked as far as the
 * client can, then sent as iSulad's HostConfig fields. The daemon checks them again. */
#include <stdio.h>

#include "client.h"
#include "engine/host_channel.h"
#include "core/json.h"
#include "engine/ns_change_opt.h"
#include "core/units.h"
#include "engine/user_remap.h"

static int bad(const char *msg)
{
	fprintf(stderr, "%s\n", msg);
	return -1;
}

int gen_sysopts(yajl_gen g, const struct sysopt_flags *f)
{
	char err[512];
	if (f->user_remap) {
		struct user_remap r;
		if (user_remap_parse(f->user_remap, &r, err, sizeof(err)) < 0)
			return bad(err);
		jg_kstr(g, "UserRemap", f->user_remap);
	}
	if (f->ns_change_opt) {
		unsigned mask;
		if (ns_change_opt_parse(f->ns_change_opt, &mask, err, sizeof(err)) < 0)
			return bad(err);
		jg_kstr(g, "NsChangeOpt", f->ns_change_opt);
	}
	if (f->host_channel) {
		struct host_channel hc;
		if (host_channel_parse(f->host_channel, &hc, err, sizeof(err)) < 0)
			return bad(err);
		jg_key(g, "HostChannel");
		host_channel_gen(g, &hc);
		host_channel_free(&hc);
	}
	if (f->env_target_file)
		jg_kstr(g, "EnvTargetFile", f->env_target_file);
	if (f->files_limit) {
		int64_t n;
		if (parse_int64(f->files_limit, &n) < 0) {
			snprintf(err, sizeof(err),
			         "Invalid value %s for flag --files-limit: expected an integer (0 "
			         "or -1: "
			         "no limit)",
			         f->files_limit);
			return bad(err);
		}
		jg_kint(g, "FilesLimit", n);
	}
	return 0;
}
