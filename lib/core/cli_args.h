/* Table-driven flag parser for the `isula` client, following Docker/iSulad flag syntax. */
#ifndef LIB_CORE_CLI_ARGS_H
#define LIB_CORE_CLI_ARGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum cli_opt_kind {
	CLI_BOOL,   /* --detach, --detach=true|false, -d, -d=false */
	CLI_STRING, /* takes a value; the last one given wins */
	CLI_LIST,   /* takes a value; repeats accumulate (-e A=1 -e B=2) */
};

struct cli_option {
	const char *long_name; /* "user" for --user, may be NULL */
	char short_name;       /* 'u' for -u, 0 if none */
	enum cli_opt_kind kind;
	const char *metavar; /* for help, e.g. "NAME"; NULL shows "string" or "list" */
	const char *help;
};

/* Parse results, indexed by option position in the table. Owns copies of all strings. */
struct cli_values;

/*
 * Parses argv[0..argc) (argv[0] is the first argument AFTER the subcommand name).
 *
 * A value-taking flag takes the rest of its token (`--user=root`, `-uroot`, `-u=root`) or else
 * the next argument, whatever it looks like (`--user root`, `--name -x`). Short flags combine:
 * `-tid`, `-du root`, `-du=root`. Bool flags never consume the next argument and accept only
 * "true"/"false" after '=' (`--detach=false`, `-d=false`). A lone "-" is positional.
 *
 * stop_at_positional: true for run/create/exec, where everything from the first positional on
 * is positional (the container command keeps its own flags, including "--"); false lets flags
 * and positionals mix. Before that point "--" ends flags and is dropped.
 *
 * Returns a new cli_values, or NULL with a message in err naming the offending flag or value:
 *   unknown flag: --foo               unknown shorthand flag: 'x' in -dx
 *   flag needs an argument: --user    flag needs an argument: -u
 *   invalid value "yes" for flag --detach: expected true or false
 *   bad flag syntax: ---foo
 */
struct cli_values *cli_parse(const struct cli_option *opts, size_t nopts, int argc, char **argv,
                             bool stop_at_positional, char *err, size_t errlen);

/* True if the flag appeared at all, even as --detach=false. */
bool cli_is_set(const struct cli_values *v, size_t idx);
/* The bool flag's last value; false if unset. */
bool cli_bool(const struct cli_values *v, size_t idx);
/* The last value given; NULL if unset. */
const char *cli_string(const struct cli_values *v, size_t idx);
/* Every value given, in order (also usable for CLI_STRING). */
size_t cli_list_len(const struct cli_values *v, size_t idx);
const char *cli_list_at(const struct cli_values *v, size_t idx, size_t i);

size_t cli_npositional(const struct cli_values *v);
const char *cli_positional(const struct cli_values *v, size_t i);

void cli_values_free(struct cli_values *v);

/*
 * Docker-style help:
 *   Usage:  <usage>
 *
 *   Options:
 *     -d, --detach          Run container in background
 *         --name NAME       Assign a name to the container
 */
void cli_print_help(FILE *out, const char *usage, const struct cli_option *opts, size_t nopts);

#endif
