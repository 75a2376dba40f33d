/* events: follows GET /events and prints each event as one line (iSulad's format). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "client.h"
#include "event_line.h"
#include "core/json.h"
#include "core/timeutil.h"

enum { E_HOST, E_HELP, E_NAME, E_SINCE, E_UNTIL, E_COUNT };

/* --since/--until into the "seconds.nanoseconds" form Docker daemons take. */
static int time_arg(struct cli_values *v, size_t idx, const char *flag, char *out, size_t len)
{
	const char *s = cli_string(v, idx);
	out[0] = '\0';
	if (!s)
		return 0;
	struct timespec now, ts;
	clock_gettime(CLOCK_REALTIME, &now);
	if (time_parse_point(s, &now, &ts) < 0) {
		fprintf(stderr,
		        "Invalid value %s for flag --%s: expected unix seconds, an RFC 3339 time "
		        "(2006-01-02T15:04:05Z07:00) or a duration like 10m\n",
		        s, flag);
		return -1;
	}
	snprintf(out, len, "%lld.%09ld", (long long)ts.tv_sec, ts.tv_nsec);
	return 0;
}

static void print_line(const char *json)
{
	yajl_val ev = json_parse(json, NULL, 0);
	char *line = event_format_line(ev);
	if (line) {
		printf("%s\n", line);
		fflush(stdout);
	}
	free(line);
	if (ev)
		yajl_tree_free(ev);
}

/* Reads the streamed body, one JSON object per line. */
static int follow(struct http_conn *conn)
{
	size_t cap = 65536, len = 0;
	char *buf = malloc(cap);
	if (!buf)
		return -1;
	for (;;) {
		if (cap - len < 4096) {
			char *nb = realloc(buf, cap *= 2);
			if (!nb)
				break;
			buf = nb;
		}
		ssize_t n = http_read_body(conn, buf + len, cap - len - 1);
		if (n <= 0) {
			free(buf);
			return n < 0 ? -1 : 0;
		}
		len += (size_t)n;
		buf[len] = '\0';
		char *start = buf, *nl;
		while ((nl = strchr(start, '\n'))) {
			*nl = '\0';
			if (*start)
				print_line(start);
			start = nl + 1;
		}
		len -= (size_t)(start - buf);
		memmove(buf, start, len + 1);
	}
	free(buf);
	return -1;
}

int cmd_events(struct client *cl, int argc, char **argv)
{
	static const struct cli_option opts[E_COUNT] = {
	    [E_HOST] = {"host", 'H', CLI_STRING, "URL", "Daemon socket to connect to"},
	    [E_HELP] = {"help", 0, CLI_BOOL, NULL, "Print usage"},
	    [E_NAME] = {"name", 'n', CLI_STRING, "NAME", "Only the events of this container"},
	    [E_SINCE] = {"since", 'S', CLI_STRING, "TIME",
	                 "Show all events created since timestamp"},
	    [E_UNTIL] = {"until", 'U', CLI_STRING, "TIME", "Show events created until timestamp"},
	};
	int code = 0;
	struct cli_values *v = parse_command_flags(cl, "isula events [OPTIONS]", opts, E_COUNT,
	                                           E_HELP, E_HOST, argc, argv, false, 0, &code);
	if (!v)
		return code;
	char since[64], until[64];
	if (cli_npositional(v) > 0) {
		fprintf(stderr, "\"isula events\" accepts no arguments.\nUsage:  isula events "
		                "[OPTIONS]\n");
		cli_values_free(v);
		return 1;
	}
	if (time_arg(v, E_SINCE, "since", since, sizeof(since)) < 0 ||
	    time_arg(v, E_UNTIL, "until", until, sizeof(until)) < 0) {
		cli_values_free(v);
		return EXIT_DAEMON_ERROR;
	}
	char path[2048];
	int n = snprintf(path, sizeof(path), "/events?since=%s&until=%s", since, until);
	if (cli_string(v, E_NAME)) {
		yajl_gen g = yajl_gen_alloc(NULL);
		yajl_gen_map_open(g);
		jg_key(g, "container");
		yajl_gen_array_open(g);
		jg_str(g, cli_string(v, E_NAME));
		yajl_gen_array_close(g);
		yajl_gen_map_close(g);
		char *f = jg_finish(g, NULL);
		char *esc = f ? url_escape(f) : NULL;
		snprintf(path + n, sizeof(path) - (size_t)n, "&filters=%s", esc ? esc : "");
		free(esc);
		free(f);
	}
	cli_values_free(v);
	struct http_conn *conn = malloc(sizeof(*conn));
	if (!conn || api_open_ok(cl, "GET", path, NULL, conn) < 0) {
		free(conn);
		return EXIT_DAEMON_ERROR;
	}
	if (follow(conn) < 0) {
		fprintf(stderr, "Error: the daemon closed the event stream\n");
		code = EXIT_DAEMON_ERROR;
	}
	http_close(conn);
	free(conn);
	return code;
}
