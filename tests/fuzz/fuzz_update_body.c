/* Fuzzes the container update body's parser (engine/daemon/update_config.c) against a fixed
 * current host config. Invariants: a refusal says why; an accepted update keeps every field
 * the body leaves out (or gives as 0) at its current value and shares the current config's
 * other pointers; NanoCpus never beside a CFS period or quota; the cpuset strings are its own; the
 * result renders to a hostconfig.json that parses again; nothing leaks (the caller frees the two
 * cpuset strings either way). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "engine/daemon/container.h"
#include "engine/daemon/update_config.h"
#include "tests/fuzz/fuzz_input.h"

static const char g_current[] =
    "{\"Memory\":536870912,\"MemorySwap\":1073741824,\"CpuShares\":512,\"CpuQuota\":50000,"
    "\"CpuPeriod\":100000,\"CpusetCpus\":\"0-1\",\"PidsLimit\":100,\"BlkioWeight\":300,"
    "\"RestartPolicy\":{\"Name\":\"on-failure\",\"MaximumRetryCount\":3},"
    "\"Binds\":[\"/srv:/srv:ro\"],\"Ulimits\":[{\"Name\":\"nofile\",\"Soft\":1024,\"Hard\":2048}]}";
static struct host_config g_cur;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char err[256];
	yajl_val v = json_parse(g_current, err, sizeof(err));
	if (!v || host_config_parse(v, &g_cur, err, sizeof(err)) < 0)
		abort();
	yajl_tree_free(v);
	return 0;
}

static void check_kept(yajl_val body, const char *key, int64_t got, int64_t cur)
{
	if (json_get_int(body, key, 0) == 0 && got != cur)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 64 * 1024)
		return 0;
	char *text = fuzz_cstr(data, size);
	if (!text)
		return 0;
	char err[1024] = "";
	yajl_val body = json_parse(text, err, sizeof(err));
	free(text);
	if (!body || !YAJL_IS_OBJECT(body)) { /* route_json_object refuses it */
		if (body)
			yajl_tree_free(body);
		return 0;
	}
	struct host_config n;
	err[0] = '\0';
	if (host_config_update_parse(body, &g_cur, &n, err, sizeof(err)) < 0) {
		if (!err[0])
			abort();
	} else {
		check_kept(body, "Memory", n.memory, g_cur.memory);
		check_kept(body, "CpuShares", n.cpu_shares, g_cur.cpu_shares);
		check_kept(body, "BlkioWeight", n.blkio_weight, g_cur.blkio_weight);
		if (!json_get(body, "PidsLimit") && n.pids_limit != g_cur.pids_limit)
			abort();
		/* --cpus never beside a period or quota of the container's own */
		if (n.nano_cpus > 0 && (n.cpu_period > 0 || n.cpu_quota > 0))
			abort();
		if (n.binds != g_cur.binds || n.ulimits != g_cur.ulimits || !n.cpuset_cpus ||
		    n.cpuset_cpus == g_cur.cpuset_cpus || n.pids_limit < 0)
			abort();
		yajl_gen g = yajl_gen_alloc(NULL);
		if (g) {
			host_config_gen(g, &n);
			char *json = jg_finish(g, NULL);
			yajl_val again = json ? json_parse(json, err, sizeof(err)) : NULL;
			struct host_config back;
			if (json &&
			    (!again || host_config_parse(again, &back, err, sizeof(err)) < 0))
				abort();
			if (again) {
				if (back.memory != n.memory || back.nano_cpus != n.nano_cpus ||
				    back.restart.max_retries != n.restart.max_retries)
					abort();
				host_config_free(&back);
				yajl_tree_free(again);
			}
			free(json);
		}
	}
	free(n.cpuset_cpus);
	free(n.cpuset_mems);
	yajl_tree_free(body);
	return 0;
}
