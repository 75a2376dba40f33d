/* lxcfs-toolkit [OPTIONS] COMMAND [COMMAND OPTIONS] (seed 000 §2.3.11.3). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_tree.h>

#include "core/cli_args.h"
#include "core/fileutil.h"
#include "core/json.h"
#include "core/log.h"
#include "lxcfs_views.h"
#include "toolkit.h"
#include "core/version.h"

static const struct {
	const char *name;
	int (*fn)(const struct toolkit *tk, int argc, char **argv);
	const char *summary;
} g_commands[] = {
    {"remount", cmd_remount, "Remounts lxcfs to containers (all, or the containers named)"},
    {"umount", cmd_umount, "Unmounts lxcfs from containers (all, or the containers named)"},
    {"check-lxcfs", cmd_check_lxcfs, "Checks whether the lxcfs service is running properly"},
    {"prestart", cmd_prestart,
     "OCI prestart hook: mounts the lxcfs files into the container whose state is on stdin"},
};
#define NCOMMANDS (sizeof(g_commands) / sizeof(g_commands[0]))

enum { OPT_MOUNT_POINT, OPT_GRAPH, OPT_LOG, OPT_HELP, OPT_VERSION };
static const struct cli_option g_opts[] = {
    [OPT_MOUNT_POINT] =
        {"mount-point", 0, CLI_STRING, "DIR",
         "Where lxcfs is mounted (env LXCFS_MOUNT_POINT; default " LXCFS_DEFAULT_MOUNT_POINT ")"},
    [OPT_GRAPH] = {"graph", 'g', CLI_STRING, "DIR",
                   "Root directory of iSulad (default: \"graph\" of " TOOLKIT_DAEMON_CONFIG
                   ", else " TOOLKIT_DEFAULT_GRAPH ")"},
    [OPT_LOG] = {"log", 0, CLI_STRING, "FILE", "Also append every message to FILE"},
    [OPT_HELP] = {"help", 'h', CLI_BOOL, NULL, "Print usage"},
    [OPT_VERSION] = {"version", 'v', CLI_BOOL, NULL, "Print version information"},
};
#define NOPTS (sizeof(g_opts) / sizeof(g_opts[0]))

static void usage(FILE *out)
{
	cli_print_help(out, "lxcfs-toolkit [OPTIONS] COMMAND [COMMAND OPTIONS]", g_opts, NOPTS);
	fprintf(out, "\nCommands:\n");
	for (size_t i = 0; i < NCOMMANDS; i++)
		fprintf(out, "  %-12s %s\n", g_commands[i].name, g_commands[i].summary);
	fprintf(out, "\nRun 'lxcfs-toolkit COMMAND --help' for a command's options.\n");
}

/* The daemon's configured "graph", so that the toolkit finds the containers of an isulad
 * started with its defaults without being told; NULL if there is none. */
static char *configured_graph(void)
{
	char *text = read_file(TOOLKIT_DAEMON_CONFIG, 1 << 20, NULL);
	yajl_val root = text ? json_parse(text, NULL, 0) : NULL;
	const char *g = json_get_str(root, "graph");
	char *out = g && *g ? strdup(g) : NULL;
	if (root)
		yajl_tree_free(root);
	free(text);
	return out;
}

int main(int argc, char **argv)
{
	char err[512];
	struct cli_values *v = cli_parse(g_opts, NOPTS, argc - 1, argv + 1, true, err, sizeof(err));
	if (!v) {
		fprintf(stderr, "lxcfs-toolkit: %s\nSee 'lxcfs-toolkit --help'.\n", err);
		return 1;
	}
	int rc = 1;
	char *graph = NULL;
	if (cli_bool(v, OPT_HELP)) {
		usage(stdout);
		rc = 0;
		goto out;
	}
	if (cli_bool(v, OPT_VERSION)) {
		printf("lxcfs-toolkit version %s, commit %s\n", ISULAD_VERSION, GIT_COMMIT);
		rc = 0;
		goto out;
	}
	struct toolkit tk = {.mount_point = cli_string(v, OPT_MOUNT_POINT),
	                     .graph = cli_string(v, OPT_GRAPH)};
	if (!tk.mount_point || !*tk.mount_point)
		tk.mount_point = getenv("LXCFS_MOUNT_POINT");
	if (!tk.mount_point || !*tk.mount_point)
		tk.mount_point = LXCFS_DEFAULT_MOUNT_POINT;
	if (!tk.graph || !*tk.graph) {
		graph = configured_graph();
		tk.graph = graph ? graph : TOOLKIT_DEFAULT_GRAPH;
	}
	const char *log_path = cli_string(v, OPT_LOG);
	if (log_path) {
		FILE *f = fopen(log_path, "ae");
		if (!f) {
			fprintf(stderr, "lxcfs-toolkit: cannot open the log file %s: %m\n",
			        log_path);
			goto out;
		}
		fclose(f);
		log_init(LOG_LVL_INFO, log_path);
		tk.logging = true;
	}
	if (cli_npositional(v) == 0) {
		fprintf(stderr,
		        "lxcfs-toolkit: no command given; expected one of: remount, umount, "
		        "check-lxcfs, prestart\nSee 'lxcfs-toolkit --help'.\n");
		goto out;
	}
	const char *cmd = cli_positional(v, 0);
	size_t nargs = cli_npositional(v) - 1;
	for (size_t k = 0; k < NCOMMANDS; k++) {
		if (strcmp(cmd, g_commands[k].name) == 0) {
			/* The command's arguments are the tail of argv. */
			rc = g_commands[k].fn(&tk, (int)nargs, argv + argc - nargs);
			goto out;
		}
	}
	tk_error(&tk,
	         "unknown command \"%s\"; expected one of: remount, umount, check-lxcfs, prestart",
	         cmd);
out:
	free(graph);
	cli_values_free(v);
	return rc;
}
