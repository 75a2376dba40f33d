/* exec: POST /containers/{id}/exec, POST /exec/{id}/start (hijacked), GET /exec/{id}/json,
 * POST /exec/{id}/resize. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "events.h"
#include "exec_session.h"
#include "core/json.h"
#include "routes.h"
#include "store.h"
#include "stream_relay.h"
#include "core/strv.h"

#define ERRLEN 1024

/* ConsoleSize [height, width] (Docker's API 1.42): the pty's size from the start. Anything
 * else, or sizes out of a terminal's range, is ignored like an absent field. */
static void console_size(yajl_val body, struct exec_session *s)
{
	yajl_val v = json_get(body, "ConsoleSize");
	if (!v || !YAJL_IS_ARRAY(v) || v->u.array.len != 2 ||
	    !YAJL_IS_INTEGER(v->u.array.values[0]) || !YAJL_IS_INTEGER(v->u.array.values[1]))
		return;
	long long h = YAJL_GET_INTEGER(v->u.array.values[0]);
	long long w = YAJL_GET_INTEGER(v->u.array.values[1]);
	if (h > 0 && h <= 65535 && w > 0 && w <= 65535) {
		s->rows = (unsigned short)h;
		s->cols = (unsigned short)w;
	}
}

void route_exec_create(const struct request *req, struct response *resp)
{
	struct container *c = route_find_container(req, resp);
	if (!c)
		return;
	struct error e = {.msg = ""};
	yajl_val body = json_parse(req->body, e.msg, sizeof(e.msg));
	if (!body || !YAJL_IS_OBJECT(body)) {
		resp_error(resp, 400, "invalid exec configuration: expected a JSON object%s%s",
		           body || !e.msg[0] ? "" : ": ", body ? "" : e.msg);
	} else {
		char **cmd = json_get_strv(body, "Cmd");
		char **env = json_get_strv(body, "Env");
		struct exec_session *s = exec_session_new(
		    c, cmd, env, json_get_str(body, "User"), json_get_str(body, "WorkingDir"),
		    json_get_bool(body, "Tty", false), json_get_bool(body, "AttachStdin", false),
		    json_get_bool(body, "AttachStdout", false),
		    json_get_bool(body, "AttachStderr", false), &e);
		if (s) {
			console_size(body, s);
			yajl_gen g = yajl_gen_alloc(NULL);
			yajl_gen_map_open(g);
			jg_kstr(g, "Id", s->id);
			yajl_gen_map_close(g);
			resp_json(resp, 201, jg_finish(g, NULL));
			char *action = exec_session_action(s, "exec_create");
			events_emit(c, action ? action : "exec_create", "execID", s->id, NULL);
			free(action);
			exec_session_put(s);
		} else {
			resp_error_from(resp, &e);
		}
		strv_free(cmd);
		strv_free(env);
	}
	if (body)
		yajl_tree_free(body);
	store_put(c);
}

static struct exec_session *session_or_404(const struct request *req, struct response *resp)
{
	struct exec_session *s = exec_session_get(req->param);
	if (!s)
		resp_error(resp, 404, "No such exec instance: %s", req->param);
	return s;
}

struct attached_exec {
	struct exec_session *s;
	struct exec_stdio io;
};

static void exec_stream(void *cls, int fd, const char *early, size_t early_len)
{
	struct attached_exec *a = cls;
	struct relay_fds f = {.sock = fd,
	                      .in_fd = a->s->attach_stdin ? a->io.in : -1,
	                      .out_fd = a->io.out,
	                      .err_fd = a->io.err,
	                      .tty = a->s->tty,
	                      .close_in_on_eof = !a->s->tty};
	enum relay_end end = relay_run(&f, early, early_len);
	if (!a->s->tty && a->s->attach_stdin)
		a->io.in = f.in_fd; /* the relay may have closed it */
	/* After a detach the process goes on: its output is drained by a thread of its own. */
	exec_session_finish(a->s, &a->io, end == RELAY_DONE);
	exec_session_put(a->s);
	free(a);
}

static void exec_never_attached(void *cls)
{
	struct attached_exec *a = cls;
	exec_session_finish(a->s, &a->io, false);
	exec_session_put(a->s);
	free(a);
}

struct failed_exec {
	bool tty;
	char msg[ERROR_MSG_LEN + 4];
};

/* A command that cannot run: its error goes to the client's stderr, as Docker does. */
static void failed_stream(void *cls, int fd, const char *early, size_t early_len)
{
	struct failed_exec *f = cls;
	size_t n = strlen(f->msg);
	if (f->tty) {
		relay_send_output(fd, true, 2, f->msg, n);
	} else {
		f->msg[n - 2] = '\n'; /* no CR outside a terminal */
		relay_send_output(fd, false, 2, f->msg, n - 1);
	}
	free(f);
}

void route_exec_start(const struct request *req, struct response *resp)
{
	struct exec_session *s = session_or_404(req, resp);
	if (!s)
		return;
	char perr[ERRLEN] = "";
	yajl_val body = json_parse(req->body, perr, sizeof(perr));
	/* No body is fine (Detach is false); a bad one is refused before anything starts. */
	if (!body && req->body[strspn(req->body, " \t\r\n")] != '\0') {
		resp_error(resp, 400, "invalid exec start configuration: %s", perr);
		exec_session_put(s);
		return;
	}
	bool detach = json_get_bool(body, "Detach", false);
	if (body)
		yajl_tree_free(body);
	struct error e;
	int started;
	struct attached_exec *a = detach ? NULL : calloc(1, sizeof(*a));
	struct exec_stdio io;
	started = !detach && !a ? -3 : exec_session_start(s, detach, &io, &e);
	if (started != -1 && started != -3) {
		char *action = exec_session_action(s, "exec_start");
		events_emit(s->c, action ? action : "exec_start", "execID", s->id, NULL);
		free(action);
	}
	if (started == -3) {
		resp_error(resp, 500, "out of memory");
	} else if (started == -1) {
		resp_error_from(resp, &e);
	} else if (started == -2 && !detach) {
		struct failed_exec *f = malloc(sizeof(*f));
		if (f) {
			snprintf(f->msg, sizeof(f->msg), "%s\r\n", e.msg);
			f->tty = s->tty;
			resp_upgrade(resp, "application/vnd.docker.raw-stream", failed_stream, f,
			             free);
		} else {
			resp_error(resp, 500, "%s", e.msg);
		}
	} else if (detach) {
		resp_empty(resp, 200);
	} else {
		a->s = s;
		a->io = io;
		s = NULL; /* the stream owns the reference now */
		resp_upgrade(resp,
		             a->s->tty ? "application/vnd.docker.raw-stream"
		                       : "application/vnd.docker.multiplexed-stream",
		             exec_stream, a, exec_never_attached);
		a = NULL;
	}
	free(a);
	exec_session_put(s);
}

void route_exec_inspect(const struct request *req, struct response *resp)
{
	struct exec_session *s = session_or_404(req, resp);
	if (!s)
		return;
	yajl_gen g = yajl_gen_alloc(NULL);
	store_lock();
	yajl_gen_map_open(g);
	jg_kstr(g, "ID", s->id);
	jg_kbool(g, "Running", s->running);
	jg_kint(g, "ExitCode", s->started && !s->running ? s->exit_code : 0);
	jg_kbool(g, "OpenStdin", s->attach_stdin);
	jg_kbool(g, "OpenStdout", s->attach_stdout);
	jg_kbool(g, "OpenStderr", s->attach_stderr);
	jg_kbool(g, "CanRemove", false);
	jg_kstr(g, "ContainerID", s->c->id);
	jg_kstr(g, "DetachKeys", "");
	jg_kint(g, "Pid", s->running ? s->pid : 0);
	jg_key(g, "ProcessConfig");
	yajl_gen_map_open(g);
	jg_kbool(g, "tty", s->tty);
	jg_kstr(g, "entrypoint", s->cmd[0]);
	jg_key(g, "arguments");
	yajl_gen_array_open(g);
	for (size_t i = 1; s->cmd[i]; i++)
		jg_str(g, s->cmd[i]);
	yajl_gen_array_close(g);
	jg_kstr(g, "user", s->user ? s->user : "");
	jg_kbool(g, "privileged", false);
	yajl_gen_map_close(g);
	yajl_gen_map_close(g);
	store_unlock();
	resp_json(resp, 200, jg_finish(g, NULL));
	exec_session_put(s);
}

void route_exec_resize(const struct request *req, struct response *resp)
{
	struct exec_session *s = session_or_404(req, resp);
	if (!s)
		return;
	const char *h = req_query(req, "h"), *w = req_query(req, "w");
	long rows = h ? strtol(h, NULL, 10) : 0, cols = w ? strtol(w, NULL, 10) : 0;
	if (rows <= 0 || rows > 65535 || cols <= 0 || cols > 65535)
		resp_error(resp, 400, "invalid terminal size h=%s w=%s: expected 1..65535 each",
		           h ? h : "", w ? w : "");
	else if (exec_session_resize(s, (unsigned short)rows, (unsigned short)cols) < 0)
		resp_error(resp, 409, "exec %s has no running terminal", s->id);
	else
		resp_empty(resp, 200);
	exec_session_put(s);
}
