/* Shared pieces of the isula client: the daemon connection and error reporting. */
#ifndef CLIENT_CLIENT_H
#define CLIENT_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <yajl/yajl_gen.h>

#include "core/cli_args.h"
#include "core/http_client.h"

#define EXIT_DAEMON_ERROR 125 /* iSulad/Docker: the daemon refused the command */

struct api_response {
	long status;
	char *body;
	size_t len;
};

struct client {
	const char *host; /* unix:///path or tcp://IP:PORT */
	/* TLS on a tcp host (--tls, --tlsverify, ISULAD_TLS_VERIFY=1); tls.* are the files. */
	bool use_tls;
	struct tls_client_opts tls;
};

/* client_tls.c: takes --tls, --tlsverify, --tlscacert, --tlscert and --tlskey (wherever they
 * are before a "--": before the command or among its flags) out of argv, and fills cl's TLS
 * settings from them, ISULAD_TLS_VERIFY and the ~/.iSulad defaults. *argc shrinks. -1 after
 * printing an error. */
int client_take_tls_flags(struct client *cl, int *argc, char **argv);
/* Connects conn to the daemon (TLS when asked): 0, or -1 after printing why. */
int api_connect(const struct client *cl, struct http_conn *conn);

/* One request; returns 0 when the daemon answered (any status), -1 (message printed) when
 * it could not be reached. body may be NULL. */
int api_call(const struct client *cl, const char *method, const char *path, const char *body,
             struct api_response *out);
/* Sends a request and reads the answer's head; the body is left on conn for the caller
 * (http_read_body, then http_close). 0, or -1 with the message printed. */
int api_open(const struct client *cl, const char *method, const char *path, const char *body,
             struct http_conn *conn);
/* api_open for a streamed answer: 0 when the daemon answered 200, else -1 after printing its
 * error (or why it could not be reached), conn closed. */
int api_open_ok(const struct client *cl, const char *method, const char *path, const char *body,
                struct http_conn *conn);
/* POST with "Upgrade: tcp" (Docker's hijack): 0 with conn ready for stream_run, or -1 after
 * printing the daemon's error. */
int api_hijack(const struct client *cl, const char *path, const char *body, struct http_conn *conn);
/* Copies stdin to the stream and its output to stdout/stderr (framed unless tty) until the
 * daemon closes it: 0, 1 if the user detached (Ctrl-P Ctrl-Q), -1 on errors.
 * resize_path: where the terminal size goes ("/exec/ID/resize"), or NULL. */
int stream_run(const struct client *cl, struct http_conn *conn, bool tty, bool send_stdin,
               const char *resize_path);
void stream_send_size(const struct client *cl, const char *resize_path);
/* The integer `key` of a 200 JSON answer to method path (an exit code), else 125. */
int api_exit_code(const struct client *cl, const char *method, const char *path, const char *key);
/* "Cannot connect to the iSulad daemon at ... Is the iSulad daemon running on the host?", or
 * why the daemon ended conn's TLS session (conn may be NULL). */
void api_report_unreachable(const struct client *cl, const struct http_conn *conn, int err);
void api_response_free(struct api_response *r);
/* Prints "Error response from daemon: <message>" from a JSON error body. */
void print_daemon_error(const struct api_response *r);
/* URL-escapes s into a new string. */
char *url_escape(const char *s);
/* "/containers/REF" + rest into path, REF being ref URL-escaped. */
void container_path(char *path, size_t len, const char *ref, const char *rest);

/* create/run's system-container flags (create_sysopts.c): each NULL when not given. */
struct sysopt_flags {
	const char *user_remap, *ns_change_opt, *host_channel, *env_target_file, *files_limit;
};
/* Adds them to the HostConfig map being generated; -1 after printing what is wrong. */
int gen_sysopts(yajl_gen g, const struct sysopt_flags *f);

/* Each command: argc/argv start after the command name. Returns the exit code. */
typedef int (*command_fn)(struct client *cl, int argc, char **argv);
int cmd_create(struct client *cl, int argc, char **argv);
int cmd_run(struct client *cl, int argc, char **argv);
int cmd_start(struct client *cl, int argc, char **argv);
int cmd_stop(struct client *cl, int argc, char **argv);
int cmd_restart(struct client *cl, int argc, char **argv);
int cmd_kill(struct client *cl, int argc, char **argv);
int cmd_rm(struct client *cl, int argc, char **argv);
int cmd_wait(struct client *cl, int argc, char **argv);
int cmd_exec(struct client *cl, int argc, char **argv);
int cmd_attach(struct client *cl, int argc, char **argv);
/* Streams a running container's console until it stops (0) or the user detaches (1); -1 on
 * errors (printed). replay: first the console output from before the attach (run -t). */
int attach_stream(struct client *cl, const char *id, bool tty, bool in, bool replay);
/* What attaching to a container needs to know of it. */
struct ctr_brief {
	char *id;
	bool tty, open_stdin, running;
};
/* Fills b (b->id to be freed) from inspect of ref: 0, or -1 after printing the error. */
int container_brief(struct client *cl, const char *ref, struct ctr_brief *b);
/* start_attached.c: starts container id with the terminal attached (run without -d, start
 * -a) until it stops; returns its exit code (0 if the user detached), -1 when it could not
 * be started or waited for (the error printed). auto_remove: --rm (a failed start removes
 * it). */
int start_attached(struct client *cl, const char *id, bool tty, bool interactive, bool auto_remove);
int cmd_ps(struct client *cl, int argc, char **argv);
int cmd_inspect(struct client *cl, int argc, char **argv);
/* GETs make_path(REF) for every positional REF of v and prints the answers as inspect does (a
 * template per object, or one JSON array): 0, or 1 when one failed. */
int inspect_print_each(struct client *cl, struct cli_values *v, const char *tmpl,
                       void (*make_path)(char *path, size_t len, const char *ref));
int cmd_network(struct client *cl, int argc, char **argv);
/* "Labels": {"k": "v", ...} from the KEY[=VALUE] list option idx of v (flags.c). */
void gen_labels(yajl_gen g, struct cli_values *v, size_t idx);
int cmd_port(struct client *cl, int argc, char **argv);
int cmd_version(struct client *cl, int argc, char **argv);
int cmd_info(struct client *cl, int argc, char **argv);
int cmd_cp(struct client *cl, int argc, char **argv);
int cmd_logs(struct client *cl, int argc, char **argv);
int cmd_pause(struct client *cl, int argc, char **argv);
int cmd_unpause(struct client *cl, int argc, char **argv);
int cmd_rename(struct client *cl, int argc, char **argv);
int cmd_update(struct client *cl, int argc, char **argv);
int cmd_top(struct client *cl, int argc, char **argv);
int cmd_stats(struct client *cl, int argc, char **argv);
int cmd_events(struct client *cl, int argc, char **argv);

/* flags.c: parses a command's flags, handling --help and -H/--host (which must be the table's
 * entries help_idx and host_idx). Returns NULL after printing an error or help; *exit_code
 * says what to exit with. */
struct cli_values *parse_command_flags(struct client *cl, const char *usage,
                                       const struct cli_option *opts, size_t nopts, size_t help_idx,
                                       size_t host_idx, int argc, char **argv,
                                       bool stop_at_positional, size_t min_positional,
                                       int *exit_code);

#endif
