/* stats: one table row per container from GET /containers/{id}/stats, CPU % from two
 * samples half a second (--no-stream) or one second (streaming) apart. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "client.h"
#include "human_size.h"
#include "core/json.h"

struct target {
	char *ref; /* what we ask the daemon for */
	yajl_val pre, cur;
};

static int64_t jpath_int(yajl_val v, const char *a, const char *b, const char *c)
{
	yajl_val x = json_get(v, a);
	if (b)
		x = json_get(x, b);
	if (c)
		return json_get_int(x, c, 0);
	return x && YAJL_IS_INTEGER(x) ? YAJL_GET_INTEGER(x) : 0;
}

/* Docker's formulas: CPU share of the host, memory without the inactive page cache. */
static void print_row(yajl_val pre, yajl_val cur)
{
	double cpu = 0;
	int64_t dtotal = jpath_int(cur, "cpu_stats", "cpu_usage", "total_usage") -
	                 jpath_int(pre, "cpu_stats", "cpu_usage", "total_usage");
	int64_t dsys = jpath_int(cur, "cpu_stats", "system_cpu_usage", NULL) -
	               jpath_int(pre, "cpu_stats", "system_cpu_usage", NULL);
	int64_t online = jpath_int(cur, "cpu_stats", "online_cpus", NULL);
	if (dtotal > 0 && dsys > 0 && jpath_int(pre, "cpu_stats", "system_cpu_usage", NULL) > 0)
		cpu = (double)dtotal / (double)dsys * (double)(online > 0 ? online : 1) * 100.0;
	yajl_val mem = json_get(cur, "memory_stats");
	int64_t usage = json_get_int(mem, "usage", 0);
	int64_t limit = json_get_int(mem, "limit", 0);
	yajl_val st = json_get(mem, "stats");
	int64_t inactive = json_get_int(st, "total_inactive_file", -1);
	if (inactive < 0)
		inactive = json_get_int(st, "inactive_file", 0);
	if (inactive < usage)
		usage -= inactive;
	double mem_pct = limit > 0 ? (double)usage / (double)limit * 100.0 : 0;
	double rx = 0, tx = 0, rd = 0, wr = 0;
	yajl_val nets = json_get(cur, "networks");
	for (size_t i = 0; nets && YAJL_IS_OBJECT(nets) && i < nets->u.object.len; i++) {
		rx += (double)json_get_int(nets->u.object.values[i], "rx_bytes", 0);
		tx += (double)json_get_int(nets->u.object.values[i], "tx_bytes", 0);
	}
	yajl_val io = json_get(json_get(cur, "blkio_stats"), "io_service_bytes_recursive");
	for (size_t i = 0; io && YAJL_IS_ARRAY(io) && i < io->u.array.len; i++) {
		const char *op = json_get_str(io->u.array.values[i], "op");
		double val = (double)json_get_int(io->u.array.values[i], "value", 0);
		if (op && strcasecmp(op, "read") == 0)
			rd += val;
		else if (op && strcasecmp(op, "write") == 0)
			wr += val;
	}
	char s_usage[32], s_limit[32], s_rx[32], s_tx[32], s_rd[32], s_wr[32], memcol[80],
	    netcol[80], blkcol[80];
	format_binary_size((double)usage, s_usage, sizeof(s_usage));
	format_binary_size((double)limit, s_limit, sizeof(s_limit));
	format_binary_size(rx, s_rx, sizeof(s_rx));
	format_binary_size(tx, s_tx, sizeof(s_tx));
	format_binary_size(rd, s_rd, sizeof(s_rd));
	format_binary_size(wr, s_wr, sizeof(s_wr));
	snprintf(memcol, sizeof(memcol), "%s / %s", s_usage, s_limit);
	snprintf(netcol, sizeof(netcol), "%s / %s", s_rx, s_tx);
	snprintf(blkcol, sizeof(blkcol), "%s / %s", s_rd, s_wr);
	const char *id = json_get_str(cur, "id");
	const char *name = json_get_str(cur, "name");
	if (name && name[0] == '/')
		name++;
	printf("%-14.12s %-20s %-8.2f %-26s %-8.2f %-22s %-22s %lld\n", id ? id : "",
	       name ? name : "", cpu, memcol, mem_pct, netcol, blkcol,
	       (long long)jpath_int(cur, "pids_stats", "current", NULL));
}

static void print_header(void)
{
	printf("%-14s %-20s %-8s %-26s %-8s %-22s %-22s %s\n", "CONTAINER ID", "NAME", "CPU %",
	       "MEM USAGE / LIMIT", "MEM %", "NET I/O", "BLOCK I/O", "PIDS");
}

/* One sample of t (one-shot). -1 after printing the daemon's error. */
static int fetch(struct client *cl, struct target *t)
{
	char path[1024];
	container_path(path, sizeof(path), t->ref, "/stats?stream=0&one-shot=1");
	struct api_response r;
	if (api_call(cl, "GET", path, NULL, &r) < 0)
		return -1;
	yajl_val v = r.status == 200 ? json_parse(r.body, NULL, 0) : NULL;
	if (!v)
		print_daemon_error(&r);
	api_response_free(&r);
	if (!v)
		return -1;
	if (t->pre)
		yajl_tree_free(t->pre);
	t->pre = t->cur;
	t->cur = v;
	return 0;
}

/* The running containers (or all with -a), by ID. */
static int list_targets(struct client *cl, bool all, struct target **out, size_t *n)
{
	struct api_response r;
	if (api_call(cl, "GET", all ? "/containers/json?all=1" : "/containers/json", NULL, &r) < 0)
		return -1;
	yajl_val list = r.status == 200 ? json_parse(r.body, NULL, 0) : NULL;
	if (!list || !YAJL_IS_ARRAY(list)) {
		print_daemon_error(&r);
		api_response_free(&r);
		if (list)
			yajl_tree_free(list);
		return -1;
	}
	api_response_free(&r);
	*n = list->u.array.len;
	*out = calloc(*n + 1, sizeof(**out));
	for (size_t i = 0; *out && i < *n; i++) {
		const char *id = json_get_str(list->u.array.values[i], "Id");
		(*out)[i].ref = strdup(id ? id : "");
	}
	yajl_tree_free(list);
	return *out ? 0 : -1;
}

static void free_targets(struct target *t, size_t n)
{
	for (size_t i = 0; t && i < n; i++) {
		free(t[i].ref);
		if (t[i].pre)
			yajl_tree_free(t[i].pre);
		if (t[i].cur)
			yajl_tree_free(t[i].cur);
	}
	free(t);
}

static void sleep_ms(long ms)
{
	struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000};
	nanosleep(&ts, NULL);
}

/* Samples every target twice, gap_ms apart; false when a named one cannot be read. */
static bool sample_all(struct client *cl, struct target *t, size_t n, long gap_ms, bool named)
{
	bool ok = true;
	for (int round = 0; round < 2; round++) {
		for (size_t i = 0; i < n; i++) {
			if (fetch(cl, &t[i]) < 0 && named)
				ok = false;
		}
		if (round == 0 && gap_ms > 0)
			sleep_ms(gap_ms);
		if (gap_ms == 0)
			break;
	}
	return ok;
}

int cmd_stats(struct client *cl, int argc, char **argv)
{
	static const struct cli_option opts[] = {
	    [0] = {"host", 'H', CLI_STRING, "URL", "Daemon socket to connect to"},
	    [1] = {"help", 0, CLI_BOOL, NULL, "Print usage"},
	    [2] = {"all", 'a', CLI_BOOL, NULL, "Show all containers (default shows just running)"},
	    [3] = {"no-stream", 0, CLI_BOOL, NULL,
	           "Disable streaming stats and only pull the "
	           "first result"},
	};
	int code = 0;
	struct cli_values *v = parse_command_flags(cl, "isula stats [OPTIONS] [CONTAINER...]", opts,
	                                           4, 1, 0, argc, argv, false, 0, &code);
	if (!v)
		return code;
	bool named = cli_npositional(v) > 0;
	bool stream = !cli_bool(v, 3);
	struct target *t = NULL;
	size_t n = 0;
	if (named) {
		n = cli_npositional(v);
		t = calloc(n, sizeof(*t));
		for (size_t i = 0; t && i < n; i++)
			t[i].ref = strdup(cli_positional(v, i));
	} else if (list_targets(cl, cli_bool(v, 2), &t, &n) < 0) {
		cli_values_free(v);
		return EXIT_DAEMON_ERROR;
	}
	code = 0;
	bool first = true;
	for (;;) {
		if (!sample_all(cl, t, n, first ? 500 : 0, named)) {
			code = EXIT_DAEMON_ERROR;
			break;
		}
		if (stream)
			printf("\033[2J\033[H");
		print_header();
		for (size_t i = 0; i < n; i++) {
			if (t[i].cur)
				print_row(t[i].pre ? t[i].pre : t[i].cur, t[i].cur);
		}
		fflush(stdout);
		if (!stream)
			break;
		first = false;
		sleep_ms(1000);
	}
	free_targets(t, n);
	cli_values_free(v);
	return code;
}
