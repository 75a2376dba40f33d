/* isulad-tools add-route, remove-route, list-route (research/tools.md §1.7): rules given as a
 * JSON array of {"dest","src","gw","dev"}; recorded first, then applied in the running
 * container's network namespace (unless --update-config-only). A failed rule undoes the
 * rules of the same call and restores the record. */
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
	char err[512];
	*rc = 1;
	struct cli_values *v = cli_parse(opts, nopts, argc, argv, false, err, sizeof(err));
	if (!v) {
		fprintf(stderr, "Incorrect Usage: %s\n", err);
		return NULL;
	}
	if (cli_bool(v, (size_t)help)) {
		char usage[160];
		snprintf(usage, sizeof(usage), "isulad-tools %s [OPTIONS] <container_id>%s", cmd,
		         npos == 2 ? " '[{\"dest\":..,\"src\":..,\"gw\":..,\"dev\":..}]'" : "");
		cli_print_help(stdout, usage, opts, nopts);
		*rc = 0;
	} else if (cli_npositional(v) != npos) {
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

static int with_net(struct tool_session *s, struct hp_net *net, struct error *e)
{
	return hp_net_open_target(&s->t, net, e);
}

int cmd_add_route(const struct tool *tool, int argc, char **argv)
{
	int rc;
	struct cli_values *v = parse("add-route", g_opts, A_N, A_HELP, 2, argc, argv, &rc);
	if (!v)
		return rc;
	const char *ref = cli_positional(v, 0), *text = cli_positional(v, 1);
	struct hp_route *rules = NULL;
	size_t n = 0, done = 0;
	struct error e = {0};
	struct tool_session s;
	bool opened = false;
	char buf[256];
	rc = 1;
	if (hp_routes_parse(text, strlen(text), &rules, &n, &e) < 0) {
		tool_fail("%s", e.msg);
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		if (hp_route_validate(&rules[i], &e) < 0) {
			tool_fail("failed to add route: %s", e.msg);
			goto out;
		}
		for (size_t j = 0; j < i; j++)
			if (hp_route_match(&rules[j], &rules[i]) ||
			    hp_route_match(&rules[i], &rules[j])) {
				tool_fail("failed to add route: route %s alread exist",
				          hp_route_str(&rules[i], buf, sizeof(buf)));
				goto out;
			}
	}
	if (tool_session_open(tool, ref, cli_bool(v, A_CONFIG_ONLY), &s))
		goto out;
	opened = true;
	size_t before = s.r.n_routes;
	if (before + n > HOTPLUG_MAX_ROUTES) {
		tool_fail("failed to add route: at most %d routes in a container",
		          HOTPLUG_MAX_ROUTES);
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < before; j++)
			if (hp_route_match(&rules[i], &s.r.routes[j])) {
				tool_fail("failed to add route: route %s alread exist",
				          hp_route_str(&s.r.routes[j], buf, sizeof(buf)));
				goto out;
			}
	/* Recorded first; the record keeps its own copies. */
	for (size_t i = 0; i < n; i++) {
		struct hp_route c = {0};
		if ((rules[i].dest && !(c.dest = strdup(rules[i].dest))) ||
		    (rules[i].src && !(c.src = strdup(rules[i].src))) ||
		    (rules[i].gw && !(c.gw = strdup(rules[i].gw))) ||
		    (rules[i].dev && !(c.dev = strdup(rules[i].dev))) ||
		    hp_array_push(&s.r.routes, &s.r.n_routes, sizeof(c), &c) < 0) {
			hp_route_free(&c);
			tool_fail("out of memory");
			goto restore;
		}
	}
	if (tool_session_save(&s))
		goto restore;
	if (s.live) {
		struct hp_net net;
		if (with_net(&s, &net, &e) < 0) {
			tool_fail("failed to add route: %s", e.msg);
			goto restore;
		}
		for (; done < n; done++)
			if (hp_route_apply(&net, &rules[done], &e) < 0)
				break;
		if (done < n) {
			struct error ignored;
			while (done > 0)
				hp_route_unapply(&net, &rules[--done], &ignored);
			hp_net_close(&net);
			tool_fail("failed to add route: %s", e.msg);
			goto restore;
		}
		hp_net_close(&net);
	}
	for (size_t i = 0; i < n; i++)
		printf("Add route to container %s, route: %s done\n", ref,
		       hp_route_str(&rules[i], buf, sizeof(buf)));
	rc = 0;
	goto out;
restore:
	while (s.r.n_routes > before)
		hp_route_free(&s.r.routes[--s.r.n_routes]);
	tool_session_save(&s);
out:
	if (opened)
		tool_session_close(&s);
	hp_routes_free(rules, n);
	cli_values_free(v);
	return rc;
}

int cmd_remove_route(const struct tool *tool, int argc, char **argv)
{
	int rc;
	struct cli_values *v = parse("remove-route", g_opts, A_N, A_HELP, 2, argc, argv, &rc);
	if (!v)
		return rc;
	const char *ref = cli_positional(v, 0), *text = cli_positional(v, 1);
	struct hp_route *rules = NULL, *kept = NULL, *gone = NULL, *orig = NULL;
	size_t n = 0, n_kept = 0, n_gone = 0, n_orig = 0;
	struct error e = {0};
	struct tool_session s;
	bool opened = false;
	char buf[256];
	rc = 1;
	if (hp_routes_parse(text, strlen(text), &rules, &n, &e) < 0) {
		tool_fail("%s", e.msg);
		goto out;
	}
	if (tool_session_open(tool, ref, cli_bool(v, A_CONFIG_ONLY), &s))
		goto out;
	opened = true;
	for (size_t i = 0; i < n; i++) {
		size_t j = 0;
		while (j < s.r.n_routes && !hp_route_match(&rules[i], &s.r.routes[j]))
			j++;
		if (j == s.r.n_routes) {
			tool_fail(
			    "failed to remove route: Route(%s) is not added by isulad-tools, can "
			    "not remove it, please check input parameter.",
			    hp_route_str(&rules[i], buf, sizeof(buf)));
			goto out;
		}
	}
	/* The record without every route a rule matches (shallow copies: the strings stay
	 * owned by the original array until the change holds). */
	n_orig = s.r.n_routes;
	orig = s.r.routes;
	kept = calloc(n_orig + 1, sizeof(*kept));
	gone = calloc(n_orig + 1, sizeof(*gone));
	if (!kept || !gone) {
		tool_fail("out of memory");
		goto out;
	}
	for (size_t j = 0; j < n_orig; j++) {
		bool match = false;
		for (size_t i = 0; i < n && !match; i++)
			match = hp_route_match(&rules[i], &orig[j]);
		if (match)
			gone[n_gone++] = orig[j];
		else
			kept[n_kept++] = orig[j];
	}
	s.r.routes = kept;
	s.r.n_routes = n_kept;
	int failed = tool_session_save(&s);
	if (!failed && s.live) {
		struct hp_net net;
		size_t done = 0;
		if (with_net(&s, &net, &e) < 0) {
			failed = tool_fail("failed to remove route: %s", e.msg);
		} else {
			for (; done < n_gone; done++)
				if (hp_route_unapply(&net, &gone[done], &e) < 0)
					break;
			if (done < n_gone) {
				struct error ignored;
				while (done > 0)
					hp_route_apply(&net, &gone[--done], &ignored);
				failed = tool_fail("failed to remove route: %s", e.msg);
			}
			hp_net_close(&net);
		}
	}
	if (failed) {
		s.r.routes = orig;
		s.r.n_routes = n_orig;
		tool_session_save(&s);
		goto out;
	}
	for (size_t i = 0; i < n_gone; i++)
		printf("Remove route from container %s, route: %s done\n", ref,
		       hp_route_str(&gone[i], buf, sizeof(buf)));
	for (size_t i = 0; i < n_gone; i++)
		hp_route_free(&gone[i]);
	free(orig);
	kept = NULL; /* the record's now */
	rc = 0;
out:
	free(kept);
	free(gone);
	if (opened)
		tool_session_close(&s);
	hp_routes_free(rules, n);
	cli_values_free(v);
	return rc;
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
			char *out =
			    hp_route_list_render(&s.r, ftext ? &f : NULL, cli_bool(v, L_PRETTY));
			if (!out) {
				tool_fail("out of memory");
			} else {
				fputs(out, stdout);
				rc = 0;
			}
			free(out);
			tool_session_close(&s);
		}
		if (ftext)
			hp_route_free(&f);
	}
	cli_values_free(v);
	return rc;
}
