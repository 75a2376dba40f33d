#include "server.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <inttypes.h>
#include <poll.h>
#include <pthread.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <netinet/in.h>
#include <unistd.h>

#include "core/json.h"
#include "core/log.h"
#include "core/tcp_addr.h"
#include "authz_client.h"
#include "engine/authz_action.h"
#include "server_tls.h"

#define MAX_BODY (16 << 20)
#define MAX_SPOOLED_BODY ((uint64_t)16 << 30)
#define MAX_DAEMONS 10

struct hijack;

/* Per request (MHD's con_cls). */
struct upload {
	char *buf;
	size_t len, cap; /* cap grows by doubling: a chunked body comes in small pieces */
	int fd;          /* PUT: the spool file, else -1 */
	uint64_t spooled;
	int spool_errno;
	/* A 101 queued but not yet sent: on_upgraded takes it, or on_completed releases it (the
	 * client went away before the upgrade). */
	struct hijack *hijack;
	bool upgraded;
	struct req_caller caller; /* found on the request's first call */
};

static char *g_spool_dir;
static char *g_authz_socket; /* NULL: no authorization plugin */

void server_set_authz(const char *socket_path)
{
	free(g_authz_socket);
	g_authz_socket = socket_path ? strdup(socket_path) : NULL;
}

void server_set_spool_dir(const char *dir)
{
	free(g_spool_dir);
	g_spool_dir = strdup(dir);
}

/* An unlinked file in the spool dir: nothing is left behind, even after a crash. */
static int open_spool_file(void)
{
	const char *dir = g_spool_dir ? g_spool_dir : "/var/tmp";
	int fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd >= 0 || (errno != EOPNOTSUPP && errno != EISDIR))
		return fd;
	char path[4096];
	snprintf(path, sizeof(path), "%s/.isulad-upload-XXXXXX", dir);
	fd = mkostemp(path, O_CLOEXEC);
	if (fd >= 0)
		unlink(path);
	return fd;
}

/* -1 once the body is over the limit (a chunked one: Content-Length is checked earlier). */
static int spool(struct upload *up, const char *data, size_t size)
{
	if (up->spooled + size > MAX_SPOOLED_BODY)
		return -1;
	up->spooled += size;
	while (!up->spool_errno && size > 0) { /* after an error: read to the end, answer 507 */
		ssize_t n = write(up->fd, data, size);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			up->spool_errno = errno;
			break;
		}
		data += n;
		size -= (size_t)n;
	}
	return 0;
}

static struct {
	const struct route *routes;
	size_t nroutes;
	struct MHD_Daemon *daemons[MAX_DAEMONS];
	char *paths[MAX_DAEMONS]; /* unix socket paths to unlink at stop; NULL for tcp */
	bool tls[MAX_DAEMONS];
	size_t n;
	unsigned idle_timeout_s;
} g_server;

const char *req_query(const struct request *req, const char *key)
{
	return MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND, key);
}

bool req_query_bool(const struct request *req, const char *key)
{
	const char *v = req_query(req, key);
	return v && (strcmp(v, "1") == 0 || strcmp(v, "true") == 0 || strcmp(v, "True") == 0);
}

void resp_json(struct response *resp, unsigned int status, char *body)
{
	resp->status = status;
	resp->body = body;
	resp->content_type = "application/json";
}

void resp_error(struct response *resp, unsigned int status, const char *fmt, ...)
{
	char msg[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	yajl_gen g = yajl_gen_alloc(NULL);
	yajl_gen_map_open(g);
	jg_kstr(g, "message", msg);
	yajl_gen_map_close(g);
	resp_json(resp, status, jg_finish(g, NULL));
	if (status >= 500)
		LOG_ERROR("%s", msg);
}

unsigned int http_status_of(int code)
{
	switch (code) {
	case ERR_INVALID:
	case ERR_CMD_NOT_FOUND:
	case ERR_CMD_CANNOT_RUN:
		return 400;
	case ERR_FORBIDDEN:
		return 403;
	case ERR_NOT_FOUND:
		return 404;
	case ERR_CONFLICT:
	case ERR_NOT_RUNNING:
	case ERR_EXISTS:
		return 409;
	default:
		return 500;
	}
}

void resp_error_from(struct response *resp, const struct error *e)
{
	resp_error(resp, http_status_of(e->code), "%s", e->msg);
}

void resp_empty(struct response *resp, unsigned int status)
{
	resp->status = status;
	resp->body = NULL;
}

void resp_stream(struct response *resp, unsigned int status, const char *content_type,
                 MHD_ContentReaderCallback stream, void *cls, MHD_ContentReaderFreeCallback done)
{
	resp->status = status;
	resp->body = NULL;
	resp->content_type = content_type;
	resp->stream = stream;
	resp->stream_cls = cls;
	resp->stream_free = done;
}

void resp_upgrade(struct response *resp, const char *content_type,
                  void (*upgrade)(void *cls, int fd, const char *early, size_t early_len),
                  void *cls, void (*upgrade_free)(void *cls))
{
	resp->status = MHD_HTTP_SWITCHING_PROTOCOLS;
	resp->body = NULL;
	resp->content_type = content_type;
	resp->upgrade = upgrade;
	resp->upgrade_cls = cls;
	resp->upgrade_free = upgrade_free;
}

struct hijack {
	void (*fn)(void *cls, int fd, const char *early, size_t early_len);
	void *cls;
	void (*cls_free)(void *cls); /* if the upgrade never happens */
	int fd;
	char *early;
	size_t early_len;
	struct MHD_UpgradeResponseHandle *urh;
};

static void *hijack_thread(void *arg)
{
	struct hijack *h = arg;
	h->fn(h->cls, h->fd, h->early, h->early_len);
	MHD_upgrade_action(h->urh, MHD_UPGRADE_ACTION_CLOSE);
	free(h->early);
	free(h);
	return NULL;
}

/* MHD calls this once the 101 is out; the stream runs in its own thread so that MHD's
 * connection thread is not held by a long session. */
static void on_upgraded(void *cls, struct MHD_Connection *conn, void *req_cls, const char *early,
                        size_t early_len, MHD_socket sock, struct MHD_UpgradeResponseHandle *urh)
{
	struct hijack *h = cls;
	struct upload *up = req_cls;
	/* From here on the stream owns h (and what h->cls holds), not the request. */
	if (up) {
		up->hijack = NULL;
		up->upgraded = true;
	}
	h->fd = sock;
	h->urh = urh;
	h->early = early_len ? malloc(early_len) : NULL;
	if (h->early)
		memcpy(h->early, early, early_len);
	h->early_len = h->early ? early_len : 0;
	pthread_t t;
	pthread_attr_t attr;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	if (pthread_create(&t, &attr, hijack_thread, h) != 0) {
		LOG_ERROR("cannot create a thread for a hijacked connection");
		MHD_upgrade_action(urh, MHD_UPGRADE_ACTION_CLOSE);
		free(h->early);
		free(h);
	}
	pthread_attr_destroy(&attr);
}

ssize_t stream_take_pending(char **pending, size_t len, size_t *off, char *buf, size_t max)
{
	size_t n = len - *off < max ? len - *off : max;
	memcpy(buf, *pending + *off, n);
	*off += n;
	if (*off == len) {
		free(*pending);
		*pending = NULL;
	}
	return (ssize_t)n;
}

bool req_peer_gone(struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
	if (!ci)
		return true;
	struct pollfd p = {.fd = ci->connect_fd, .events = POLLRDHUP};
	return poll(&p, 1, 0) > 0 && (p.revents & (POLLRDHUP | POLLHUP | POLLERR));
}

/* Strips a leading "/v1.41" style API version. */
static const char *strip_version(const char *url)
{
	if (url[0] == '/' && url[1] == 'v' && url[2] >= '0' && url[2] <= '9') {
		const char *slash = strchr(url + 1, '/');
		return slash ? slash : "/";
	}
	return url;
}

/* Matches path against pattern; a "{}" segment captures into param (a static-size copy). */
static bool route_matches(const char *pattern, const char *path, char *param, size_t plen)
{
	while (*pattern && *path) {
		if (pattern[0] == '{' && pattern[1] == '}') {
			const char *end = strchr(path, '/');
			size_t len = end ? (size_t)(end - path) : strlen(path);
			if (len == 0 || len >= plen)
				return false;
			memcpy(param, path, len);
			param[len] = '\0';
			path += len;
			pattern += 2;
			continue;
		}
		if (*pattern != *path)
			return false;
		pattern++;
		path++;
	}
	return *pattern == '\0' && *path == '\0';
}

static void add_common_headers(struct MHD_Response *mr)
{
	MHD_add_response_header(mr, "Api-Version", "1.41");
	MHD_add_response_header(mr, "Server", "iSulad");
	MHD_add_response_header(mr, "Ostype", "linux");
}

static enum MHD_Result send_upgrade(struct MHD_Connection *conn, struct upload *up,
                                    struct response *r)
{
	struct hijack *h = calloc(1, sizeof(*h));
	struct MHD_Response *mr = h ? MHD_create_response_for_upgrade(on_upgraded, h) : NULL;
	if (!mr) {
		free(h);
		if (r->upgrade_free)
			r->upgrade_free(r->upgrade_cls);
		return MHD_NO;
	}
	h->fn = r->upgrade;
	h->cls = r->upgrade_cls;
	h->cls_free = r->upgrade_free;
	MHD_add_response_header(mr, "Content-Type", r->content_type);
	MHD_add_response_header(mr, "Upgrade", "tcp");
	add_common_headers(mr);
	enum MHD_Result ret = MHD_queue_response(conn, MHD_HTTP_SWITCHING_PROTOCOLS, mr);
	MHD_destroy_response(mr);
	if (ret == MHD_NO) { /* e.g. the request asked for no upgrade */
		free(h);
		if (r->upgrade_free)
			r->upgrade_free(r->upgrade_cls);
	} else {
		up->hijack = h; /* released by on_completed if the 101 never goes out */
	}
	return ret;
}

static void add_extra_header(struct MHD_Response *mr, struct response *r)
{
	if (r->header_name && r->header_value)
		MHD_add_response_header(mr, r->header_name, r->header_value);
	free(r->header_value);
	r->header_value = NULL;
}

/* A connection's idle timeout; also restarts its clock (MHD does when it was 0). */
static void set_conn_timeout(struct MHD_Connection *conn, unsigned s)
{
	MHD_set_connection_option(conn, MHD_CONNECTION_OPTION_TIMEOUT, s);
}

/* Streams and upgrades keep the timeout off (set while the request was handled): a `wait`,
 * `events` or `logs -f` may stay silent for hours. Plain answers get it back. */
static enum MHD_Result send_response(struct MHD_Connection *conn, struct upload *up,
                                     struct response *r)
{
	if (r->upgrade)
		return send_upgrade(conn, up, r);
	if (r->stream) {
		struct MHD_Response *mr = MHD_create_response_from_callback(
		    MHD_SIZE_UNKNOWN, 4096, r->stream, r->stream_cls, r->stream_free);
		if (!mr) {
			if (r->stream_free)
				r->stream_free(r->stream_cls);
			free(r->header_value);
			return MHD_NO;
		}
		MHD_add_response_header(mr, "Content-Type", r->content_type);
		add_common_headers(mr);
		add_extra_header(mr, r);
		enum MHD_Result ret = MHD_queue_response(conn, r->status, mr);
		MHD_destroy_response(mr);
		return ret;
	}
	size_t len = r->body ? strlen(r->body) : 0;
	struct MHD_Response *mr = MHD_create_response_from_buffer(
	    len, r->body ? r->body : (char *)"",
	    r->body ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
	if (!mr) {
		free(r->body);
		free(r->header_value);
		return MHD_NO;
	}
	if (r->body)
		MHD_add_response_header(mr, "Content-Type", r->content_type);
	add_common_headers(mr);
	add_extra_header(mr, r);
	enum MHD_Result ret = MHD_queue_response(conn, r->status, mr);
	MHD_destroy_response(mr);
	set_conn_timeout(conn, g_server.idle_timeout_s);
	return ret;
}

/* The route for method and path (HEAD is served by GET routes): 0, or the 404/405 answer. */
static unsigned find_route(const char *method, const char *path, const struct route **found,
                           char *param, size_t plen)
{
	bool path_known = false;
	for (size_t i = 0; i < g_server.nroutes; i++) {
		const struct route *rt = &g_server.routes[i];
		param[0] = '\0';
		if (!route_matches(rt->pattern, path, param, plen))
			continue;
		path_known = true;
		if (strcmp(rt->method, method) != 0 &&
		    !(strcmp(method, "HEAD") == 0 && strcmp(rt->method, "GET") == 0))
			continue;
		*found = rt;
		return 0;
	}
	return path_known ? 405 : 404;
}

static void route_error(struct response *resp, unsigned status, const char *method,
                        const char *path)
{
	if (status == 405)
		resp_error(resp, 405, "method %s not allowed on %s", method, path);
	else
		resp_error(resp, 404, "page not found: %s", path);
}

static void dispatch(struct MHD_Connection *conn, const char *method, const char *url,
                     struct upload *up, struct response *resp)
{
	const char *path = strip_version(url);
	char param[512];
	const struct route *rt = NULL;
	unsigned status = find_route(method, path, &rt, param, sizeof(param));
	if (status) {
		route_error(resp, status, method, path);
		return;
	}
	struct request req = {.conn = conn,
	                      .method = method,
	                      .path = path,
	                      .param = param,
	                      .body = up->buf ? up->buf : "",
	                      .body_len = up->len,
	                      .body_fd = up->fd,
	                      .caller = &up->caller};
	rt->handler(&req, resp);
}

static bool conn_is_tls(struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(conn, MHD_CONNECTION_INFO_DAEMON);
	for (size_t i = 0; ci && i < g_server.n; i++) {
		if (g_server.daemons[i] == ci->daemon)
			return g_server.tls[i];
	}
	return false;
}

/* Who is calling: the unix socket's peer credentials, or on TLS the client certificate's CN
 * (verified against the CA, with tlsverify). -1 (why in err) for a TLS client that must be
 * refused before anything runs. */
static int get_caller(struct MHD_Connection *conn, struct req_caller *c, char *err, size_t errlen)
{
	memset(c, 0, sizeof(*c));
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
	if (conn_is_tls(conn)) {
		/* The CN verified in the handshake (server_tls.c); a connection it does not
		 * know (cannot happen) is nobody's and refused. */
		c->tls = true;
		if (!ci || server_tls_caller(ci->connect_fd, c->user, sizeof(c->user)) < 0) {
			snprintf(err, errlen, "not a connection of the TLS listener");
			return -1;
		}
		c->known = c->user[0] != '\0';
		return 0;
	}
	struct ucred cred;
	socklen_t len = sizeof(cred);
	struct sockaddr_storage ss;
	socklen_t sslen = sizeof(ss);
	if (!ci || getsockname(ci->connect_fd, (struct sockaddr *)&ss, &sslen) < 0 ||
	    ss.ss_family != AF_UNIX ||
	    getsockopt(ci->connect_fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0)
		return 0;
	c->known = true;
	c->peercred = true;
	c->uid = cred.uid;
	c->pid = cred.pid;
	struct passwd pw, *res = NULL;
	char buf[1024];
	if (getpwuid_r(cred.uid, &pw, buf, sizeof(buf), &res) == 0 && res)
		snprintf(c->user, sizeof(c->user), "%s", res->pw_name);
	else
		snprintf(c->user, sizeof(c->user), "?");
	return 0;
}

/* The URL as it can go into a log line: MHD has unescaped it, so it may hold newlines. */
static void log_safe(char *out, size_t outlen, const char *in)
{
	size_t o = 0;
	for (; *in && o + 5 < outlen; in++) {
		unsigned char ch = (unsigned char)*in;
		if (ch < 0x20 || ch == 0x7f || ch == '\\')
			o += (size_t)snprintf(out + o, outlen - o, "\\x%02x", ch);
		else
			out[o++] = (char)ch;
	}
	if (*in && o + 4 < outlen)
		o += (size_t)snprintf(out + o, outlen - o, "...");
	out[o] = '\0';
}

/* One info line per request: what was asked, by whom (uid, user, pid on the unix socket;
 * the certificate's CN on TLS), and the answer. */
static void log_request(const struct req_caller *c, const char *method, const char *url,
                        unsigned status)
{
	char m[32], u[512], who[300];
	log_safe(m, sizeof(m), method);
	log_safe(u, sizeof(u), url);
	if (c->peercred)
		LOG_INFO("api: %s %s -> %u (uid=%u user=%s pid=%d)", m, u, status, (unsigned)c->uid,
		         c->user, (int)c->pid);
	else if (c->tls && c->known) {
		log_safe(who, sizeof(who), c->user);
		LOG_INFO("api: %s %s -> %u (tls cn=%s)", m, u, status, who);
	} else if (c->tls)
		LOG_INFO("api: %s %s -> %u (tls, no verified client certificate)", m, u, status);
	else
		LOG_INFO("api: %s %s -> %u (caller unknown)", m, u, status);
}

/* Checked from the headers alone, before any of the body is read: where it goes, whether that
 * route takes a body, and its announced size. 0, or the status of the answer put in resp. */
static unsigned admit_body(struct MHD_Connection *conn, const char *method, const char *url,
                           const struct route **rt, struct response *resp)
{
	const char *path = strip_version(url);
	const char *te =
	    MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_TRANSFER_ENCODING);
	const char *cl =
	    MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
	uint64_t clen = cl ? strtoull(cl, NULL, 10) : 0;
	bool has_body = clen > 0 || (te && strcasestr(te, "chunked"));
	char param[512];
	unsigned status = find_route(method, path, rt, param, sizeof(param));
	if (!has_body)
		return 0; /* a refusal without a body is answered at the end, as any answer */
	if (status) {
		route_error(resp, status, method, path);
		return status;
	}
	if ((*rt)->body == BODY_NONE) {
		resp_error(resp, 400, "%s %s takes no request body", method, path);
		return 400;
	}
	uint64_t max = (*rt)->body == BODY_ARCHIVE ? MAX_SPOOLED_BODY : MAX_BODY;
	if (clen > max) {
		resp_error(resp, 413,
		           "request body of %" PRIu64 " bytes is larger than the limit "
		           "of %" PRIu64 " bytes for %s %s",
		           clen, max, method, path);
		return 413;
	}
	return 0;
}

/* With the authorization plugin: the broker decides "user:action" before anything of the
 * request runs or its body is read. -1 with the 403 in resp for a denial. */
static int authorize_action(const char *action, const char *method, const char *url,
                            const struct req_caller *c, struct response *resp)
{
	if (!g_authz_socket)
		return 0;
	char msg[1024];
	if (authz_ask(g_authz_socket, c->user, action, method, msg, sizeof(msg)) == 0)
		return 0;
	char m[32], u[512], safe_msg[1100];
	log_safe(m, sizeof(m), method);
	log_safe(u, sizeof(u), url);
	log_safe(safe_msg, sizeof(safe_msg), msg);
	LOG_WARN("api: %s %s denied by authorization plugin %s: %s", m, u, "authz-broker",
	         safe_msg);
	resp_error(resp, 403, "authorization denied by plugin authz-broker: %s", msg);
	return -1;
}

static int authorize(const char *method, const char *url, const struct req_caller *c,
                     struct response *resp)
{
	return g_authz_socket ? authorize_action(authz_action(method, url), method, url, c, resp)
	                      : 0;
}

int server_authorize_also(const struct request *req, const char *action, struct response *resp)
{
	return authorize_action(action, req->method, req->path, req->caller, resp);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *data,
                                  size_t *data_size, void **con_cls)
{
	struct upload *up = *con_cls;
	if (!up) {
		up = calloc(1, sizeof(*up));
		if (!up)
			return MHD_NO;
		up->fd = -1;
		*con_cls = up;
		const struct route *rt = NULL;
		struct response early = {.status = 200, .content_type = "application/json"};
		char why[512] = "";
		if (get_caller(conn, &up->caller, why, sizeof(why)) < 0) {
			/* A TLS connection server_tls.c does not know: nothing runs. */
			LOG_WARN("api: %s refused: %s", "TLS client", why);
			resp_error(&early, 403, "TLS client certificate required (--tlsverify): %s",
			           why);
			early.header_name = "Connection";
			early.header_value = strdup("close");
			log_request(&up->caller, method, url, early.status);
			return send_response(conn, up, &early);
		}
		if (authorize(method, url, &up->caller, &early) < 0) {
			log_request(&up->caller, method, url, early.status);
			return send_response(conn, up, &early);
		}
		if (admit_body(conn, method, url, &rt, &early)) {
			/* Answered now: MHD then discards the body and closes the connection. */
			log_request(&up->caller, method, url, early.status);
			return send_response(conn, up, &early);
		}
		if (rt && rt->body == BODY_ARCHIVE && (up->fd = open_spool_file()) < 0)
			up->spool_errno = errno;
		return MHD_YES;
	}
	if (*data_size > 0 && up->fd >= 0) {
		if (spool(up, data, *data_size) < 0) {
			LOG_WARN("%s %s: chunked body over %llu bytes, connection closed", method,
			         url, (unsigned long long)MAX_SPOOLED_BODY);
			return MHD_NO;
		}
		*data_size = 0;
		return MHD_YES;
	}
	if (*data_size > 0 && up->spool_errno) { /* no spool file: read to the end, answer 507 */
		if (up->spooled + *data_size > MAX_SPOOLED_BODY)
			return MHD_NO;
		up->spooled += *data_size;
		*data_size = 0;
		return MHD_YES;
	}
	if (*data_size > 0) {
		if (up->len + *data_size > MAX_BODY) {
			LOG_WARN("%s %s: chunked body over %d bytes, connection closed", method,
			         url, MAX_BODY);
			return MHD_NO;
		}
		if (up->len + *data_size + 1 > up->cap) {
			size_t cap = up->cap ? up->cap : 4096;
			while (cap < up->len + *data_size + 1)
				cap *= 2;
			char *nb = realloc(up->buf, cap);
			if (!nb)
				return MHD_NO;
			up->buf = nb;
			up->cap = cap;
		}
		memcpy(up->buf + up->len, data, *data_size);
		up->len += *data_size;
		up->buf[up->len] = '\0';
		*data_size = 0;
		return MHD_YES;
	}
	/* No idle timeout while the request is handled (a start may take minutes); the answer
	 * sets it again (send_response). */
	set_conn_timeout(conn, 0);
	struct response resp = {.status = 200, .content_type = "application/json"};
	if (up->spool_errno)
		resp_error(&resp, 507, "cannot store the request body in %s: %s",
		           g_spool_dir ? g_spool_dir : "/var/tmp", strerror(up->spool_errno));
	else if (up->fd >= 0 && lseek(up->fd, 0, SEEK_SET) < 0)
		resp_error(&resp, 500, "cannot read back the request body: %s", strerror(errno));
	else
		dispatch(conn, method, url, up, &resp);
	log_request(&up->caller, method, url, resp.status);
	return send_response(conn, up, &resp);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
	struct upload *up = *con_cls;
	if (!up)
		return;
	if (up->hijack) { /* the client left before its 101: nothing will run the stream */
		struct hijack *h = up->hijack;
		LOG_DEBUG("upgrade abandoned by the client (%d): releasing it", (int)toe);
		if (h->cls_free)
			h->cls_free(h->cls);
		free(h);
	}
	/* A kept-alive connection waits for its next request under the idle timeout again
	 * (after a stream, the timeout was off). An upgraded one is ours, not MHD's. */
	if (!up->upgraded && toe == MHD_REQUEST_TERMINATED_COMPLETED_OK)
		set_conn_timeout(conn, g_server.idle_timeout_s);
	if (up->fd >= 0)
		close(up->fd);
	free(up->buf);
	free(up);
	*con_cls = NULL;
}

static int listen_unix(const char *path, const char *group)
{
	struct sockaddr_un addr = {.sun_family = AF_UNIX};
	if (strlen(path) >= sizeof(addr.sun_path)) {
		LOG_ERROR("socket path too long: %s", path);
		return -1;
	}
	strcpy(addr.sun_path, path);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	unlink(path);
	mode_t old = umask(0177);
	int ret = bind(fd, (struct sockaddr *)&addr, sizeof(addr));
	umask(old);
	if (ret < 0 || chmod(path, 0660) < 0 || listen(fd, SOMAXCONN) < 0) {
		LOG_ERROR("cannot listen on %s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	struct group *gr = getgrnam(group ? group : "isulad");
	if (gr && chown(path, 0, gr->gr_gid) < 0)
		LOG_WARN("cannot give %s to group %s: %s", path, gr->gr_name, strerror(errno));
	return fd;
}

static int listen_tcp(const char *host)
{
	struct sockaddr_storage ss;
	socklen_t len;
	if (tcp_addr_parse(host, &ss, &len) < 0) {
		LOG_ERROR("invalid host %s", host);
		return -1;
	}
	int fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int one = 1;
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    bind(fd, (struct sockaddr *)&ss, len) < 0 || listen(fd, SOMAXCONN) < 0) {
		fprintf(stderr, "isulad: cannot listen on %s: %s\n", host, strerror(errno));
		LOG_ERROR("cannot listen on %s: %s", host, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

/* libmicrohttpd's own messages, into the daemon's log. Its connections from a TLS listener
 * (cls non-NULL) are socketpairs: the TCP options it tries on them fail, and that is not
 * worth a line per request. */
static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	char msg[512];
	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (cls && (strncmp(msg, "Setting TCP_", 12) == 0 ||
	            strncmp(msg, "Failed to push the data from buffers", 36) == 0))
		return;
	msg[strcspn(msg, "\n")] = '\0';
	LOG_WARN("api: libmicrohttpd: %s", msg);
}

/* fd < 0: a daemon without a listen socket, for the TLS listeners (server_tls.c accepts and
 * hands over each connection after its handshake). */
static struct MHD_Daemon *start_one(int fd, const struct server_limits *limits)
{
	/* poll(), not select(): every fd number works (select() stops at 1024, and a daemon
	 * with many containers has more fds than that before it listens). */
	unsigned flags = MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD |
	                 MHD_USE_POLL | MHD_USE_ERROR_LOG | MHD_ALLOW_UPGRADE;
	struct MHD_OptionItem opts[] = {
	    /* first, or MHD's messages about the options go to stderr */
	    {MHD_OPTION_EXTERNAL_LOGGER, (intptr_t)mhd_log, fd < 0 ? (void *)"tls" : NULL},
	    {MHD_OPTION_NOTIFY_COMPLETED, (intptr_t)on_completed, NULL},
	    {MHD_OPTION_CONNECTION_TIMEOUT, limits->idle_timeout_s, NULL},
	    {MHD_OPTION_CONNECTION_LIMIT, limits->max_connections, NULL},
	    {MHD_OPTION_THREAD_STACK_SIZE, 256 * 1024, NULL},
	    {MHD_OPTION_END, 0, NULL}, /* the listen socket goes here */
	    {MHD_OPTION_END, 0, NULL},
	};
	if (fd >= 0)
		opts[5] = (struct MHD_OptionItem){MHD_OPTION_LISTEN_SOCKET, fd, NULL};
	else
		flags |= MHD_USE_NO_LISTEN_SOCKET | MHD_USE_ITC;
	/* MHD_OPTION_NOTIFY_COMPLETED takes the callback and its cls as two arguments: through
	 * MHD_OPTION_ARRAY, value is the callback and ptr_value the cls. */
	return MHD_start_daemon(flags, 0, NULL, NULL, on_request, NULL, MHD_OPTION_ARRAY, opts,
	                        MHD_OPTION_END);
}

int server_start(char *const *hosts, const char *group, const struct route *routes, size_t n,
                 const struct server_limits *limits, const struct server_tls *tls)
{
	g_server.routes = routes;
	g_server.nroutes = n;
	g_server.idle_timeout_s = limits->idle_timeout_s;
	for (size_t i = 0; hosts[i] && g_server.n < MAX_DAEMONS; i++) {
		bool tcp = tcp_addr_is_tcp(hosts[i], false);
		const char *path = tcp ? NULL : hosts[i] + strlen("unix://");
		int fd = tcp ? listen_tcp(hosts[i]) : listen_unix(path, group);
		if (fd < 0)
			return -1;
		if (tcp && !tls)
			LOG_WARN(
			    "listening on %s WITHOUT TLS (insecure-tcp): anyone who can connect "
			    "to it controls the daemon",
			    hosts[i]);
		bool with_tls = tcp && tls;
		struct MHD_Daemon *d = start_one(with_tls ? -1 : fd, limits);
		if (!d ||
		    (with_tls && server_tls_listen(fd, d, tls, limits->max_connections) < 0)) {
			LOG_ERROR("cannot start the API server on %s", hosts[i]);
			if (d)
				MHD_stop_daemon(d);
			close(fd);
			return -1;
		}
		g_server.daemons[g_server.n] = d;
		g_server.paths[g_server.n] = path ? strdup(path) : NULL;
		g_server.tls[g_server.n] = tcp && tls;
		g_server.n++;
	}
	return 0;
}

void server_stop(void)
{
	server_tls_stop();
	for (size_t i = 0; i < g_server.n; i++) {
		MHD_stop_daemon(g_server.daemons[i]);
		if (g_server.paths[i])
			unlink(g_server.paths[i]);
		free(g_server.paths[i]);
	}
	g_server.n = 0;
	server_tls_wait();
}
