/* isula exec: POST /containers/{id}/exec, then /exec/{id}/start (hijacked unless -d), then the
 * exec's exit code from /exec/{id}/json, which becomes isula's own.
 *
 * Without -i, -t or -d, the seed's "-it by default" applies when the user is at a terminal
 * (stdin and stdout both ttys); output piped or input redirected keeps Docker's default (no
 * tty, no input), so scripts read the command's output as it is. */
#include <stdio.h>
#include <sys/ioctl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "client.h"
#include "core/json.h"

enum { X_HOST, X_HELP, X_DETACH, X_ENV, X_INTERACTIVE, X_TTY, X_USER, X_WORKDIR, X_COUNT };

static const struct cli_option g_opts[X_COUNT] = {
    [X_HOST] = {"host", 'H', CLI_STRING, "URL", "Daemon socket to connect to"},
    [X_HELP] = {"help", 0, CLI_BOOL, NULL, "Print usage"},
    [X_DETACH] = {"detach", 'd', CLI_BOOL, NULL, "Run command in the background"},
    [X_ENV] = {"env", 'e', CLI_LIST, "KEY=VALUE", "Set environment variables"},
    [X_INTERACTIVE] = {"interactive", 'i', CLI_BOOL, NULL, "Keep STDIN open even if not attached"},
    [X_TTY] = {"tty", 't', CLI_BOOL, NULL, "Allocate a pseudo-TTY"},
    [X_USER] = {"user", 'u', CLI_STRING, "USER",
                "Username or UID (format: <name|uid>[:<group|gid>])"},
    [X_WORKDIR] = {"workdir", 'w', CLI_STRING, "DIR", "Working directory inside the container"},
};

static char *exec_config(const struct cli_values *v, bool detach, bool interactive, bool tty)
{
	yajl_gen g = yajl_gen_alloc(NULL);
	yajl_gen_map_open(g);
	jg_kbool(g, "AttachStdin", interactive && !detach);
	jg_kbool(g, "AttachStdout", !detach);
	jg_kbool(g, "AttachStderr", !detach);
	jg_kbool(g, "Tty", tty);
	jg_kbool(g, "Detach", detach);
	jg_key(g, "Cmd");
	yajl_gen_array_open(g);
	for (size_t i = 1; i < cli_npositional(v); i++)
		jg_str(g, cli_positional(v, i));
	yajl_gen_array_close(g);
	jg_key(g, "Env");
	yajl_gen_array_open(g);
	for (size_t i = 0; i < cli_list_len(v, X_ENV); i++)
		jg_str(g, cli_list_at(v, X_ENV, i));
	yajl_gen_array_close(g);
	if (cli_string(v, X_USER))
		jg_kstr(g, "User", cli_string(v, X_USER));
	if (cli_string(v, X_WORKDIR))
		jg_kstr(g, "WorkingDir", cli_string(v, X_WORKDIR));
	/* The pty starts at the terminal's size (the resize after the start could come after
	 * the command asked). */
	struct winsize ws;
	if (tty && !detach && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0) {
		jg_key(g, "ConsoleSize");
		yajl_gen_array_open(g);
		yajl_gen_integer(g, ws.ws_row);
		yajl_gen_integer(g, ws.ws_col);
		yajl_gen_array_close(g);
	}
	yajl_gen_map_close(g);
	return jg_finish(g, NULL);
}

/* "Id" of a 201 answer, or NULL after printing the daemon's error. */
static char *created_id(const struct api_response *r)
{
	if (r->status != 201) {
		print_daemon_error(r);
		return NULL;
	}
	yajl_val root = json_parse(r->body ? r->body : "", NULL, 0);
	const char *id = json_get_str(root, "Id");
	char *out = id ? strdup(id) : NULL;
	if (root)
		yajl_tree_free(root);
	return out;
}

int cmd_exec(struct client *cl, int argc, char **argv)
{
	int code = 0;
	struct cli_values *v =
	    parse_command_flags(cl, "isula exec [OPTIONS] CONTAINER COMMAND [ARG...]", g_opts,
	                        X_COUNT, X_HELP, X_HOST, argc, argv, true, 2, &code);
	if (!v)
		return code;
	bool detach = cli_bool(v, X_DETACH), tty = cli_bool(v, X_TTY);
	bool interactive = cli_bool(v, X_INTERACTIVE);
	if (!cli_is_set(v, X_DETACH) && !cli_is_set(v, X_TTY) && !cli_is_set(v, X_INTERACTIVE) &&
	    isatty(STDIN_FILENO) && isatty(STDOUT_FILENO))
		interactive = tty = true;
	if (tty && interactive && !detach && !isatty(STDIN_FILENO)) {
		fprintf(stderr, "the input device is not a TTY\n");
		cli_values_free(v);
		return 1;
	}
	char *body = exec_config(v, detach, interactive, tty);
	char path[512];
	container_path(path, sizeof(path), cli_positional(v, 0), "/exec");
	struct api_response r;
	char *exec_id = NULL;
	code = EXIT_DAEMON_ERROR;
	if (api_call(cl, "POST", path, body, &r) == 0) {
		exec_id = created_id(&r);
		api_response_free(&r);
	}
	if (!exec_id)
		goto out;
	char start_body[64];
	snprintf(start_body, sizeof(start_body), "{\"Detach\":%s,\"Tty\":%s}",
	         detach ? "true" : "false", tty ? "true" : "false");
	snprintf(path, sizeof(path), "/exec/%s/start", exec_id);
	if (detach) {
		if (api_call(cl, "POST", path, start_body, &r) == 0) {
			if (r.status < 300)
				code = 0;
			else
				print_daemon_error(&r);
			api_response_free(&r);
		}
		goto out;
	}
	struct http_conn *conn = malloc(sizeof(*conn));
	if (conn && api_hijack(cl, path, start_body, conn) == 0) {
		char resize[160];
		snprintf(resize, sizeof(resize), "/exec/%s/resize", exec_id);
		stream_run(cl, conn, tty, interactive, resize);
		http_close(conn);
		snprintf(path, sizeof(path), "/exec/%s/json", exec_id);
		code = api_exit_code(cl, "GET", path, "ExitCode");
	}
	free(conn);
out:
	free(exec_id);
	free(body);
	cli_values_free(v);
	return code;
}
