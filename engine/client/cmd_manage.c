/* pause, unpause, rename, update, top. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "core/json.h"
#include "core/units.h"
#include "engine/restart_policy.h"

#define HOST_OPT                                                                                   \
	{                                                                                          \
		"host", 'H', CLI_STRING, "URL", "Daemon socket to connect to"                      \
	}
#define HELP_OPT                                                                                   \
	{                                                                                          \
		"help", 0, CLI_BOOL, NULL, "Print usage"                                           \
	}

/* POSTs body (or nothing) to path_fmt for each container named, printing each name that
 * succeeded. 0, or 125 if any failed. */
static int post_to_each(struct client *cl, const struct cli_values *v, const char *path_fmt,
                        const char *body)
{
	int code = 0;
	for (size_t i = 0; i < cli_npositional(v); i++) {
		const char *name = cli_positional(v, i);
		char *esc = url_escape(name);
		char path[1024];
		snprintf(path, sizeof(path), path_fmt, esc ? esc : name);
		free(esc);
		struct api_response r;
		/* 1 as Docker's and iSulad's pause/unpause/update (125 is run/create's only) */
		if (api_call(cl, "POST", path, body, &r) < 0) {
			code = 1;
			break;
		}
		if (r.status >= 400) {
			print_daemon_error(&r);
			code = 1;
		} else {
			printf("%s\n", name);
		}
		api_response_free(&r);
	}
	return code;
}

/* POSTs path_fmt for each container named; prints each name that succeeded. */
static int post_each(struct client *cl, const char *usage, const char *path_fmt, int argc,
                     char **argv)
{
	static const struct cli_option opts[] = {HOST_OPT, HELP_OPT};
	int code = 0;
	struct cli_values *v =
	    parse_command_flags(cl, usage, opts, 2, 1, 0, argc, argv, false, 1, &code);
	if (!v)
		return code;
	code = post_to_each(cl, v, path_fmt, NULL);
	cli_values_free(v);
	return code;
}

int cmd_pause(struct client *cl, int argc, char **argv)
{
	return post_each(cl, "isula pause [OPTIONS] CONTAINER [CONTAINER...]",
	                 "/containers/%s/pause", argc, argv);
}

int cmd_unpause(struct client *cl, int argc, char **argv)
{
	return post_each(cl, "isula unpause [OPTIONS] CONTAINER [CONTAINER...]",
	                 "/containers/%s/unpause", argc, argv);
}

int cmd_rename(struct client *cl, int argc, char **argv)
{
	static const struct cli_option opts[] = {HOST_OPT, HELP_OPT};
	static const char usage[] = "isula rename [OPTIONS] OLD_NAME NEW_NAME";
	int code = 0;
	struct cli_values *v =
	    parse_command_flags(cl, usage, opts, 2, 1, 0, argc, argv, false, 0, &code);
	if (!v)
		return code;
	if (cli_npositional(v) != 2) {
		fprintf(stderr, "\"isula rename\" requires 2 arguments.\nUsage:  %s\n", usage);
		cli_values_free(v);
		return 1;
	}
	char *old = url_escape(cli_positional(v, 0));
	char *new = url_escape(cli_positional(v, 1));
	char path[2048];
	snprintf(path, sizeof(path), "/containers/%s/rename?name=%s", old ? old : "",
	         new ? new : "");
	free(old);
	free(new);
	struct api_response r;
	code = 1; /* iSulad's and Docker's rename: 1 for any failure */
	if (api_call(cl, "POST", path, NULL, &r) == 0) {
		if (r.status >= 400)
			print_daemon_error(&r);
		else
			code = 0;
		api_response_free(&r);
	}
	cli_values_free(v);
	return code;
}

enum {
	U_HOST,
	U_HELP,
	U_CPU_SHARES,
	U_CPU_QUOTA,
	U_CPU_PERIOD,
	U_CPUSET_CPUS,
	U_CPUSET_MEMS,
	U_MEMORY,
	U_MEMORY_SWAP,
	U_MEMORY_RESERVATION,
	U_KERNEL_MEMORY,
	U_PIDS_LIMIT,
	U_BLKIO_WEIGHT,
	U_CPUS,
	U_RESTART,
	U_COUNT
};

static const struct cli_option g_update_opts[U_COUNT] = {
    [U_HOST] = HOST_OPT,
    [U_HELP] = HELP_OPT,
    [U_CPU_SHARES] = {"cpu-shares", 0, CLI_STRING, "N", "CPU shares (relative weight)"},
    [U_CPU_QUOTA] = {"cpu-quota", 0, CLI_STRING, "N",
                     "Limit CPU CFS (Completely Fair Scheduler) quota"},
    [U_CPU_PERIOD] = {"cpu-period", 0, CLI_STRING, "N",
                      "Limit CPU CFS (Completely Fair Scheduler) period"},
    [U_CPUSET_CPUS] = {"cpuset-cpus", 0, CLI_STRING, "LIST",
                       "CPUs in which to allow execution (0-3, 0,1)"},
    [U_CPUSET_MEMS] = {"cpuset-mems", 0, CLI_STRING, "LIST",
                       "MEMs in which to allow execution (0-3, 0,1)"},
    [U_MEMORY] = {"memory", 'm', CLI_STRING, "BYTES", "Memory limit"},
    [U_MEMORY_SWAP] = {"memory-swap", 0, CLI_STRING, "BYTES",
                       "Swap limit equal to memory plus swap: '-1' to enable unlimited swap"},
    [U_MEMORY_RESERVATION] = {"memory-reservation", 0, CLI_STRING, "BYTES", "Memory soft limit"},
    [U_KERNEL_MEMORY] = {"kernel-memory", 0, CLI_STRING, "BYTES", "Kernel memory limit"},
    [U_PIDS_LIMIT] = {"pids-limit", 0, CLI_STRING, "N",
                      "Tune container pids limit (set -1 for unlimited)"},
    [U_BLKIO_WEIGHT] = {"blkio-weight", 0, CLI_STRING, "N",
                        "Block IO (relative weight), between 10 and 1000"},
    [U_CPUS] = {"cpus", 0, CLI_STRING, "NUMBER", "Number of CPUs (e.g. 1.5)"},
    [U_RESTART] = {"restart", 0, CLI_STRING, "POLICY",
                   "Restart policy: no, always, on-failure[:N], unless-stopped, on-reboot"},
};

/* One flag into the UpdateConfig body; -1 after printing what is wrong with its value. */
static int gen_update_flag(yajl_gen g, struct cli_values *v, size_t idx, const char *key)
{
	const char *s = cli_string(v, idx);
	if (!s)
		return 0;
	const char *flag = g_update_opts[idx].long_name;
	if (idx == U_RESTART) {
		struct restart_policy rp;
		char err[256];
		if (restart_policy_parse(s, &rp, err, sizeof(err)) < 0) {
			fprintf(stderr, "%s\n", err);
			return -1;
		}
		jg_key(g, key);
		yajl_gen_map_open(g);
		jg_kstr(g, "Name", restart_policy_name(rp.kind));
		jg_kint(g, "MaximumRetryCount", rp.max_retries);
		yajl_gen_map_close(g);
		return 0;
	}
	int64_t n;
	if (idx == U_CPUS) {
		if (parse_nano_cpus(s, &n) < 0) {
			fprintf(
			    stderr,
			    "Invalid value %s for flag --cpus: expected a number of CPUs like 1.5 "
			    "(9 decimals at most)\n",
			    s);
			return -1;
		}
		jg_kint(g, key, n);
		return 0;
	}
	bool size = idx == U_MEMORY || idx == U_MEMORY_SWAP || idx == U_MEMORY_RESERVATION ||
	            idx == U_KERNEL_MEMORY;
	if (idx == U_CPUSET_CPUS || idx == U_CPUSET_MEMS) {
		jg_kstr(g, key, s);
		return 0;
	}
	if (size && !(idx == U_MEMORY_SWAP && strcmp(s, "-1") == 0)) {
		if (parse_byte_size(s, &n) < 0) {
			fprintf(stderr,
			        "Invalid value %s for flag --%s: expected a size like 512m or 1g\n",
			        s, flag);
			return -1;
		}
	} else if (parse_int64(s, &n) < 0) {
		fprintf(stderr, "Invalid value %s for flag --%s: expected an integer\n", s, flag);
		return -1;
	}
	jg_kint(g, key, n);
	return 0;
}

int cmd_update(struct client *cl, int argc, char **argv)
{
	static const char usage[] = "isula update [OPTIONS] CONTAINER [CONTAINER...]";
	static const char *const keys[U_COUNT] = {
	    [U_CPU_SHARES] = "CpuShares",       [U_CPU_QUOTA] = "CpuQuota",
	    [U_CPU_PERIOD] = "CpuPeriod",       [U_CPUSET_CPUS] = "CpusetCpus",
	    [U_CPUSET_MEMS] = "CpusetMems",     [U_MEMORY] = "Memory",
	    [U_MEMORY_SWAP] = "MemorySwap",     [U_MEMORY_RESERVATION] = "MemoryReservation",
	    [U_KERNEL_MEMORY] = "KernelMemory", [U_PIDS_LIMIT] = "PidsLimit",
	    [U_BLKIO_WEIGHT] = "BlkioWeight",   [U_CPUS] = "NanoCpus",
	    [U_RESTART] = "RestartPolicy",
	};
	int code = 0;
	struct cli_values *v = parse_command_flags(cl, usage, g_update_opts, U_COUNT, U_HELP,
	                                           U_HOST, argc, argv, false, 1, &code);
	if (!v)
		return code;
	yajl_gen g = yajl_gen_alloc(NULL);
	yajl_gen_map_open(g);
	bool any = false;
	for (size_t i = U_CPU_SHARES; i < U_COUNT; i++) {
		if (gen_update_flag(g, v, i, keys[i]) < 0) {
			yajl_gen_free(g);
			cli_values_free(v);
			return EXIT_DAEMON_ERROR;
		}
		any = any || cli_string(v, i);
	}
	yajl_gen_map_close(g);
	char *body = jg_finish(g, NULL);
	if (!any) {
		fprintf(stderr, "You must provide one or more flags when using this command.\n");
		free(body);
		cli_values_free(v);
		return 1;
	}
	code = post_to_each(cl, v, "/containers/%s/update", body);
	free(body);
	cli_values_free(v);
	return code;
}

/* Columns padded to their widest cell, three spaces apart (Docker's tabwriter look). */
static void print_top(yajl_val titles, yajl_val procs)
{
	size_t cols = titles->u.array.len;
	size_t *width = calloc(cols + 1, sizeof(size_t));
	if (!width)
		return;
	for (size_t c = 0; c < cols; c++) {
		const char *t = YAJL_GET_STRING(titles->u.array.values[c]);
		width[c] = t ? strlen(t) : 0;
	}
	for (size_t r = 0; procs && r < procs->u.array.len; r++) {
		yajl_val row = procs->u.array.values[r];
		for (size_t c = 0; YAJL_IS_ARRAY(row) && c < cols && c < row->u.array.len; c++) {
			const char *s = YAJL_GET_STRING(row->u.array.values[c]);
			if (s && strlen(s) > width[c])
				width[c] = strlen(s);
		}
	}
	for (size_t r = 0; r <= (procs ? procs->u.array.len : 0); r++) {
		yajl_val row = r == 0 ? titles : procs->u.array.values[r - 1];
		for (size_t c = 0; YAJL_IS_ARRAY(row) && c < cols && c < row->u.array.len; c++) {
			const char *s = YAJL_GET_STRING(row->u.array.values[c]);
			if (c + 1 == cols)
				printf("%s", s ? s : "");
			else
				printf("%-*s   ", (int)width[c], s ? s : "");
		}
		printf("\n");
	}
	free(width);
}

int cmd_top(struct client *cl, int argc, char **argv)
{
	static const struct cli_option opts[] = {HOST_OPT, HELP_OPT};
	int code = 0;
	/* Everything after the container is ps's own options. */
	struct cli_values *v = parse_command_flags(cl, "isula top [OPTIONS] CONTAINER [ps OPTIONS]",
	                                           opts, 2, 1, 0, argc, argv, true, 1, &code);
	if (!v)
		return code;
	char args[2048] = "";
	for (size_t i = 1; i < cli_npositional(v); i++) {
		size_t used = strlen(args);
		snprintf(args + used, sizeof(args) - used, "%s%s", used ? " " : "",
		         cli_positional(v, i));
	}
	char *esc = url_escape(cli_positional(v, 0));
	char *eargs = url_escape(args);
	char path[4096];
	snprintf(path, sizeof(path), "/containers/%s/top%s%s", esc ? esc : "",
	         args[0] ? "?ps_args=" : "", args[0] && eargs ? eargs : "");
	free(esc);
	free(eargs);
	struct api_response r;
	code = EXIT_DAEMON_ERROR;
	if (api_call(cl, "GET", path, NULL, &r) == 0) {
		yajl_val root = r.status == 200 ? json_parse(r.body, NULL, 0) : NULL;
		yajl_val titles = json_get(root, "Titles");
		if (!titles || !YAJL_IS_ARRAY(titles)) {
			print_daemon_error(&r);
		} else {
			yajl_val procs = json_get(root, "Processes");
			print_top(titles, procs && YAJL_IS_ARRAY(procs) ? procs : NULL);
			code = 0;
		}
		if (root)
			yajl_tree_free(root);
		api_response_free(&r);
	}
	cli_values_free(v);
	return code;
}
