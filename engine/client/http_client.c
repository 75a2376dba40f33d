#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "core/json.h"

void api_report_unreachable(const struct client *cl, const struct http_conn *conn, int err)
{
	const char *tls_err = conn ? tls_relay_error(conn->tls) : NULL;
	if (tls_err) { /* the daemon ended the TLS session: its alert says why */
		fprintf(stderr, "Cannot connect to the iSulad daemon at %s (TLS: %s)%s\n", cl->host,
		        tls_err,
		        strstr(tls_err, "ertificate")
		            ? ": the daemon needs a client certificate signed by its CA "
		              "(--tlscert and --tlskey, or ~/.iSulad/cert.pem and key.pem)"
		            : "");
		return;
	}
	fprintf(stderr,
	        "Cannot connect to the iSulad daemon at %s (%s). Is the iSulad daemon running on "
	        "the host?\n",
	        cl->host, strerror(err));
}

int api_connect(const struct client *cl, struct http_conn *conn)
{
	char err[1024];
	if (http_connect_tls(conn, cl->host, cl->use_tls ? &cl->tls : NULL, err, sizeof(err)) == 0)
		return 0;
	fprintf(stderr,
	        "Cannot connect to the iSulad daemon at %s (%s). Is the iSulad daemon running on "
	        "the host?\n",
	        cl->host, err);
	return -1;
}

/* api_open with extra request headers ("Name: value\r\n" lines, or NULL). */
static int open_with_headers(const struct client *cl, const char *method, const char *path,
                             const char *headers, const char *body, struct http_conn *conn)
{
	char target[4096];
	snprintf(target, sizeof(target), "/v1.41%s", path);
	if (api_connect(cl, conn) < 0)
		return -1;
	if (http_send_request(conn, method, target, headers, body, body ? strlen(body) : 0) < 0 ||
	    http_read_head(conn, strcmp(method, "HEAD") == 0) < 0) {
		api_report_unreachable(cl, conn, errno);
		http_close(conn);
		return -1;
	}
	return 0;
}

int api_open(const struct client *cl, const char *method, const char *path, const char *body,
             struct http_conn *conn)
{
	return open_with_headers(cl, method, path, NULL, body, conn);
}

/* For an answer on conn that is an error: reads and prints the daemon's message. */
static void api_print_refusal(struct http_conn *conn)
{
	struct api_response r = {.status = conn->status};
	http_read_body_all(conn, &r.body, &r.len);
	print_daemon_error(&r);
	api_response_free(&r);
}

int api_open_ok(const struct client *cl, const char *method, const char *path, const char *body,
                struct http_conn *conn)
{
	if (api_open(cl, method, path, body, conn) < 0)
		return -1;
	if (conn->status == 200)
		return 0;
	api_print_refusal(conn);
	http_close(conn);
	return -1;
}

int api_hijack(const struct client *cl, const char *path, const char *body, struct http_conn *conn)
{
	if (open_with_headers(cl, "POST", path, "Connection: Upgrade\r\nUpgrade: tcp\r\n", body,
	                      conn) < 0)
		return -1;
	if (conn->status == 101 || conn->status == 200)
		return 0;
	api_print_refusal(conn);
	http_close(conn);
	return -1;
}

int api_call(const struct client *cl, const char *method, const char *path, const char *body,
             struct api_response *out)
{
	memset(out, 0, sizeof(*out));
	struct http_conn *conn = malloc(sizeof(*conn));
	if (!conn)
		return -1;
	int ret = api_open(cl, method, path, body, conn);
	if (ret == 0) {
		out->status = conn->status;
		if (http_read_body_all(conn, &out->body, &out->len) < 0) {
			api_report_unreachable(cl, conn, errno);
			ret = -1;
		}
		http_close(conn);
	}
	free(conn);
	return ret;
}

int api_exit_code(const struct client *cl, const char *method, const char *path, const char *key)
{
	struct api_response r;
	if (api_call(cl, method, path, NULL, &r) < 0)
		return EXIT_DAEMON_ERROR;
	yajl_val root = r.status == 200 ? json_parse(r.body ? r.body : "", NULL, 0) : NULL;
	int code = (int)json_get_int(root, key, EXIT_DAEMON_ERROR);
	if (root)
		yajl_tree_free(root);
	api_response_free(&r);
	return code;
}

void api_response_free(struct api_response *r)
{
	free(r->body);
	memset(r, 0, sizeof(*r));
}

void print_daemon_error(const struct api_response *r)
{
	yajl_val root = r->body ? json_parse(r->body, NULL, 0) : NULL;
	const char *msg = json_get_str(root, "message");
	fprintf(stderr, "Error response from daemon: %s\n",
	        msg ? msg : (r->body && *r->body ? r->body : "unknown error"));
	if (root)
		yajl_tree_free(root);
}

char *url_escape(const char *s)
{
	return http_url_escape(s);
}

void container_path(char *path, size_t len, const char *ref, const char *rest)
{
	char *esc = url_escape(ref);
	snprintf(path, len, "/containers/%s%s", esc ? esc : "", rest);
	free(esc);
}
