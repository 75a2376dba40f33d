/* remount / umount: lxcfs views on or off running containers of the engine. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/cli_args.h"
#include "engine/engine_state.h"
#include "lxcfs_views.h"
#include "ns_mount.h"
#include "toolkit.h"

enum { C_ALL, C_ID, C_HELP };
static const struct cli_option g_copts[] = {
    [C_ALL] = {"all", 'a', CLI_BOOL, NULL, "All running containers (also: the argument \"all\")"},
    [C_ID] = {"container-id", 'c', CLI_LIST, "ID",
              "A container: ID, unique ID prefix or name (also as an argument; repeatable)"},
    [C_HELP] = {"help", 'h', CLI_BOOL, NULL, "Print usage"},
};
#define NCOPTS (sizeof(g_copts) / sizeof(g_copts[0]))

/* " (not in the container: proc/swaps, …)" for the targets it lacks; "" if none. */
static void describe_missing(unsigned mask, char *buf, size_t len)
{
	buf[0] = '\0';
	for (int i = 0; i < LXCFS_VIEW_COUNT; i++) {
		if (!(mask & (1u << i)))
			continue;
		size_t used = strlen(buf);
		snprintf(buf + used, len - used, "%s%s",
		         used ? ", " : " (not in the container: ", lxcfs_view_files[i]);
	}
	if (buf[0]) {
		size_t used = strlen(buf);
		snprintf(buf + used, len - used, ")");
	}
}

/* Adds c to the list unless it is there already (named twice). */
static void add_target(const struct engine_container **list, size_t *n,
                       const struct engine_container *c)
{
	for (size_t i = 0; i < *n; i++) {
		if (list[i] == c)
			return;
	}
	list[(*n)++] = c;
}

/* Resolves every container named before anything is touched: one bad name fails the lot. */
static int pick_targets(const struct toolkit *tk, const char *verb, const struct cli_values *v,
                        bool all, const struct engine_containers *cs,
                        const struct engine_container **list, size_t *n)
{
	char err[768];
	*n = 0;
	for (size_t i = 0; i < cs->n && all; i++) {
		if (cs->v[i].running)
			list[(*n)++] = &cs->v[i];
	}
	size_t npos = cli_npositional(v), nids = cli_list_len(v, C_ID);
	for (size_t i = 0; i < npos + nids; i++) {
		const char *ref = i < npos ? cli_positional(v, i) : cli_list_at(v, C_ID, i - npos);
		if (i < npos && strcmp(ref, "all") == 0)
			continue;
		const struct engine_container *c =
		    engine_containers_find(cs, ref, err, sizeof(err));
		if (!c) {
			tk_error(tk, "%s: %s (in %s)", verb, err, tk->graph);
			return -1;
		}
		if (!c->running) {
			tk_error(tk, "%s: container %s is not running", verb, ref);
			return -1;
		}
		add_target(list, n, c);
	}
	return 0;
}

/* One container: its old views off, and with mount, fresh ones on. */
static int apply_one(const struct toolkit *tk, const char *verb, bool mount,
                     const struct engine_container *c)
{
	char err[512];
	int fds[LXCFS_VIEW_COUNT];
	for (int i = 0; i < LXCFS_VIEW_COUNT; i++)
		fds[i] = -1;
	if (mount && lxcfs_views_clone(tk->mount_point, c->pid, fds, err, sizeof(err)) < 0) {
		tk_error(tk, "%s: container %.12s: %s", verb, c->id, err);
		return -1;
	}
	struct ns_mount_job job = {.pid = c->pid, .cgroup_id = c->id, .view_fds = fds};
	struct ns_mount_result res;
	int ret = ns_mount_apply(&job, &res);
	lxcfs_views_close(fds);
	if (ret < 0) {
		tk_error(tk, "%s: container %.12s: %s", verb, c->id, res.err);
		return -1;
	}
	char missing[512];
	describe_missing(res.missing_mask, missing, sizeof(missing));
	if (mount)
		tk_info(tk, "container %.12s: lxcfs mounted over %d files%s", c->id, res.mounted,
		        missing);
	else
		tk_info(tk, "container %.12s: lxcfs unmounted from %d files", c->id, res.unmounted);
	return 0;
}

static int run(const struct toolkit *tk, const char *verb, bool mount, int argc, char **argv)
{
	char err[512], usage_line[64];
	snprintf(usage_line, sizeof(usage_line), "lxcfs-toolkit %s all|ID...", verb);
	struct cli_values *v = cli_parse(g_copts, NCOPTS, argc, argv, false, err, sizeof(err));
	if (!v) {
		tk_error(tk, "%s: %s", verb, err);
		return 1;
	}
	int rc = 1;
	struct engine_containers cs = {0};
	const struct engine_container **list = NULL;
	if (cli_bool(v, C_HELP)) {
		cli_print_help(stdout, usage_line, g_copts, NCOPTS);
		rc = 0;
		goto out;
	}
	bool all = cli_bool(v, C_ALL);
	size_t named = cli_list_len(v, C_ID);
	for (size_t i = 0; i < cli_npositional(v); i++) {
		if (strcmp(cli_positional(v, i), "all") == 0)
			all = true;
		else
			named++;
	}
	if (all && named) {
		tk_error(tk, "%s: give either \"all\" or container IDs, not both", verb);
		goto out;
	}
	if (!all && !named) {
		tk_error(tk,
		         "%s: you must choose at least one container: \"all\" or a container ID",
		         verb);
		goto out;
	}
	/* lxcfs must serve before any old view is taken off: nothing is half done. */
	if (mount && lxcfs_check(tk->mount_point, err, sizeof(err)) < 0) {
		tk_error(tk, "%s: %s", verb, err);
		goto out;
	}
	if (engine_containers_load(tk->graph, &cs, err, sizeof(err)) < 0) {
		tk_error(tk, "%s: %s", verb, err);
		goto out;
	}
	list = calloc(cs.n + named + 1, sizeof(*list));
	size_t n = 0;
	if (!list || pick_targets(tk, verb, v, all, &cs, list, &n) < 0)
		goto out;
	rc = 0;
	for (size_t i = 0; i < n; i++) {
		if (apply_one(tk, verb, mount, list[i]) < 0)
			rc = 1;
	}
	if (n == 0)
		tk_info(tk, "%s: no running containers", verb);
out:
	free(list);
	engine_containers_free(&cs);
	cli_values_free(v);
	return rc;
}

int cmd_remount(const struct toolkit *tk, int argc, char **argv)
{
	return run(tk, "remount", true, argc, argv);
}

int cmd_umount(const struct toolkit *tk, int argc, char **argv)
{
	return run(tk, "umount", false, argc, argv);
}
