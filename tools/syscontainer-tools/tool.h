/* isulad-tools: the commands' shared pieces. Each cmd_*.c parses its flags, opens a session on
 * the container (found through the engine, its record locked and loaded), calls lib/hotplug and
 * prints the original tools' messages: progress on stdout, errors on stderr, exit code 1. */
#ifndef TOOLS_SYSCONTAINER_TOOLS_TOOL_H
#define TOOLS_SYSCONTAINER_TOOLS_TOOL_H
#include <stdbool.h>

#include <stddef.h>

#include "core/cli_args.h"
#include "hotplug/record.h"
#include "hotplug/target.h"

struct tool {
	const char *host; /* -H/--host, else ISULAD_HOST, else NULL: the default socket */
};

struct tool_session {
	struct hotplug_target t;
	struct hotplug_record r;
	int lock; /* the record's lock, held until tool_session_close */
	/* The container runs and --update-config-only was not given: changes are applied to it
	 * as well as recorded. */
	bool live;
};

/* Checks the name (the original's rule), finds the container, takes its lock and loads its
 * record. 0, or 1 after printing the error. */
int tool_session_open(const struct tool *tool, const char *ref, bool config_only,
                      struct tool_session *s);
/* Writes the record. 0, or 1 after printing the error. */
int tool_session_save(struct tool_session *s);
void tool_session_close(struct tool_session *s);

/* Prints the message and a newline on stderr; returns 1 (the exit code). */
int tool_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Parses a command's flags, which may come before, between or after its arguments (the
 * original's habit). NULL after printing "Incorrect Usage: ..." and the command's help on
 * stderr (*rc 1), or its help on stdout for --help (opts[help]; *rc 0). usage: the command's
 * arguments, for the help's first line. */
struct cli_values *tool_parse(const char *cmd, const char *usage, const struct cli_option *opts,
                              size_t n, size_t help, int argc, char **argv, int *rc);
/* Prints text (malloc'd; freed) on stdout: 0, or 1 after saying "out of memory" for NULL. */
int tool_print_text(char *text);

/* The commands: argv holds the command's own arguments (after its name). */
int cmd_add_device(const struct tool *tool, int argc, char **argv);
int cmd_remove_device(const struct tool *tool, int argc, char **argv);
int cmd_list_device(const struct tool *tool, int argc, char **argv);
int cmd_update_device(const struct tool *tool, int argc, char **argv);
int cmd_add_nic(const struct tool *tool, int argc, char **argv);
int cmd_remove_nic(const struct tool *tool, int argc, char **argv);
int cmd_list_nic(const struct tool *tool, int argc, char **argv);
int cmd_update_nic(const struct tool *tool, int argc, char **argv);
int cmd_add_route(const struct tool *tool, int argc, char **argv);
int cmd_remove_route(const struct tool *tool, int argc, char **argv);
int cmd_list_route(const struct tool *tool, int argc, char **argv);
int cmd_add_path(const struct tool *tool, int argc, char **argv);
int cmd_remove_path(const struct tool *tool, int argc, char **argv);
int cmd_list_path(const struct tool *tool, int argc, char **argv);
#endif
