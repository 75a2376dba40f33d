/* isulad-tools add-route, remove-route, list-route (research/tools.md §1.7): rules given as a
 * JSON array of {"dest","src","gw","dev"}; the flags and rules parsed here, the flows (record,
 * live change, rollback) in lib/hotplug/route_ops.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/cli_args.h"
#include "hotplug/route.h"
#include "tool.h"

enum { A_CONFIG_ONLY, A_HELP, A_N };
static const struct cli_option g_opts[] = {
    [A_CONFIG_ONLY] = {"update-config-only", 0, CLI_BOOL, NULL,
                       "Only record the change; it is applied at the next start"},
    [A_HELP] = {"help", 'h', CLI_BOOL, NULL, "Print usage"},
};
enum { L_PRETTY, L_FILTER, L_HELP, L_N };
static const struct cli_option g_list_opts[] = {
    [L_PRETTY] = {"pretty", 'p', CLI_BOOL, NULL, "Indent the JSON output"},
    [L_FILTER] = {"filter", 'f', CLI_STRING, "JSON", "Only the routes matching these fields"},
    [L_HELP] = {"help", 'h', CLI_BOOL, NULL, "Print usage"},
};

/* Parses the flags of add-route/remove-route: the container and the rules. NULL after
 * printing the error or the help (*rc 0). */
static struct cli_values *parse(const char *cmd, const struct cli_option *opts, size_t nopts,
                                int help, size_t npos, int argc, char **argv, int *rc)
{
	struct cli_values *v = tool_parse(
	    cmd,
	    npos == 2 ? "[OPTIONS] <container_id> '[{\"dest\":..,\"src\":..,\"gw\":..,\"dev\":..}]'"
	              : "[OPTIONS] <container_id>",
	    opts, nopts, (size_t)help, argc, argv, rc);
	if (!v)
		return NULL;
	*rc = 1;
	if (cli_npositional(v) != npos) {
		if (npos == 2)
			tool_fail("isulad-tools: \"%s\" must accept container-id and rules", cmd);
		else
			tool_fail("isulad-tools: \"%s\" must accept a container-id", cmd);
	} else if (!*cli_positional(v, 0)) {
		tool_fail("container-id can't be empty");
	} else {
		return v;
	}
	cli_values_free(v);
	return NULL;
}

/* add-route and remove-route: the rules parsed (and for add-route checked) before the
 * container is looked up, then the lib's flow. */
static int change_routes(const struct tool *tool, const char *cmd, int argc, char **argv)
{
	bool add = strcmp(cmd, "add-route") == 0;
	int rc;
	struct cli_values *v = parse(cmd, g_opts, A_N, A_HELP, 2, argc, argv, &rc);
	if (!v)
		return rc;
	const char *ref = cli_positional(v, 0), *text = cli_positional(v, 1);
	struct hp_route *rules = NULL;
	size_t n = 0;
	struct error e = {0};
	struct tool_session s;
	rc = 1;
	if (hp_routes_parse(text, strlen(text), &rules, &n, &e) < 0 ||
	    (add && hp_routes_check(rules, n, &e) < 0)) {
		tool_fail("%s", e.msg);
	} else if (tool_session_open(tool, ref, cli_bool(v, A_CONFIG_ONLY), &s) == 0) {
		if ((add ? hotplug_routes_add : hotplug_routes_remove)(&s.t, &s.r, s.live, rules, n,
		                                                       stdout, &e) < 0)
			tool_fail("%s", e.msg);
		else
			rc = 0;
		tool_session_close(&s);
	}
	hp_routes_free(rules, n);
	cli_values_free(v);
	return rc;
}

int cmd_add_route(const struct tool *tool, int argc, char **argv)
{
	return change_routes(tool, "add-route", argc, argv);
}

int cmd_remove_route(const struct tool *tool, int argc, char **argv)
{
	return change_routes(tool, "remove-route", argc, argv);
}

int cmd_list_route(const struct tool *tool, int argc, char **argv)
{
	int rc;
	struct cli_values *v = parse("list-route", g_list_opts, L_N, L_HELP, 1, argc, argv, &rc);
	if (!v)
		return rc;
	struct hp_route f;
	struct error e = {0};
	struct tool_session s;
	const char *ftext = cli_string(v, L_FILTER);
	rc = 1;
	if (ftext && hp_route_filter_parse(ftext, &f, &e) < 0) {
		tool_fail("%s", e.msg);
	} else {
		if (tool_session_open(tool, cli_positional(v, 0), true, &s) == 0) {
			rc = tool_print_text(
			    hp_route_list_render(&s.r, ftext ? &f : NULL, cli_bool(v, L_PRETTY)));
			tool_session_close(&s);
		}
		if (ftext)
			hp_route_free(&f);
	}
	cli_values_free(v);
	return rc;
}
