/* isula attach, and the attach half of a foreground `isula run -t`: the container's console
 * over a hijacked connection until it stops or Ctrl-P Ctrl-Q detaches. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "core/json.h"

enum { A_HOST, A_HELP, A_COUNT };

static const struct cli_option g_opts[A_COUNT] = {
    [A_HOST] = {"host", 'H', CLI_STRING, "URL", "Daemon socket to connect to"},
    [A_HELP] = {"help", 0, CLI_BOOL, NULL, "Print usage"},
};

int container_brief(struct client *cl, const char *ref, struct ctr_brief *b)
{
	char path[512];
	container_path(path, sizeof(path), ref, "/json");
	struct api_response r;
	if (api_call(cl, "GET", path, NULL, &r) < 0)
		return -1;
	int ret = -1;
	yajl_val root = r.status == 200 ? json_parse(r.body ? r.body : "", NULL, 0) : NULL;
	if (root) {
		const char *cfg_path[] = {"Config", NULL};
		yajl_val cfg = yajl_tree_get(root, cfg_path, yajl_t_object);
		const char *id = json_get_str(root, "Id");
		b->id = id ? strdup(id) : NULL;
		b->tty = json_get_bool(cfg, "Tty", false);
		b->open_stdin = json_get_bool(cfg, "OpenStdin", false);
		const char *state_path[] = {"State", NULL};
		b->running =
		    json_get_bool(yajl_tree_get(root, state_path, yajl_t_object), "Running", false);
		ret = b->id ? 0 : -1;
		yajl_tree_free(root);
	} else {
		print_daemon_error(&r);
	}
	api_response_free(&r);
	return ret;
}

int attach_stream(struct client *cl, const char *id, bool tty, bool in, bool replay)
{
	char path[256], resize[256];
	snprintf(path, sizeof(path),
	         "/containers/%s/attach?stream=1&stdin=%d&stdout=1&stderr=1&logs=%d", id,
	         in ? 1 : 0, replay ? 1 : 0);
	snprintf(resize, sizeof(resize), "/containers/%s/resize", id);
	struct http_conn *conn = malloc(sizeof(*conn));
	int ret = -1;
	if (conn && api_hijack(cl, path, NULL, conn) == 0) {
		ret = stream_run(cl, conn, tty, in, tty ? resize : NULL);
		http_close(conn);
	}
	free(conn);
	return ret;
}

int cmd_attach(struct client *cl, int argc, char **argv)
{
	int code = 0;
	struct cli_values *v =
	    parse_command_flags(cl, "isula attach [OPTIONS] CONTAINER", g_opts, A_COUNT, A_HELP,
	                        A_HOST, argc, argv, false, 1, &code);
	if (!v)
		return code;
	struct ctr_brief b = {0};
	code = EXIT_DAEMON_ERROR;
	int ret = container_brief(cl, cli_positional(v, 0), &b);
	if (ret == 0 && !b.running) {
		/* (the daemon would follow it until its next exit, for start -a) */
		fprintf(stderr, "You cannot attach to a stopped container, start it first\n");
		code = 1;
		ret = -1;
	} else if (ret == 0) {
		ret = attach_stream(cl, b.id, b.tty, b.open_stdin, false);
	}
	if (ret == 1) {
		code = 0; /* detached, the container goes on */
	} else if (ret == 0) {
		char path[160];
		snprintf(path, sizeof(path), "/containers/%s/wait", b.id);
		code = api_exit_code(cl, "POST", path, "StatusCode");
	}
	free(b.id);
	cli_values_free(v);
	return code;
}
