/* isula: the command-line client of isulad. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "core/paths.h"

#define DEFAULT_HOST ISULAD_DEFAULT_HOST

static const struct {
	const char *name;
	command_fn fn;
	const char *summary;
} g_commands[] = {
    {"create", cmd_create, "Create a new container"},
    {"run", cmd_run, "Run a command in a new container"},
    {"exec", cmd_exec, "Run a command in a running container"},
    {"attach", cmd_attach, "Attach to a running container"},
    {"start", cmd_start, "Start one or more stopped containers"},
    {"stop", cmd_stop, "Stop one or more containers"},
    {"restart", cmd_restart, "Restart one or more containers"},
    {"kill", cmd_kill, "Kill one or more running containers"},
    {"rm", cmd_rm, "Remove one or more containers"},
    {"wait", cmd_wait, "Block until a container stops, then print its exit code"},
    {"ps", cmd_ps, "List containers"},
    {"inspect", cmd_inspect, "Return low-level information on a container"},
    {"logs", cmd_logs, "Fetch the logs of a container"},
    {"pause", cmd_pause, "Pause all processes within one or more containers"},
    {"unpause", cmd_unpause, "Unpause all processes within one or more containers"},
    {"rename", cmd_rename, "Rename a container"},
    {"update", cmd_update, "Update configuration of one or more containers"},
    {"top", cmd_top, "Display the running processes of a container"},
    {"stats", cmd_stats, "Display a live stream of container(s) resource usage statistics"},
    {"events", cmd_events, "Get real time events from the server"},
    {"version", cmd_version, "Display information about isula"},
    {"info", cmd_info, "Display system-wide information"},
    {"network", cmd_network, "Manage networks"},
    {"port", cmd_port, "List port mappings for the container"},
    {"cp", cmd_cp, "Copy files/folders between a container and the local filesystem"},
};
#define NCOMMANDS (sizeof(g_commands) / sizeof(g_commands[0]))

static void usage(FILE *out)
{
	fprintf(out, "USAGE:\n\tisula <command> [args...]\n\nCOMMANDS:\n");
	for (size_t i = 0; i < NCOMMANDS; i++)
		fprintf(out, "\t%-10s %s\n", g_commands[i].name, g_commands[i].summary);
}

int main(int argc, char **argv)
{
	struct client cl = {.host = getenv("ISULAD_HOST")};
	if (!cl.host || !*cl.host)
		cl.host = DEFAULT_HOST;
	if (client_take_tls_flags(&cl, &argc, argv) < 0)
		return 1;
	int i = 1;
	/* A global -H/--host before the command, as with docker. */
	while (i < argc && argv[i][0] == '-') {
		if ((strcmp(argv[i], "-H") == 0 || strcmp(argv[i], "--host") == 0) &&
		    i + 1 < argc) {
			cl.host = argv[i + 1];
			i += 2;
		} else if (strncmp(argv[i], "--host=", 7) == 0 || strncmp(argv[i], "-H=", 3) == 0) {
			cl.host = strchr(argv[i], '=') + 1;
			i++;
		} else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			usage(stdout);
			return 0;
		} else if (strcmp(argv[i], "-v") == 0 || strcmp(argv[i], "--version") == 0) {
			return cmd_version(&cl, 0, NULL);
		} else {
			fprintf(stderr, "unknown flag: %s\n", argv[i]);
			usage(stderr);
			return 1;
		}
	}
	if (i >= argc) { /* bare `isula`: the help, as Docker's and iSulad's clients */
		usage(stdout);
		return 0;
	}
	for (size_t k = 0; k < NCOMMANDS; k++) {
		if (strcmp(argv[i], g_commands[k].name) == 0) {
			return g_commands[k].fn(&cl, argc - i - 1, argv + i + 1);
		}
	}
	fprintf(stderr, "isula: '%s' is not a isula command.\nSee 'isula --help'.\n", argv[i]);
	return 1;
}
