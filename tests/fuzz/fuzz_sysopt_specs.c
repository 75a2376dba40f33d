/* Fuzzes the parsers of `isula create`'s system-container flags (lib/engine): the first byte
 * picks one, the rest is its text. --host-channel (host_channel_parse, then its checks and
 * JSON form), --device (device_spec_parse), --user-remap (user_remap_parse), --ns-change-opt
 * (ns_change_opt_parse). Invariants: a refusal says why and leaves nothing allocated; an
 * accepted host channel has both paths and a size >= 0, and one that passes the checks has
 * absolute paths without ".." and a size within bounds; an accepted device has clean absolute
 * paths (the container's under /dev/) and permissions from "rwm" in order; a remap's ids
 * plus offset stay within 2^32-1 and 0 < offset < 65536; an ns mask is net and/or ipc. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "engine/device_spec.h"
#include "engine/host_channel.h"
#include "engine/ns_change_opt.h"
#include "engine/user_remap.h"
#include "tests/fuzz/fuzz_input.h"

static void host_channel(const char *s)
{
	struct host_channel hc;
	char err[512] = "";
	if (host_channel_parse(s, &hc, err, sizeof(err)) < 0) {
		if (!err[0] || hc.host_path || hc.ctr_path)
			abort();
		return;
	}
	if (!hc.host_path || !hc.ctr_path || !*hc.host_path || !*hc.ctr_path || hc.size < 0)
		abort();
	err[0] = '\0';
	if (host_channel_check(&hc, 8LL << 30, err, sizeof(err)) == 0) {
		if (hc.host_path[0] != '/' || hc.ctr_path[0] != '/' ||
		    strstr(hc.ctr_path, "/../") || strcmp(hc.ctr_path, "/") == 0 ||
		    hc.size < HOST_CHANNEL_MIN_SIZE || hc.size > (4LL << 30))
			abort();
	} else if (!err[0]) {
		abort();
	}
	yajl_gen g = yajl_gen_alloc(NULL);
	if (g) {
		host_channel_gen(g, &hc);
		char *json = jg_finish(g, NULL);
		yajl_val v = json ? json_parse(json, NULL, 0) : NULL;
		if (json && (!v || json_get_int(v, "Size", -1) != hc.size ||
		             !json_get_str(v, "PathOnHost") || !json_get_str(v, "PathInContainer")))
			abort();
		if (v)
			yajl_tree_free(v);
		free(json);
	}
	host_channel_free(&hc);
}

static void device(const char *s)
{
	struct device_spec d;
	char err[512] = "";
	if (device_spec_parse(s, &d, err, sizeof(err)) < 0) {
		if (!err[0] || d.host || d.ctr)
			abort();
		return;
	}
	if (!d.host || !d.ctr || d.host[0] != '/' || strncmp(d.ctr, "/dev/", 5) != 0 ||
	    strstr(d.host, "/../") || strstr(d.ctr, "/../") || strpbrk(d.ctr, " \t\n") ||
	    !device_perms_valid(d.perms) ||
	    (strcmp(d.perms, "rwm") != 0 && strcmp(d.perms, "rw") != 0 &&
	     strcmp(d.perms, "rm") != 0 && strcmp(d.perms, "wm") != 0 && strlen(d.perms) != 1))
		abort();
	device_spec_free(&d);
}

static void remap(const char *s)
{
	struct user_remap r;
	char err[512] = "";
	if (user_remap_parse(s, &r, err, sizeof(err)) < 0) {
		if (!err[0])
			abort();
		return;
	}
	if (r.offset == 0 || r.offset > USER_REMAP_MAX_OFFSET ||
	    (uint64_t)r.uid + r.offset > USER_REMAP_MAX_ID ||
	    (uint64_t)r.gid + r.offset > USER_REMAP_MAX_ID ||
	    !user_remap_maps(r.uid, r.offset, r.uid))
		abort();
}

static void ns_change(const char *s)
{
	unsigned mask = 99;
	char err[512] = "";
	const char *files[NS_CHANGE_MAX_FILES + 1];
	if (ns_change_opt_parse(s, &mask, err, sizeof(err)) < 0) {
		if (!err[0])
			abort();
		return;
	}
	if (mask == 0 || (mask & ~(unsigned)(NS_CHANGE_NET | NS_CHANGE_IPC)))
		abort();
	size_t n = ns_change_files(mask, files);
	if (n == 0 || n > NS_CHANGE_MAX_FILES || files[n])
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > 4096)
		return 0;
	char *s = fuzz_cstr(data + 1, size - 1);
	if (!s)
		return 0;
	switch (data[0] % 4) {
	case 0:
		host_channel(s);
		break;
	case 1:
		device(s);
		break;
	case 2:
		remap(s);
		break;
	default:
		ns_change(s);
		break;
	}
	free(s);
	return 0;
}
