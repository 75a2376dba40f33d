/* start, stop, restart, kill, rm, wait: one request per container named. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "core/json.h"
#include "engine/signals.h"
#include "core/units.h"

enum {
	L_HOST,
	L_HELP,
	L_TIME,
	L_FORCE,
	L_SIGNAL,
	L_VOLUMES,
	L_RUNTIME,
	L_ATTACH,
	L_INTERACTIVE,
	L_COUNT
};

static const struct cli_option g_opts[L_COUNT] = {
    [L_HOST] = {"host", 'H', CLI_STRING, "URL", "Daemon socket to connect to"},
    [L_HELP] = {"help", 0, CLI_BOOL, NULL, "Print usage"},
    [L_TIME] = {"time", 't', CLI_STRING, "SECONDS",
                "Seconds to wait for stop before killing it (default 10)"},
    [L_FORCE] = {"force", 'f', CLI_BOOL, NULL, "Force the operation"},
    [L_SIGNAL] = {"signal", 's', CLI_STRING, "SIGNAL", "Signal to send to the container"},
    [L_VOLUMES] = {"volumes", 'v', CLI_BOOL, NULL,
                   "Remove anonymous volumes (this engine makes none: nothing to remove)"},
    [L_RUNTIME] = {"runtime", 'R', CLI_STRING, "RUNTIME", "Runtime to use (lcr)"},
    [L_ATTACH] = {"attach", 'a', CLI_BOOL, NULL, "Attach STDOUT/STDERR until the container stops"},
    [L_INTERACTIVE] = {"interactive", 'i', CLI_BOOL, NULL, "Attach the container's STDIN"},
};

static bool flag_set(const struct cli_values *v, const size_t *map, size_t flag)
{
	return map[flag] != (size_t)-1 && cli_bool(v, map[flag]);
}

/* start -a / -i: one container, its output (and stdin with -i, when it was created with
 * -i) attached before it starts; the exit code is the container's, as Docker's, and 1 when
 * it could not be started (as start's other errors). */
static int start_one_attached(struct client *cl, const char *ref, bool interactive)
{
	struct ctr_brief b = {0};
	if (container_brief(cl, ref, &b) < 0)
		return 1;
	int code = start_attached(cl, b.id, b.tty, interactive && b.open_stdin, false);
	free(b.id);
	return code < 0 ? 1 : code;
}

struct lifecycle {
	const char *usage;
	const char *method;
	const char *path_fmt; /* "/containers/%s/start" */
	const size_t *flags;  /* flags this command accepts besides -H and --help */
	size_t nflags;
};

/* Builds the per-command option table: -H, --help and the command's own flags. */
static size_t pick_options(const struct lifecycle *lc, struct cli_option *out, size_t *map)
{
	size_t n = 0;
	out[n] = g_opts[L_HOST];
	map[L_HOST] = n++;
	out[n] = g_opts[L_HELP];
	map[L_HELP] = n++;
	for (size_t i = 0; i < lc->nflags; i++) {
		out[n] = g_opts[lc->flags[i]];
		map[lc->flags[i]] = n++;
	}
	return n;
}

static int run_lifecycle(struct client *cl, const struct lifecycle *lc, int argc, char **argv)
{
	struct cli_option opts[L_COUNT];
	size_t map[L_COUNT];
	for (size_t i = 0; i < L_COUNT; i++)
		map[i] = (size_t)-1;
	size_t nopts = pick_options(lc, opts, map);
	int code = 0;
	struct cli_values *v = parse_command_flags(cl, lc->usage, opts, nopts, map[L_HELP],
	                                           map[L_HOST], argc, argv, false, 1, &code);
	if (!v)
		return code;
	char query[256] = "";
	if (map[L_TIME] != (size_t)-1 && cli_string(v, map[L_TIME])) {
		int64_t t;
		if (parse_int64(cli_string(v, map[L_TIME]), &t) < 0) {
			fprintf(stderr, "Invalid value %s for flag --time: expected an integer\n",
			        cli_string(v, map[L_TIME]));
			cli_values_free(v);
			return 1;
		}
		snprintf(query, sizeof(query), "?t=%lld", (long long)t);
	}
	/* stop -f kills at once; rm -f removes a running container too. */
	if (flag_set(v, map, L_FORCE))
		snprintf(query, sizeof(query), "%s",
		         strcmp(lc->method, "DELETE") == 0 ? "?force=1" : "?t=0");
	if (map[L_SIGNAL] != (size_t)-1 && cli_string(v, map[L_SIGNAL])) {
		const char *s = cli_string(v, map[L_SIGNAL]);
		if (signal_parse(s) <= 0) {
			fprintf(stderr, "Invalid signal: %s\n", s);
			cli_values_free(v);
			return 1;
		}
		char *esc = url_escape(s);
		snprintf(query, sizeof(query), "?signal=%s", esc ? esc : s);
		free(esc);
	}
	int ret = 0;
	if (flag_set(v, map, L_ATTACH) || flag_set(v, map, L_INTERACTIVE)) {
		if (cli_npositional(v) != 1) {
			fprintf(stderr,
			        "you cannot start and attach multiple containers at once\n");
			ret = 1;
		} else {
			ret = start_one_attached(cl, cli_positional(v, 0),
			                         flag_set(v, map, L_INTERACTIVE));
		}
		cli_values_free(v);
		return ret;
	}
	for (size_t i = 0; i < cli_npositional(v); i++) {
		const char *name = cli_positional(v, i);
		char *esc = url_escape(name);
		char path[1024];
		snprintf(path, sizeof(path), lc->path_fmt, esc ? esc : name);
		strncat(path, query, sizeof(path) - strlen(path) - 1);
		free(esc);
		struct api_response r;
		if (api_call(cl, lc->method, path, NULL, &r) < 0) {
			ret = 1;
			break;
		}
		if (r.status >= 400) {
			print_daemon_error(&r);
			ret = 1;
		} else if (strcmp(lc->path_fmt, "/containers/%s/wait") == 0) {
			yajl_val root = json_parse(r.body ? r.body : "", NULL, 0);
			printf("%lld\n", (long long)json_get_int(root, "StatusCode", -1));
			if (root)
				yajl_tree_free(root);
		} else {
			printf("%s\n", name);
		}
		api_response_free(&r);
	}
	cli_values_free(v);
	return ret;
}

int cmd_start(struct client *cl, int argc, char **argv)
{
	static const size_t flags[] = {L_RUNTIME, L_ATTACH, L_INTERACTIVE};
	static const struct lifecycle lc = {"isula start [OPTIONS] CONTAINER [CONTAINER...]",
	                                    "POST", "/containers/%s/start", flags, 3};
	return run_lifecycle(cl, &lc, argc, argv);
}

int cmd_stop(struct client *cl, int argc, char **argv)
{
	static const size_t flags[] = {L_TIME, L_FORCE};
	static const struct lifecycle lc = {"isula stop [OPTIONS] CONTAINER [CONTAINER...]", "POST",
	                                    "/containers/%s/stop", flags, 2};
	return run_lifecycle(cl, &lc, argc, argv);
}

int cmd_restart(struct client *cl, int argc, char **argv)
{
	static const size_t flags[] = {L_TIME};
	static const struct lifecycle lc = {"isula restart [OPTIONS] CONTAINER [CONTAINER...]",
	                                    "POST", "/containers/%s/restart", flags, 1};
	return run_lifecycle(cl, &lc, argc, argv);
}

int cmd_kill(struct client *cl, int argc, char **argv)
{
	static const size_t flags[] = {L_SIGNAL};
	static const struct lifecycle lc = {"isula kill [OPTIONS] CONTAINER [CONTAINER...]", "POST",
	                                    "/containers/%s/kill", flags, 1};
	return run_lifecycle(cl, &lc, argc, argv);
}

int cmd_rm(struct client *cl, int argc, char **argv)
{
	static const size_t flags[] = {L_FORCE, L_VOLUMES};
	static const struct lifecycle lc = {"isula rm [OPTIONS] CONTAINER [CONTAINER...]", "DELETE",
	                                    "/containers/%s", flags, 2};
	return run_lifecycle(cl, &lc, argc, argv);
}

int cmd_wait(struct client *cl, int argc, char **argv)
{
	static const struct lifecycle lc = {"isula wait [OPTIONS] CONTAINER [CONTAINER...]", "POST",
	                                    "/containers/%s/wait", NULL, 0};
	return run_lifecycle(cl, &lc, argc, argv);
}
