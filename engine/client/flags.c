/* The flag parsing every isula command shares: its own option table, plus --help and
 * -H/--host, and the count of positional arguments it needs. */
#include <stdio.h>
#include <string.h>

#include "client.h"
#include "core/json.h"

struct cli_values *parse_command_flags(struct client *cl, const char *usage_line,
                                       const struct cli_option *opts, size_t nopts, size_t help_idx,
                                       size_t host_idx, int argc, char **argv,
                                       bool stop_at_positional, size_t min_positional,
                                       int *exit_code)
{
	char err[512];
	struct cli_values *v =
	    cli_parse(opts, nopts, argc, argv, stop_at_positional, err, sizeof(err));
	if (!v) {
		fprintf(stderr, "%s\nSee '%s --help'.\n", err, usage_line);
		*exit_code = EXIT_DAEMON_ERROR;
		return NULL;
	}
	if (cli_bool(v, help_idx)) {
		cli_print_help(stdout, usage_line, opts, nopts);
		cli_values_free(v);
		*exit_code = 0;
		return NULL;
	}
	if (cli_string(v, host_idx)) {
		/* A copy: some commands free v before they call the daemon (version, info). */
		static char host[4096];
		snprintf(host, sizeof(host), "%s", cli_string(v, host_idx));
		cl->host = host;
	}
	if (cli_npositional(v) < min_positional) {
		fprintf(stderr, "\"%s\" requires at least %zu argument%s.\nUsage:  %s\n",
		        usage_line, min_positional, min_positional == 1 ? "" : "s", usage_line);
		cli_values_free(v);
		*exit_code = 1;
		return NULL;
	}
	return v;
}

void gen_labels(yajl_gen g, struct cli_values *v, size_t idx)
{
	jg_key(g, "Labels");
	yajl_gen_map_open(g);
	for (size_t i = 0; i < cli_list_len(v, idx); i++) {
		const char *l = cli_list_at(v, idx, i);
		const char *eq = strchr(l, '=');
		yajl_gen_string(g, (const unsigned char *)l, eq ? (size_t)(eq - l) : strlen(l));
		jg_str(g, eq ? eq + 1 : "");
	}
	yajl_gen_map_close(g);
}
