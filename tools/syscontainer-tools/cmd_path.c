/* isulad-tools add-path, remove-path, list-path (research/tools.md §1.8): host files and
 * directories bind-mounted into a container (lib/hotplug/path.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_gen.h>

#include "core/cli_args.h"
#include "core/json.h"
#include "core/strv.h"
#include "hotplug/path.h"
#include "hotplug/list_json.h"
#include "tool.h"

enum { OPT_HELP };
static const struct cli_option g_change_opts[] = {
    [OPT_HELP] = {"help", 'h', CLI_BOOL, NULL, "Print usage"},
};

enum { LOPT_PRETTY, LOPT_HELP };
static const struct cli_option g_list_opts[] = {
    [LOPT_PRETTY] = {"pretty", 'p', CLI_BOOL, NULL, "List the paths in pretty JSON form"},
    [LOPT_HELP] = {"help", 'h', CLI_BOOL, NULL, "Print usage"},
};

/* Parses every binding of an add-path or remove-path; NULL after printing the error. */
static struct hp_bind *parse_binds(struct cli_values *v, bool add, size_t *n)
{
	*n = cli_npositional(v) - 1;
	struct hp_bind *b = calloc(*n, sizeof(*b));
	if (!b) {
		tool_fail("out of memory");
		return NULL;
	}
	for (size_t i = 0; i < *n; i++) {
		const char *spec = cli_positional(v, i + 1);
		struct error e = {0};
		if (hp_bind_parse(spec, &b[i], &e) < 0 ||
		    (add && hotplug_path_check_source(&b[i], &e) < 0)) {
			tool_fail("Failed to parse bind: %s, %s", spec, e.msg);
			for (size_t k = 0; k <= i; k++)
				hp_bind_free(&b[k]);
			free(b);
			return NULL;
		}
	}
	return b;
}

static int change_paths(const struct tool *tool, int argc, char **argv, bool add)
{
	const char *cmd = add ? "add-path" : "remove-path";
	int rc;
	struct cli_values *v =
	    tool_parse(cmd,
	               add ? "<container_id> hostpath:containerpath[:permission] "
	                     "[...]"
	                   : "<container_id> hostpath:containerpath [...]",
	               g_change_opts, 1, OPT_HELP, argc, argv, &rc);
	if (!v)
		return rc;
	rc = 1;
	if (cli_npositional(v) < 2) {
		tool_fail("isulad-tools: \"%s\" requires a minimum of 2 args", cmd);
		goto out;
	}
	size_t n;
	struct hp_bind *b = parse_binds(v, add, &n);
	if (!b)
		goto out;
	const char *ref = cli_positional(v, 0);
	struct tool_session s;
	if (tool_session_open(tool, ref, false, &s) == 0) {
		struct error e = {0};
		char **notes = NULL;
		int ret = add ? hotplug_paths_add(&s.t, &s.r, b, n, s.live, &e)
		              : hotplug_paths_remove(&s.t, &s.r, b, n, s.live, &notes, &e);
		for (size_t i = 0; notes && notes[i]; i++)
			fprintf(stderr, "Warning: %s\n", notes[i]);
		strv_free(notes);
		if (ret < 0) {
			tool_fail("Failed to %s path: %s", add ? "add" : "remove", e.msg);
		} else {
			for (size_t i = 0; i < n; i++) {
				if (add)
					printf("Add path (%s) to container(%s,%s) done.\n",
					       b[i].host, ref, b[i].ctr);
				else
					printf("Remove path (%s) from container(%s,%s) done\n",
					       b[i].host, ref, b[i].ctr);
			}
			rc = 0;
		}
		tool_session_close(&s);
	}
	for (size_t i = 0; i < n; i++)
		hp_bind_free(&b[i]);
	free(b);
out:
	cli_values_free(v);
	return rc;
}

int cmd_add_path(const struct tool *tool, int argc, char **argv)
{
	return change_paths(tool, argc, argv, true);
}

int cmd_remove_path(const struct tool *tool, int argc, char **argv)
{
	return change_paths(tool, argc, argv, false);
}

/* The original's output: json.Marshal of the list, or json.MarshalIndent with a tab. */
static int print_list(char *const *items, size_t n, bool pretty)
{
	yajl_gen g = hp_list_begin(pretty);
	for (size_t i = 0; g && i < n; i++)
		jg_str(g, items[i]);
	return tool_print_text(g ? hp_list_end(g, n) : NULL);
}

int cmd_list_path(const struct tool *tool, int argc, char **argv)
{
	int rc;
	struct cli_values *v = tool_parse("list-path", "[--pretty] <container_id>", g_list_opts, 2,
	                                  LOPT_HELP, argc, argv, &rc);
	if (!v)
		return rc;
	rc = 1;
	if (cli_npositional(v) < 1) {
		tool_fail("isulad-tools: \"list-path\" must accept a container-id");
	} else if (cli_npositional(v) > 1) {
		tool_fail("Don't put container-id in the middle of options");
	} else {
		struct tool_session s;
		if (tool_session_open(tool, cli_positional(v, 0), true, &s) == 0) {
			rc = print_list(s.r.binds, s.r.n_binds, cli_bool(v, LOPT_PRETTY));
			tool_session_close(&s);
		}
	}
	cli_values_free(v);
	return rc;
}
