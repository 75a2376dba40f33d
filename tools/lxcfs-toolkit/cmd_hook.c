/* check-lxcfs, and prestart: the OCI hook that gives a starting container its lxcfs view. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/cli_args.h"
#include "engine/hook_state.h"
#include "lxcfs_views.h"
#include "ns_mount.h"
#include "toolkit.h"

enum { H_HELP };
static const struct cli_option g_hopts[] = {
    [H_HELP] = {"help", 'h', CLI_BOOL, NULL, "Print usage"},
};
#define NHOPTS (sizeof(g_hopts) / sizeof(g_hopts[0]))

/* Parses a command that takes no arguments; 1 = go on, else the exit code. */
static int no_args(const struct toolkit *tk, const char *verb, const char *usage_line, int argc,
                   char **argv)
{
	char err[512];
	struct cli_values *v = cli_parse(g_hopts, NHOPTS, argc, argv, false, err, sizeof(err));
	if (!v) {
		tk_error(tk, "%s: %s", verb, err);
		return 1;
	}
	int rc = -1;
	if (cli_bool(v, H_HELP)) {
		cli_print_help(stdout, usage_line, g_hopts, NHOPTS);
		rc = 0;
	} else if (cli_npositional(v) > 0) {
		tk_error(tk, "%s: takes no arguments, got \"%s\"", verb, cli_positional(v, 0));
		rc = 1;
	}
	cli_values_free(v);
	return rc;
}

int cmd_check_lxcfs(const struct toolkit *tk, int argc, char **argv)
{
	int rc = no_args(tk, "check-lxcfs", "lxcfs-toolkit check-lxcfs", argc, argv);
	if (rc >= 0)
		return rc;
	char why[512];
	if (lxcfs_check(tk->mount_point, why, sizeof(why)) < 0) {
		tk_error(tk, "lxcfs is not ready: %s", why);
		return 1;
	}
	tk_info(tk, "lxcfs is running");
	return 0;
}

int cmd_prestart(const struct toolkit *tk, int argc, char **argv)
{
	int rc = no_args(tk, "prestart", "lxcfs-toolkit prestart < STATE_JSON", argc, argv);
	if (rc >= 0)
		return rc;
	char err[512] = "out of memory", why[512];
	char *text = hook_state_read(STDIN_FILENO, err, sizeof(err));
	if (!text) {
		tk_error(tk, "prestart: %s", err);
		return 1;
	}
	struct hook_state st;
	if (text[strspn(text, " \t\r\n")] == '\0') {
		tk_error(tk, "prestart: no container state on stdin (the OCI state JSON, with "
		             "\"pid\", is expected)");
		free(text);
		return 1;
	}
	if (hook_state_parse(text, &st, err, sizeof(err)) < 0) {
		tk_error(tk, "prestart: bad container state on stdin: %s", err);
		free(text);
		return 1;
	}
	free(text);
	const char *id = st.id ? st.id : "(no id)";
	/* Without lxcfs the container still starts, reading the host's files: the seed's
	 * graceful degradation. */
	if (lxcfs_check(tk->mount_point, why, sizeof(why)) < 0) {
		tk_error(tk, "prestart: container %.12s starts without lxcfs views: %s", id, why);
		hook_state_free(&st);
		return 0;
	}
	int fds[LXCFS_VIEW_COUNT];
	struct ns_mount_result res;
	rc = 1;
	if (lxcfs_views_clone(tk->mount_point, st.pid, fds, err, sizeof(err)) < 0) {
		tk_error(tk, "prestart: container %.12s: %s", id, err);
		goto out;
	}
	struct ns_mount_job job = {.pid = st.pid, .root = st.root, .view_fds = fds};
	int ret = ns_mount_apply(&job, &res);
	lxcfs_views_close(fds);
	if (ret < 0) {
		tk_error(tk, "prestart: container %.12s: %s", id, res.err);
		goto out;
	}
	tk_info(tk, "prestart: container %.12s (pid %d): lxcfs mounted over %d files", id, st.pid,
	        res.mounted);
	rc = 0;
out:
	hook_state_free(&st);
	return rc;
}
