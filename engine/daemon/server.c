#include "server.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "json.h"
#include "log.h"

#define MAX_BODY (16 << 20)
#define MAX_SPOOLED_BODY ((uint64_t)16 << 30)
#define MAX_DAEMONS 10

struct upload {
	char *buf;
	size_t len;
	bool too_large;
	int fd; /* PUT: the spool file, else -1 */
	uint64_t spooled;
	int spool_errno;
};

static char *g_spool_dir;

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

static void spool(struct upload *up, const char *data, size_t size)
{
	if (up->spool_errno || up->too_large)
		return;
	if (up->spooled + size > MAX_SPOOLED_BODY) {
		up->too_large = true;
		return;
	}
	while (size > 0) {
		ssize_t n = write(up->fd, data, size);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			up->spool_errno = errno;
			return;
		}
		data += n;
		size -= (size_t)n;
		up->spooled += (uint64_t)n;
	}
}

static struct {
	const struct route *routes;
	size_t nroutes;
	struct MHD_Daemon *daemons[MAX_DAEMONS];
	char *paths[MAX_DAEMONS];
	size_t n;
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

static enum MHD_Result send_upgrade(struct MHD_Connection *conn, struct response *r)
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
	MHD_add_response_header(mr, "Content-Type", r->content_type);
	MHD_add_response_header(mr, "Upgrade", "tcp");
	add_common_headers(mr);
	enum MHD_Result ret = MHD_queue_response(conn, MHD_HTTP_SWITCHING_PROTOCOLS, mr);
	MHD_destroy_response(mr);
	if (ret == MHD_NO) { /* e.g. the request asked for no upgrade */
		free(h);
		if (r->upgrade_free)
			r->upgrade_free(r->upgrade_cls);
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

static enum MHD_Result send_response(struct MHD_Connection *conn, struct response *r)
{
	if (r->upgrade)
		return send_upgrade(conn, r);
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
	return ret;
}

static void dispatch(struct MHD_Connection *conn, const char *method, const char *url,
                     struct upload *up, struct response *resp)
{
	const char *path = strip_version(url);
	char param[512];
	bool path_known = false;
	for (size_t i = 0; i < g_server.nroutes; i++) {
		const struct route *rt = &g_server.routes[i];
		param[0] = '\0';
		if (!route_matches(rt->pattern, path, param, sizeof(param)))
			continue;
		path_known = true;
		if (strcmp(rt->method, method) != 0 &&
		    !(strcmp(method, "HEAD") == 0 && strcmp(rt->method, "GET") == 0))
			continue;
		struct request req = {.conn = conn,
		                      .method = method,
		                      .path = path,
		                      .param = param,
		                      .body = up->buf ? up->buf : "",
		                      .body_len = up->len,
		                      .body_fd = up->fd};
		rt->handler(&req, resp);
		return;
	}
	if (path_known)
		resp_error(resp, 405, "method %s not allowed on %s", method, path);
	else
		resp_error(resp, 404, "page not found: %s", path);
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
		if (strcmp(method, "PUT") == 0 && (up->fd = open_spool_file()) < 0)
			up->spool_errno = errno;
		return MHD_YES;
	}
	if (*data_size > 0 && strcmp(method, "PUT") == 0) {
		spool(up, data, *data_size);
		*data_size = 0;
		return MHD_YES;
	}
	if (*data_size > 0) {
		if (up->len + *data_size > MAX_BODY) {
			up->too_large = true;
		} else {
			char *nb = realloc(up->buf, up->len + *data_size + 1);
			if (!nb)
				return MHD_NO;
			memcpy(nb + up->len, data, *data_size);
			up->buf = nb;
			up->len += *data_size;
			up->buf[up->len] = '\0';
		}
		*data_size = 0;
		return MHD_YES;
	}
	struct response resp = {.status = 200, .content_type = "application/json"};
	if (up->too_large)
		resp_error(&resp, 413, "request body larger than %llu bytes",
		           up->fd >= 0 ? (unsigned long long)MAX_SPOOLED_BODY
		                       : (unsigned long long)MAX_BODY);
	else if (up->spool_errno)
		resp_error(&resp, 507, "cannot store the request body in %s: %s",
		           g_spool_dir ? g_spool_dir : "/var/tmp", strerror(up->spool_errno));
	else if (up->fd >= 0 && lseek(up->fd, 0, SEEK_SET) < 0)
		resp_error(&resp, 500, "cannot read back the request body: %s", strerror(errno));
	else
		dispatch(conn, method, url, up, &resp);
	LOG_DEBUG("%s %s -> %u", method, url, resp.status);
	return send_response(conn, &resp);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
	struct upload *up = *con_cls;
	if (up) {
		if (up->fd >= 0)
			close(up->fd);
		free(up->buf);
		free(up);
		*con_cls = NULL;
	}
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
	if (ret < 0 || chmod(path, 0660) < 0 || listen(fd, 128) < 0) {
		LOG_ERROR("cannot listen on %s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	struct group *gr = getgrnam(group ? group : "isulad");
	if (gr && chown(path, 0, gr->gr_gid) < 0)
		LOG_WARN("cannot give %s to group %s: %s", path, gr->gr_name, strerror(errno));
	return fd;
}

int server_start(char *const *hosts, const char *group, const struct route *routes, size_t n)
{
	g_server.routes = routes;
	g_server.nroutes = n;
	for (size_t i = 0; hosts[i] && g_server.n < MAX_DAEMONS; i++) {
		const char *path = hosts[i] + strlen("unix://");
		int fd = listen_unix(path, group);
		if (fd < 0)
			return -1;
		struct MHD_Daemon *d = MHD_start_daemon(
		    MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD |
		        MHD_USE_ERROR_LOG | MHD_ALLOW_UPGRADE,
		    0, NULL, NULL, on_request, NULL, MHD_OPTION_LISTEN_SOCKET, fd,
		    MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL, MHD_OPTION_CONNECTION_TIMEOUT,
		    (unsigned int)0, MHD_OPTION_THREAD_STACK_SIZE, (size_t)(256 * 1024),
		    MHD_OPTION_END);
		if (!d) {
			LOG_ERROR("cannot start the API server on %s", path);
			close(fd);
			return -1;
		}
		g_server.daemons[g_server.n] = d;
		g_server.paths[g_server.n] = strdup(path);
		g_server.n++;
	}
	return 0;
}

void server_stop(void)
{
	for (size_t i = 0; i < g_server.n; i++) {
		MHD_stop_daemon(g_server.daemons[i]);
		unlink(g_server.paths[i]);
		free(g_server.paths[i]);
	}
	g_server.n = 0;
}
