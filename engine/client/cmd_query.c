/* ps, inspect, version, info. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "client.h"
#include "inspect_template.h"
#include "core/json.h"
#include "core/strbuf.h"
#include "core/units.h"
#include "core/version.h"
#include "engine/list_filter.h"

enum { Q_HOST, Q_HELP, Q_ALL, Q_QUIET, Q_NO_TRUNC, Q_FILTER, Q_FORMAT, Q_LATEST, Q_LAST, Q_COUNT };

/* Builds {"key":["v1","v2"],...} from -f key=value flags. */
static char *filters_json(struct cli_values *v, char *err, size_t errlen)
{
	size_t n = cli_list_len(v, Q_FILTER);
	char **flags = calloc(n + 1, sizeof(char *));
	if (!flags) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	for (size_t i = 0; i < n; i++)
		flags[i] = (char *)cli_list_at(v, Q_FILTER, i);
	char *json = list_filters_from_flags(flags, n, err, errlen);
	free(flags);
	return json;
}

static void print_row(char **cells, size_t cols, const size_t *width)
{
	for (size_t c = 0; c < cols; c++) {
		if (c + 1 == cols)
			printf("%s\n", cells[c] ? cells[c] : "");
		else
			printf("%-*s   ", (int)width[c], cells[c] ? cells[c] : "");
	}
}

/* Docker's PORTS cell: "0.0.0.0:8080->80/tcp, ...". */
static char *ports_cell(yajl_val ports)
{
	struct strbuf b = {0};
	for (size_t i = 0; ports && YAJL_IS_ARRAY(ports) && i < ports->u.array.len; i++) {
		yajl_val p = ports->u.array.values[i];
		const char *ip = json_get_str(p, "IP"), *type = json_get_str(p, "Type");
		strbuf_printf(&b, "%s%s:%lld->%lld/%s", i ? ", " : "", ip ? ip : "",
		              (long long)json_get_int(p, "PublicPort", 0),
		              (long long)json_get_int(p, "PrivatePort", 0), type ? type : "");
	}
	char *t = strbuf_take(&b);
	return t ? t : strdup("");
}

/* Docker's ps template fields of one container, as a JSON object for the template engine. */
static yajl_val ps_fields(yajl_val e, bool no_trunc, time_t now)
{
	yajl_gen g = yajl_gen_alloc(NULL);
	yajl_gen_map_open(g);
	const char *id = json_get_str(e, "Id"), *cmd = json_get_str(e, "Command");
	char buf[1200], ago[64];
	snprintf(buf, sizeof(buf), "%.*s", no_trunc ? 64 : 12, id ? id : "");
	jg_kstr(g, "ID", buf);
	jg_kstr(g, "Image", json_get_str(e, "Image"));
	if (!cmd)
		cmd = "";
	if (!no_trunc && strlen(cmd) > 20)
		snprintf(buf, sizeof(buf), "\"%.19s…\"", cmd);
	else
		snprintf(buf, sizeof(buf), "\"%s\"", cmd);
	jg_kstr(g, "Command", buf);
	time_t created = (time_t)json_get_int(e, "Created", now);
	struct tm tm;
	if (localtime_r(&created, &tm))
		strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S %z %Z", &tm);
	jg_kstr(g, "CreatedAt", buf);
	format_human_duration(now - created, ago, sizeof(ago));
	snprintf(buf, sizeof(buf), "%s ago", ago);
	jg_kstr(g, "RunningFor", buf);
	char *ports = ports_cell(json_get(e, "Ports"));
	jg_kstr(g, "Ports", ports);
	free(ports);
	jg_kstr(g, "Status", json_get_str(e, "Status"));
	jg_kstr(g, "State", json_get_str(e, "State"));
	yajl_val names = json_get(e, "Names");
	const char *name = names && YAJL_IS_ARRAY(names) && names->u.array.len &&
	                           YAJL_IS_STRING(names->u.array.values[0])
	                       ? YAJL_GET_STRING(names->u.array.values[0])
	                       : "";
	jg_kstr(g, "Names", name[0] == '/' ? name + 1 : name);
	/* Labels as Docker prints them ("k=v,k2=v2"); .Label "k" is index .LabelMap "k" here. */
	yajl_val labels = json_get(e, "Labels");
	struct strbuf lb = {0};
	for (size_t i = 0; labels && YAJL_IS_OBJECT(labels) && i < labels->u.object.len; i++) {
		const char *lv = YAJL_GET_STRING(labels->u.object.values[i]);
		strbuf_printf(&lb, "%s%s=%s", i ? "," : "", labels->u.object.keys[i], lv ? lv : "");
	}
	jg_kstr(g, "Labels", lb.data ? lb.data : "");
	strbuf_free(&lb);
	jg_key(g, "LabelMap");
	jg_value(g, labels && YAJL_IS_OBJECT(labels) ? labels : NULL);
	jg_kstr(g, "Mounts", "");
	jg_kstr(g, "Size", "");
	yajl_gen_map_close(g);
	char *text = jg_finish(g, NULL);
	yajl_val out = text ? json_parse(text, NULL, 0) : NULL;
	free(text);
	return out;
}

static void ps_table(yajl_val list, bool no_trunc)
{
	static const char *head[] = {"CONTAINER ID", "IMAGE", "COMMAND", "CREATED",
	                             "STATUS",       "PORTS", "NAMES"};
	static const char *field[] = {"ID",     "Image", "Command", "RunningFor",
	                              "Status", "Ports", "Names"};
	enum { COLS = 7 };
	size_t rows = list->u.array.len;
	char **cells = calloc((rows + 1) * COLS, sizeof(char *));
	size_t width[COLS] = {0};
	if (!cells)
		return;
	for (size_t c = 0; c < COLS; c++)
		cells[c] = strdup(head[c]);
	time_t now = time(NULL);
	for (size_t r = 0; r < rows; r++) {
		yajl_val f = ps_fields(list->u.array.values[r], no_trunc, now);
		for (size_t c = 0; c < COLS; c++) {
			const char *v = json_get_str(f, field[c]);
			cells[(r + 1) * COLS + c] = strdup(v ? v : "");
		}
		if (f)
			yajl_tree_free(f);
	}
	for (size_t i = 0; i < (rows + 1) * COLS; i++) {
		size_t len = cells[i] ? strlen(cells[i]) : 0;
		if (len > width[i % COLS])
			width[i % COLS] = len;
	}
	for (size_t r = 0; r <= rows; r++)
		print_row(cells + r * COLS, COLS, width);
	for (size_t i = 0; i < (rows + 1) * COLS; i++)
		free(cells[i]);
	free(cells);
}

/* Docker's header of each field, for "table" templates. */
static const char g_ps_headers[] =
    "{\"ID\":\"CONTAINER ID\",\"Image\":\"IMAGE\",\"Command\":\"COMMAND\","
    "\"CreatedAt\":\"CREATED AT\",\"RunningFor\":\"CREATED\",\"Ports\":\"PORTS\","
    "\"Status\":\"STATUS\",\"State\":\"STATE\",\"Names\":\"NAMES\",\"Labels\":\"LABELS\","
    "\"LabelMap\":{},\"Mounts\":\"MOUNTS\",\"Size\":\"SIZE\"}";

/* Prints lines whose cells are tab-separated as aligned columns (3 spaces apart). */
static void print_aligned(char **lines, size_t n)
{
	size_t width[64] = {0};
	for (size_t pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < n; i++) {
			size_t col = 0;
			for (char *p = lines[i]; p; col++) {
				char *tab = strchr(p, '\t');
				size_t len = tab ? (size_t)(tab - p) : strlen(p);
				if (pass == 0 && col < 64 && tab && len > width[col])
					width[col] = len;
				if (pass == 1)
					printf("%.*s%*s", (int)len, p,
					       tab && col < 64 ? (int)(width[col] - len + 3) : 0,
					       "");
				p = tab ? tab + 1 : NULL;
			}
			if (pass == 1)
				putchar('\n');
		}
	}
}

/* Docker's: a typed "\\t" or "\\n" in --format is a tab or a line break (the shell passes
 * them literally). In place. */
static void unescape_format(char *f)
{
	char *w = f;
	for (const char *r = f; *r; r++) {
		if (r[0] == '\\' && (r[1] == 't' || r[1] == 'n')) {
			*w++ = r[1] == 't' ? '\t' : '\n';
			r++;
		} else {
			*w++ = *r;
		}
	}
	*w = '\0';
}

static int ps_formatted(yajl_val list, const char *format_arg, bool no_trunc)
{
	char *format = strdup(format_arg);
	if (!format)
		return 1;
	unescape_format(format);
	bool table = strncmp(format, "table", 5) == 0 && (format[5] == ' ' || !format[5]);
	const char *tmpl = table ? format + 5 + (format[5] == ' ') : format;
	if (table && !*tmpl)
		tmpl = "{{.ID}}\t{{.Image}}\t{{.Command}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}"
		       "\t{{.Names}}";
	size_t n = list->u.array.len + 1;
	char **lines = calloc(n, sizeof(char *));
	char err[512] = "";
	size_t used = 0;
	int code = 0;
	time_t now = time(NULL);
	if (table) {
		yajl_val h = json_parse(g_ps_headers, NULL, 0);
		lines[used] = h ? inspect_template_render(tmpl, h, err, sizeof(err)) : NULL;
		if (h)
			yajl_tree_free(h);
		code = lines[used++] ? 0 : 1;
	}
	for (size_t i = 0; code == 0 && i < list->u.array.len; i++) {
		yajl_val f = ps_fields(list->u.array.values[i], no_trunc, now);
		lines[used] = f ? inspect_template_render(tmpl, f, err, sizeof(err)) : NULL;
		if (f)
			yajl_tree_free(f);
		code = lines[used++] ? 0 : 1;
	}
	if (code == 0 && table)
		print_aligned(lines, used);
	for (size_t i = 0; code == 0 && !table && i < used; i++)
		printf("%s\n", lines[i]);
	if (code)
		fprintf(stderr, "Error: invalid --format template: %s\n",
		        err[0] ? err : "out of memory");
	for (size_t i = 0; i < used; i++)
		free(lines[i]);
	free(lines);
	free(format);
	return code;
}

int cmd_ps(struct client *cl, int argc, char **argv)
{
	static const struct cli_option opts[] = {
	    [0] = {"host", 'H', CLI_STRING, "URL", "Daemon socket to connect to"},
	    [1] = {"help", 0, CLI_BOOL, NULL, "Print usage"},
	    [2] = {"all", 'a', CLI_BOOL, NULL,
	           "Display all containers (default shows just running)"},
	    [3] = {"quiet", 'q', CLI_BOOL, NULL, "Only display container IDs"},
	    [4] = {"no-trunc", 0, CLI_BOOL, NULL, "Don't truncate output"},
	    [5] = {"filter", 'f', CLI_LIST, "KEY=VALUE",
	           "Filter output (id, name, status, label, health)"},
	    [6] = {"format", 0, CLI_STRING, "TEMPLATE",
	           "Pretty-print containers using a Go template (\"table ...\" adds headers)"},
	    [7] = {"latest", 'l', CLI_BOOL, NULL,
	           "Show the latest created container (includes all states)"},
	    [8] = {"last", 'n', CLI_STRING, "N",
	           "Show the N last created containers (includes all states)"},
	};
	int code = 0;
	struct cli_values *v = parse_command_flags(cl, "isula ps [OPTIONS]", opts, Q_COUNT, 1, 0,
	                                           argc, argv, false, 0, &code);
	if (!v)
		return code;
	char err[512];
	char *filters = filters_json(v, err, sizeof(err));
	if (!filters) {
		fprintf(stderr, "%s\n", err);
		cli_values_free(v);
		return 1;
	}
	/* Docker's: -l is -n 1; -1 (the default) shows them all */
	int64_t last = -1;
	if (cli_string(v, Q_LAST) &&
	    (parse_int64(cli_string(v, Q_LAST), &last) < 0 || last < -1 || last > INT32_MAX)) {
		fprintf(stderr,
		        "Invalid value %s for flag --last: expected an integer, -1 for all\n",
		        cli_string(v, Q_LAST));
		free(filters);
		cli_values_free(v);
		return 125;
	}
	if (cli_bool(v, Q_LATEST))
		last = 1;
	char *esc = url_escape(filters);
	char path[4096];
	snprintf(path, sizeof(path), "/containers/json?all=%d&limit=%lld&filters=%s",
	         cli_bool(v, Q_ALL) ? 1 : 0, (long long)last, esc ? esc : "");
	free(esc);
	free(filters);
	struct api_response r;
	code = 1;
	if (api_call(cl, "GET", path, NULL, &r) == 0) {
		yajl_val list = r.status == 200 ? json_parse(r.body, NULL, 0) : NULL;
		if (!list || !YAJL_IS_ARRAY(list)) {
			print_daemon_error(&r);
		} else if (cli_bool(v, Q_QUIET)) {
			for (size_t i = 0; i < list->u.array.len; i++) {
				const char *id = json_get_str(list->u.array.values[i], "Id");
				printf("%.*s\n", cli_bool(v, Q_NO_TRUNC) ? 64 : 12, id ? id : "");
			}
			code = 0;
		} else if (cli_string(v, Q_FORMAT)) {
			code = ps_formatted(list, cli_string(v, Q_FORMAT), cli_bool(v, Q_NO_TRUNC));
		} else {
			ps_table(list, cli_bool(v, Q_NO_TRUNC));
			code = 0;
		}
		if (list)
			yajl_tree_free(list);
		api_response_free(&r);
	}
	cli_values_free(v);
	return code;
}

static void print_pretty(const char *json)
{
	yajl_val root = json_parse(json, NULL, 0);
	yajl_gen g = yajl_gen_alloc(NULL);
	yajl_gen_config(g, yajl_gen_beautify, 1);
	yajl_gen_config(g, yajl_gen_indent_string, "    ");
	jg_value(g, root);
	char *out = jg_finish(g, NULL);
	if (out)
		fputs(out, stdout);
	free(out);
	if (root)
		yajl_tree_free(root);
}

static void container_json_path(char *path, size_t len, const char *ref)
{
	container_path(path, len, ref, "/json");
}

int inspect_print_each(struct client *cl, struct cli_values *v, const char *tmpl,
                       void (*make_path)(char *path, size_t len, const char *ref))
{
	int code = 0;
	bool pretty_open = false;
	for (size_t i = 0; i < cli_npositional(v); i++) {
		char path[1024];
		make_path(path, sizeof(path), cli_positional(v, i));
		struct api_response r;
		if (api_call(cl, "GET", path, NULL, &r) < 0) {
			code = 1;
			break;
		}
		if (r.status != 200) {
			print_daemon_error(&r);
			code = 1;
		} else if (tmpl) {
			yajl_val root = json_parse(r.body, NULL, 0);
			char err[512] = "";
			char *out = inspect_template_render(tmpl, root, err, sizeof(err));
			if (out)
				printf("%s\n", out);
			else
				fprintf(stderr, "Template parsing error: %s\n", err), code = 1;
			free(out);
			if (root)
				yajl_tree_free(root);
		} else {
			printf("%s", pretty_open ? ",\n" : "[\n");
			pretty_open = true;
			print_pretty(r.body);
		}
		api_response_free(&r);
	}
	if (pretty_open)
		printf("\n]\n");
	return code;
}

/* inspect -t: the daemon has that many seconds to answer every container asked about. */
static void inspect_timed_out(int sig)
{
	static const char msg[] = "Error: timed out waiting for the daemon (inspect -t)\n";
	(void)sig;
	if (write(STDERR_FILENO, msg, sizeof(msg) - 1) < 0) {
		/* nothing more to say */
	}
	_exit(1);
}

static int inspect_set_timeout(const char *value)
{
	int64_t secs = 120;
	if (value && (parse_int64(value, &secs) < 0 || secs < 1 || secs > 86400)) {
		fprintf(stderr,
		        "invalid argument \"%s\" for \"-t, --time\" flag: expected whole "
		        "seconds from 1 to 86400\n",
		        value);
		return -1;
	}
	signal(SIGALRM, inspect_timed_out);
	alarm((unsigned)secs);
	return 0;
}

int cmd_inspect(struct client *cl, int argc, char **argv)
{
	static const struct cli_option opts[] = {
	    [0] = {"host", 'H', CLI_STRING, "URL", "Daemon socket to connect to"},
	    [1] = {"help", 0, CLI_BOOL, NULL, "Print usage"},
	    [2] = {"format", 'f', CLI_STRING, "TEMPLATE",
	           "Format the output using the given go template"},
	    [3] = {"time", 't', CLI_STRING, "SECONDS",
	           "Timeout in seconds to wait for the daemon (default 120)"},
	};
	int code = 0;
	struct cli_values *v =
	    parse_command_flags(cl, "isula inspect [OPTIONS] CONTAINER [CONTAINER...]", opts, 4, 1,
	                        0, argc, argv, false, 1, &code);
	if (!v)
		return code;
	if (inspect_set_timeout(cli_string(v, 3)) < 0) {
		cli_values_free(v);
		return 1;
	}
	code = inspect_print_each(cl, v, cli_string(v, 2), container_json_path);
	cli_values_free(v);
	return code;
}

static int simple_flags(struct client *cl, const char *usage, int argc, char **argv, int *code)
{
	static const struct cli_option opts[] = {
	    [0] = {"host", 'H', CLI_STRING, "URL", "Daemon socket to connect to"},
	    [1] = {"help", 0, CLI_BOOL, NULL, "Print usage"},
	};
	struct cli_values *v =
	    parse_command_flags(cl, usage, opts, 2, 1, 0, argc, argv, false, 0, code);
	if (!v)
		return -1;
	cli_values_free(v);
	return 0;
}

int cmd_version(struct client *cl, int argc, char **argv)
{
	int code = 0;
	if (argc > 0 && simple_flags(cl, "isula version [OPTIONS]", argc, argv, &code) < 0)
		return code;
	printf("Client:\n  Version:\t%s\n  Git commit:\t%s\n  Built:\t%s\n\n", ISULAD_VERSION,
	       GIT_COMMIT, BUILD_TIME);
	struct api_response r;
	if (api_call(cl, "GET", "/version", NULL, &r) < 0) {
		printf("Can not connect with server.Is the iSulad daemon running on the host?\n");
		return 1;
	}
	if (r.status != 200) { /* the daemon answered: its message (an authz denial, ...) */
		print_daemon_error(&r);
		api_response_free(&r);
		return 1;
	}
	yajl_val root = json_parse(r.body, NULL, 0);
	printf("Server:\n  Version:\t%s\n  Git commit:\t%s\n  Built:\t%s\n\nOCI config:\n  "
	       "Version:\t%s\n"
	       "  Default file:\t%s\n",
	       json_get_str(root, "Version"), json_get_str(root, "GitCommit"),
	       json_get_str(root, "BuildTime"), json_get_str(root, "OCIConfigVersion"),
	       "/etc/default/isulad/config.json");
	if (root)
		yajl_tree_free(root);
	api_response_free(&r);
	return 0;
}

int cmd_info(struct client *cl, int argc, char **argv)
{
	int code = 0;
	if (simple_flags(cl, "isula info [OPTIONS]", argc, argv, &code) < 0)
		return code;
	struct api_response r;
	if (api_call(cl, "GET", "/info", NULL, &r) < 0)
		return 1;
	if (r.status != 200) {
		print_daemon_error(&r);
		api_response_free(&r);
		return 1;
	}
	yajl_val i = json_parse(r.body, NULL, 0);
	printf(
	    "Containers: %lld\n Running: %lld\n Paused: %lld\n Stopped: %lld\nImages: %lld\n"
	    "Server Version: %s\nLogging Driver: %s\nCgroup Driver: %s\nHugetlb Pagesize: %s\n"
	    "Kernel Version: %s\nOperating System: %s\nOSType: %s\nArchitecture: %s\nCPUs: %lld\n"
	    "Total Memory: %lld GB\nName: %s\niSulad Root Dir: %s\n",
	    (long long)json_get_int(i, "Containers", 0),
	    (long long)json_get_int(i, "ContainersRunning", 0),
	    (long long)json_get_int(i, "ContainersPaused", 0),
	    (long long)json_get_int(i, "ContainersStopped", 0),
	    (long long)json_get_int(i, "Images", 0), json_get_str(i, "ServerVersion"),
	    json_get_str(i, "LoggingDriver"), json_get_str(i, "CgroupDriver"),
	    json_get_str(i, "HugetlbPagesize"), json_get_str(i, "KernelVersion"),
	    json_get_str(i, "OperatingSystem"), json_get_str(i, "OSType"),
	    json_get_str(i, "Architecture"), (long long)json_get_int(i, "NCPU", 0),
	    (long long)(json_get_int(i, "MemTotal", 0) >> 30), json_get_str(i, "Name"),
	    json_get_str(i, "IsuladRootDir"));
	static const char *const proxies[][2] = {
	    {"HttpProxy", "Http Proxy"}, {"HttpsProxy", "Https Proxy"}, {"NoProxy", "No Proxy"}};
	for (size_t k = 0; k < sizeof(proxies) / sizeof(proxies[0]); k++) {
		const char *v = json_get_str(i, proxies[k][0]);
		if (v && *v)
			printf("%s: %s\n", proxies[k][1], v);
	}
	if (i)
		yajl_tree_free(i);
	api_response_free(&r);
	return 0;
}
