/* isula network create|ls|inspect|rm, and isula port: one API call each. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "core/json.h"
#include "core/strbuf.h"
#include "engine/list_filter.h"

static void network_path(char *path, size_t len, const char *ref)
{
	char *esc = url_escape(ref);
	snprintf(path, len, "/networks/%s", esc ? esc : ref);
	free(esc);
}

static int net_create(struct client *cl, int argc, char **argv)
{
	enum { H, HELP, DRIVER, SUBNET, GATEWAY, INTERNAL, LABEL, N };
	static const struct cli_option opts[N] = {
	    [H] = {"host", 'H', CLI_STRING, "URL", "Daemon socket to connect to"},
	    [HELP] = {"help", 0, CLI_BOOL, NULL, "Print usage"},
	    [DRIVER] = {"driver", 'd', CLI_STRING, "DRIVER",
	                "Driver to manage the network (bridge)"},
	    [SUBNET] = {"subnet", 0, CLI_STRING, "CIDR", "Subnet in CIDR format"},
	    [GATEWAY] = {"gateway", 0, CLI_STRING, "IP", "IPv4 gateway of the subnet"},
	    [INTERNAL] = {"internal", 0, CLI_BOOL, NULL, "Restrict external access to the network"},
	    [LABEL] = {"label", 0, CLI_LIST, "KEY=VALUE", "Set metadata on a network"},
	};
	int code = 0;
	struct cli_values *v = parse_command_flags(cl, "isula network create [OPTIONS] NETWORK",
	                                           opts, N, HELP, H, argc, argv, false, 1, &code);
	if (!v)
		return code;
	if (cli_npositional(v) != 1) {
		fprintf(stderr, "\"isula network create\" requires exactly 1 argument\n");
		cli_values_free(v);
		return 1;
	}
	yajl_gen g = yajl_gen_alloc(NULL);
	yajl_gen_map_open(g);
	jg_kstr(g, "Name", cli_positional(v, 0));
	jg_kstr(g, "Driver", cli_string(v, DRIVER) ? cli_string(v, DRIVER) : "bridge");
	jg_kbool(g, "Internal", cli_bool(v, INTERNAL));
	jg_key(g, "IPAM");
	yajl_gen_map_open(g);
	jg_kstr(g, "Driver", "default");
	jg_key(g, "Config");
	yajl_gen_array_open(g);
	if (cli_string(v, SUBNET) || cli_string(v, GATEWAY)) {
		yajl_gen_map_open(g);
		if (cli_string(v, SUBNET))
			jg_kstr(g, "Subnet", cli_string(v, SUBNET));
		if (cli_string(v, GATEWAY))
			jg_kstr(g, "Gateway", cli_string(v, GATEWAY));
		yajl_gen_map_close(g);
	}
	yajl_gen_array_close(g);
	yajl_gen_map_close(g);
	gen_labels(g, v, LABEL);
	yajl_gen_map_close(g);
	char *body = jg_finish(g, NULL);
	struct api_response r;
	code = EXIT_DAEMON_ERROR;
	if (body && api_call(cl, "POST", "/networks/create", body, &r) == 0) {
		yajl_val root = r.status == 201 ? json_parse(r.body, NULL, 0) : NULL;
		const char *id = json_get_str(root, "Id");
		if (id) {
			printf("%s\n", id);
			code = 0;
		} else {
			print_daemon_error(&r);
		}
		if (root)
			yajl_tree_free(root);
		api_response_free(&r);
	}
	free(body);
	cli_values_free(v);
	return code;
}

static void print_row(yajl_val n, bool quiet, bool trunc)
{
	const char *id = json_get_str(n, "Id");
	if (quiet) {
		printf("%.*s\n", trunc ? 12 : 64, id ? id : "");
		return;
	}
	yajl_val cfgs = json_get(json_get(n, "IPAM"), "Config");
	yajl_val first =
	    cfgs && YAJL_IS_ARRAY(cfgs) && cfgs->u.array.len ? cfgs->u.array.values[0] : NULL;
	const char *subnet = json_get_str(first, "Subnet");
	printf("%-14.*s %-20s %-8s %-18s %s\n", trunc ? 12 : 64, id ? id : "",
	       json_get_str(n, "Name"), json_get_str(n, "Driver"), subnet ? subnet : "",
	       json_get_bool(n, "Internal", false) ? "internal" : "");
}

static int net_ls(struct client *cl, int argc, char **argv)
{
	enum { H, HELP, QUIET, FILTER, NOTRUNC, N };
	static const struct cli_option opts[N] = {
	    [H] = {"host", 'H', CLI_STRING, "URL", "Daemon socket to connect to"},
	    [HELP] = {"help", 0, CLI_BOOL, NULL, "Print usage"},
	    [QUIET] = {"quiet", 'q', CLI_BOOL, NULL, "Only display network IDs"},
	    [FILTER] = {"filter", 'f', CLI_LIST, "KEY=VALUE",
	                "Filter output (name=, id=, driver=, label=)"},
	    [NOTRUNC] = {"no-trunc", 0, CLI_BOOL, NULL, "Do not truncate the output"},
	};
	int code = 0;
	struct cli_values *v = parse_command_flags(cl, "isula network ls [OPTIONS]", opts, N, HELP,
	                                           H, argc, argv, false, 0, &code);
	if (!v)
		return code;
	size_t nf = cli_list_len(v, FILTER);
	char **flags = calloc(nf + 1, sizeof(char *));
	char err[512] = "out of memory";
	for (size_t i = 0; flags && i < nf; i++)
		flags[i] = (char *)cli_list_at(v, FILTER, i);
	char *filters = flags ? list_filters_from_flags(flags, nf, err, sizeof(err)) : NULL;
	free(flags);
	if (!filters) {
		fprintf(stderr, "%s\n", err);
		cli_values_free(v);
		return 1;
	}
	char *esc = filters ? url_escape(filters) : NULL;
	char path[4096];
	snprintf(path, sizeof(path), "/networks?filters=%s", esc ? esc : "");
	struct api_response r;
	code = 1;
	if (esc && api_call(cl, "GET", path, NULL, &r) == 0) {
		yajl_val root = r.status == 200 ? json_parse(r.body, NULL, 0) : NULL;
		if (root && YAJL_IS_ARRAY(root)) {
			bool quiet = cli_bool(v, QUIET), trunc = !cli_bool(v, NOTRUNC);
			if (!quiet)
				printf("%-14s %-20s %-8s %-18s %s\n", "NETWORK ID", "NAME",
				       "DRIVER", "SUBNET", "");
			for (size_t i = 0; i < root->u.array.len; i++)
				print_row(root->u.array.values[i], quiet, trunc);
			code = 0;
		} else {
			print_daemon_error(&r);
		}
		if (root)
			yajl_tree_free(root);
		api_response_free(&r);
	}
	free(esc);
	free(filters);
	cli_values_free(v);
	return code;
}

static int net_inspect(struct client *cl, int argc, char **argv)
{
	static const struct cli_option opts[] = {
	    [0] = {"host", 'H', CLI_STRING, "URL", "Daemon socket to connect to"},
	    [1] = {"help", 0, CLI_BOOL, NULL, "Print usage"},
	    [2] = {"format", 'f', CLI_STRING, "TEMPLATE",
	           "Format the output using the given go template"},
	};
	int code = 0;
	struct cli_values *v =
	    parse_command_flags(cl, "isula network inspect [OPTIONS] NETWORK [NETWORK...]", opts, 3,
	                        1, 0, argc, argv, false, 1, &code);
	if (!v)
		return code;
	code = inspect_print_each(cl, v, cli_string(v, 2), network_path);
	cli_values_free(v);
	return code;
}

static int net_rm(struct client *cl, int argc, char **argv)
{
	static const struct cli_option opts[] = {
	    [0] = {"host", 'H', CLI_STRING, "URL", "Daemon socket to connect to"},
	    [1] = {"help", 0, CLI_BOOL, NULL, "Print usage"},
	};
	int code = 0;
	struct cli_values *v = parse_command_flags(cl, "isula network rm NETWORK [NETWORK...]",
	                                           opts, 2, 1, 0, argc, argv, false, 1, &code);
	if (!v)
		return code;
	for (size_t i = 0; i < cli_npositional(v); i++) {
		char path[1024];
		network_path(path, sizeof(path), cli_positional(v, i));
		struct api_response r;
		if (api_call(cl, "DELETE", path, NULL, &r) < 0) {
			code = 1;
			break;
		}
		if (r.status == 204) {
			printf("%s\n", cli_positional(v, i));
		} else {
			print_daemon_error(&r);
			code = 1;
		}
		api_response_free(&r);
	}
	cli_values_free(v);
	return code;
}

int cmd_network(struct client *cl, int argc, char **argv)
{
	static const struct {
		const char *name, *alias;
		command_fn fn;
		const char *help;
	} subs[] = {
	    {"create", NULL, net_create, "Create a network"},
	    {"ls", "list", net_ls, "List networks"},
	    {"inspect", NULL, net_inspect, "Display detailed information on one or more networks"},
	    {"rm", "remove", net_rm, "Remove one or more networks"},
	};
	const size_t n = sizeof(subs) / sizeof(subs[0]);
	const char *sub = argc > 0 ? argv[0] : NULL;
	for (size_t i = 0; sub && i < n; i++) {
		if (strcmp(sub, subs[i].name) == 0 ||
		    (subs[i].alias && strcmp(sub, subs[i].alias) == 0))
			return subs[i].fn(cl, argc - 1, argv + 1);
	}
	FILE *out = sub && strcmp(sub, "--help") != 0 ? stderr : stdout;
	if (sub && out == stderr)
		fprintf(stderr, "isula network: unknown command \"%s\"\n\n", sub);
	fprintf(out, "Usage:  isula network COMMAND\n\nManage networks\n\nCommands:\n");
	for (size_t i = 0; i < n; i++)
		fprintf(out, "  %-9s %s\n", subs[i].name, subs[i].help);
	return out == stderr ? 1 : 0;
}

int cmd_port(struct client *cl, int argc, char **argv)
{
	static const struct cli_option opts[] = {
	    [0] = {"host", 'H', CLI_STRING, "URL", "Daemon socket to connect to"},
	    [1] = {"help", 0, CLI_BOOL, NULL, "Print usage"},
	};
	int code = 0;
	struct cli_values *v =
	    parse_command_flags(cl, "isula port CONTAINER [PRIVATE_PORT[/PROTO]]", opts, 2, 1, 0,
	                        argc, argv, false, 1, &code);
	if (!v)
		return code;
	char path[1024];
	container_path(path, sizeof(path), cli_positional(v, 0), "/json");
	const char *want = cli_npositional(v) > 1 ? cli_positional(v, 1) : NULL;
	struct api_response r;
	code = 1;
	if (api_call(cl, "GET", path, NULL, &r) == 0) {
		yajl_val root = r.status == 200 ? json_parse(r.body, NULL, 0) : NULL;
		yajl_val ports = json_get(json_get(root, "NetworkSettings"), "Ports");
		if (root) {
			code = 0;
			bool found = false;
			for (size_t i = 0;
			     ports && YAJL_IS_OBJECT(ports) && i < ports->u.object.len; i++) {
				const char *key = ports->u.object.keys[i];
				size_t wl = want ? strlen(want) : 0;
				if (want && strcmp(key, want) != 0 &&
				    !(strncmp(key, want, wl) == 0 && strcmp(key + wl, "/tcp") == 0))
					continue;
				yajl_val b = ports->u.object.values[i];
				for (size_t j = 0; b && YAJL_IS_ARRAY(b) && j < b->u.array.len;
				     j++) {
					yajl_val e = b->u.array.values[j];
					if (want)
						printf("%s:%s\n", json_get_str(e, "HostIp"),
						       json_get_str(e, "HostPort"));
					else
						printf("%s -> %s:%s\n", key,
						       json_get_str(e, "HostIp"),
						       json_get_str(e, "HostPort"));
					found = true;
				}
			}
			if (want && !found) {
				fprintf(stderr, "Error: No public port '%s' published for %s\n",
				        want, cli_positional(v, 0));
				code = 1;
			}
			yajl_tree_free(root);
		} else {
			print_daemon_error(&r);
		}
		api_response_free(&r);
	}
	cli_values_free(v);
	return code;
}
