/* Starting a container with the terminal attached: the foreground half of `isula run` and
 * `isula start -a`. The wait and (without a tty) the output stream are opened before the
 * start, so a command that ends at once is neither missed nor left without its exit code. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "core/json.h"

/* condition "removed" for --rm (the container is gone once the wait answers), else the
 * next exit after the start. */
static int open_exit_wait(struct client *cl, const char *id, bool auto_remove,
                          struct http_conn *conn)
{
	char path[160];
	snprintf(path, sizeof(path), "/containers/%s/wait?condition=%s", id,
	         auto_remove ? "removed" : "next-exit");
	return api_open_ok(cl, "POST", path, NULL, conn);
}

static int read_exit_wait(struct http_conn *conn)
{
	char *body = NULL;
	int code = -1;
	if (http_read_body_all(conn, &body, NULL) == 0) {
		yajl_val root = json_parse(body, NULL, 0);
		code = (int)json_get_int(root, "StatusCode", -1);
		if (root)
			yajl_tree_free(root);
	} else {
		fprintf(stderr, "Error: lost the connection to the daemon while waiting\n");
	}
	free(body);
	return code;
}

/* POST /containers/ID/start: 0, or -1 after printing the daemon's error. A container that
 * already runs (304) counts as started: its output is attached all the same. */
static int post_start(struct client *cl, const char *id)
{
	char path[160];
	struct api_response r;
	snprintf(path, sizeof(path), "/containers/%s/start", id);
	if (api_call(cl, "POST", path, NULL, &r) < 0)
		return -1;
	int ret = 0;
	if (r.status >= 400) {
		print_daemon_error(&r);
		ret = -1;
	}
	api_response_free(&r);
	return ret;
}

static void remove_forced(struct client *cl, const char *id)
{
	char path[160];
	struct api_response r;
	snprintf(path, sizeof(path), "/containers/%s?force=1", id);
	if (api_call(cl, "DELETE", path, NULL, &r) == 0)
		api_response_free(&r);
}

int start_attached(struct client *cl, const char *id, bool tty, bool interactive, bool auto_remove)
{
	int code = -1;
	/* (heap: a connection holds its read buffer) */
	struct http_conn *wait_conn = malloc(sizeof(*wait_conn));
	struct http_conn *out_conn = NULL;
	if (wait_conn && open_exit_wait(cl, id, auto_remove, wait_conn) < 0) {
		free(wait_conn);
		wait_conn = NULL;
	}
	/* Attached before the start, as Docker's clients do: without a tty the daemon follows
	 * the container's log, with one it waits for the run's console (and sends what the run
	 * wrote to it if it ended first). None of the output is missed. */
	char path[200];
	snprintf(path, sizeof(path),
	         "/containers/%s/attach?stream=1&stdin=%d&stdout=1&stderr=1&logs=%d", id,
	         interactive ? 1 : 0, tty ? 1 : 0);
	out_conn = malloc(sizeof(*out_conn));
	if (out_conn && api_hijack(cl, path, NULL, out_conn) < 0) {
		free(out_conn);
		out_conn = NULL;
	}
	if (post_start(cl, id) < 0) {
		/* Docker leaves a failed run's container; --rm asks for it to go. */
		if (auto_remove)
			remove_forced(cl, id);
	} else if (wait_conn) {
		char resize[160];
		snprintf(resize, sizeof(resize), "/containers/%s/resize", id);
		/* 1: the user detached (Ctrl-P Ctrl-Q), the container goes on. */
		int attached =
		    out_conn ? stream_run(cl, out_conn, tty, interactive, tty ? resize : NULL) : 0;
		code = attached == 1 ? 0 : read_exit_wait(wait_conn);
	}
	if (wait_conn)
		http_close(wait_conn);
	free(wait_conn);
	if (out_conn)
		http_close(out_conn);
	free(out_conn);
	return code;
}
