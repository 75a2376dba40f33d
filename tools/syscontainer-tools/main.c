/* isulad-tools [GLOBAL OPTIONS] COMMAND [OPTIONS] <container_id> [ARG...] (seed 000 §2.3.12):
 * hot-plugs devices, NICs, routes and host paths into system containers. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/cli_args.h"
#include "core/log.h"
#include "core/version.h"
#include "tool.h"

static const struct {
	const char *name;
	int (*fn)(const struct tool *tool, int argc, char **argv);
	const char *summary;
} g_commands[] = {
    {"add-device", cmd_add_device, "Add one or more host devices to a container"},
    {"remove-device", cmd_remove_device, "Remove one or more devices from a container"},
    {"list-device", cmd_list_device, "List the devices added to a container"},
    {"update-device", cmd_update_device, "Update the QoS of devices added to a container"},
    {"add-nic", cmd_add_nic, "Add a network interface to a container"},
    {"remove-nic", cmd_remove_nic, "Remove a network interface from a container"},
    {"list-nic", cmd_list_nic, "List the network interfaces added to a container"},
    {"update-nic", cmd_update_nic, "Update a network interface added to a container"},
    {"add-route", cmd_add_route, "Add network routes to a container"},
    {"remove-route", cmd_remove_route, "Remove network routes from a container"},
    {"list-route", cmd_list_route, "List the network routes added to a container"},
    {"add-path", cmd_add_path, "Add one or more host paths to a container"},
    {"remove-path", cmd_remove_path, "Remove one or more paths from a container"},
    {"list-path", cmd_list_path, "List the paths added to a container"},
};
#define NCOMMANDS (sizeof(g_commands) / sizeof(g_commands[0]))

enum { OPT_HOST, OPT_LOG, OPT_LOG_LEVEL, OPT_HELP, OPT_VERSION };
static const struct cli_option g_opts[] = {
    [OPT_HOST] =
        {"host", 'H', CLI_STRING, "URL",
         "The iSulad daemon's socket (env ISULAD_HOST; default unix:///var/run/isulad.sock)"},
    [OPT_LOG] = {"log", 0, CLI_STRING, "FILE", "Append log messages to FILE (default /dev/null)"},
    [OPT_LOG_LEVEL] = {"log-level", 0, CLI_STRING, "LEVEL",
                       "Log level: ERROR, WARN, INFO or DEBUG (default INFO)"},
    [OPT_HELP] = {"help", 'h', CLI_BOOL, NULL, "Print usage"},
    [OPT_VERSION] = {"version", 'v', CLI_BOOL, NULL, "Print version information"},
};
#define NOPTS (sizeof(g_opts) / sizeof(g_opts[0]))

static void usage(FILE *out)
{
	cli_print_help(out,
	               "isulad-tools [OPTIONS] COMMAND [COMMAND OPTIONS] <container_id> [ARG...]",
	               g_opts, NOPTS);
	fprintf(out, "\nCommands:\n");
	for (size_t i = 0; i < NCOMMANDS; i++)
		fprintf(out, "  %-14s %s\n", g_commands[i].name, g_commands[i].summary);
	fprintf(out, "\nRun 'isulad-tools COMMAND --help' for a command's options.\n");
}

int main(int argc, char **argv)
{
	/* A change half-made when the user presses ^C would be neither recorded nor rolled
	 * back: like the original, finish it. */
	signal(SIGINT, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
	signal(SIGTERM, SIG_IGN);
	char err[512];
	struct cli_values *v = cli_parse(g_opts, NOPTS, argc - 1, argv + 1, true, err, sizeof(err));
	if (!v) {
		fprintf(stderr, "isulad-tools: %s\nSee 'isulad-tools --help'.\n", err);
		return 1;
	}
	int rc = 1;
	if (cli_bool(v, OPT_HELP)) {
		usage(stdout);
		rc = 0;
		goto out;
	}
	if (cli_bool(v, OPT_VERSION)) {
		printf("isulad-tools version %s\ncommit: %s\n", ISULAD_VERSION, GIT_COMMIT);
		rc = 0;
		goto out;
	}
	enum log_level level = LOG_LVL_INFO;
	const char *lvl = cli_string(v, OPT_LOG_LEVEL);
	if (lvl && log_level_parse(lvl, &level) < 0) {
		fprintf(stderr, "unknown log-level %s\n", lvl);
		goto out;
	}
	const char *log_path = cli_string(v, OPT_LOG);
	if (log_path && strcmp(log_path, "/dev/null") != 0) {
		FILE *f = fopen(log_path, "ae");
		if (!f) {
			fprintf(stderr, "isulad-tools: cannot open the log file %s: %m\n",
			        log_path);
			goto out;
		}
		fclose(f);
		log_init(level, strcmp(log_path, ".") == 0 ? NULL : log_path);
	}
	struct tool tool = {.host = cli_string(v, OPT_HOST)};
	if (!tool.host || !*tool.host)
		tool.host = getenv("ISULAD_HOST");
	if (cli_npositional(v) == 0) {
		usage(stderr);
		goto out;
	}
	const char *cmd = cli_positional(v, 0);
	size_t nargs = cli_npositional(v) - 1;
	for (size_t k = 0; k < NCOMMANDS; k++) {
		if (strcmp(cmd, g_commands[k].name) == 0) {
			rc = g_commands[k].fn(&tool, (int)nargs, argv + argc - nargs);
			goto out;
		}
	}
	fprintf(stderr, "unknown subcommand %s\n", cmd);
out:
	cli_values_free(v);
	return rc;
}
