#include "core/http_client.h"

#include <ctype.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "core/fileutil.h"
#include "core/tcp_addr.h"

static int connect_tcp(const char *host)
{
	struct sockaddr_storage ss;
	socklen_t len;
	if (tcp_addr_parse(host, &ss, &len) < 0)
		return -1;
	int fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&ss, len) < 0) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	/* A request goes out in a few writes (and TLS records): without this, Nagle holds the
	 * last one until the server's delayed ACK, some 40 ms. */
	int one = 1;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	return fd;
}

/* The host part of "tcp://IP:PORT" for the certificate check ("[::1]:1" gives "::1"). */
static void host_name(const char *host, char *out, size_t outlen)
{
	if (strncmp(host, "tcp://", 6) == 0)
		host += 6;
	const char *end = host[0] == '[' ? strchr(host, ']') : strrchr(host, ':');
	if (host[0] == '[')
		host++;
	size_t n = end ? (size_t)(end - host) : strlen(host);
	snprintf(out, outlen, "%.*s", (int)n, host);
}

int http_connect_tls(struct http_conn *c, const char *host, const struct tls_client_opts *tls,
                     char *err, size_t errlen)
{
	memset(c, 0, offsetof(struct http_conn, buf));
	c->fd = -1;
	if (!tls || !tcp_addr_is_tcp(host, true)) {
		int ret = http_connect(c, host);
		if (ret < 0)
			snprintf(err, errlen, "%s", strerror(errno));
		return ret;
	}
	int fd = connect_tcp(host);
	if (fd < 0) {
		snprintf(err, errlen, "%s", strerror(errno));
		return -1;
	}
	char name[256];
	host_name(host, name, sizeof(name));
	c->fd = tls_relay_open(fd, name, tls, &c->tls, err, errlen);
	if (c->fd < 0) {
		errno = 0;
		return -1;
	}
	return 0;
}

/* A unix-socket connection, with each send, receive (and so the connect) bounded by
 * timeout_ms when it is > 0. 0, or -1 with errno. */
static int connect_unix(struct http_conn *c, const char *path, int timeout_ms)
{
	memset(c, 0, offsetof(struct http_conn, buf));
	c->fd = -1;
	if (strncmp(path, "unix://", 7) == 0)
		path += 7;
	struct sockaddr_un addr = {.sun_family = AF_UNIX};
	if (strlen(path) >= sizeof(addr.sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(addr.sun_path, path);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	struct timeval tv = {.tv_sec = timeout_ms / 1000, .tv_usec = (timeout_ms % 1000) * 1000};
	if ((timeout_ms > 0 && (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0 ||
	                        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)) < 0)) ||
	    connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	c->fd = fd;
	return 0;
}

int http_connect(struct http_conn *c, const char *path)
{
	if (tcp_addr_is_tcp(path, true)) {
		memset(c, 0, offsetof(struct http_conn, buf));
		c->fd = connect_tcp(path);
		return c->fd < 0 ? -1 : 0;
	}
	return connect_unix(c, path, 0);
}

int http_connect_unix_bounded(struct http_conn *c, const char *path, int timeout_ms)
{
	return connect_unix(c, path, timeout_ms);
}

void http_close(struct http_conn *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	tls_relay_close(c->tls);
	c->tls = NULL;
}

/* Sends data unless the server has closed already; a close seen now (EPIPE, ECONNRESET) is
 * kept in send_errno and is no failure yet: the answer the server sent before closing is
 * what the caller must see (http_read_head reports send_errno when there is none). */
static int send_part(struct http_conn *c, const void *data, size_t len)
{
	if (c->send_errno)
		return 0;
	if (sock_send_all(c->fd, data, len) == 0)
		return 0;
	if (errno != EPIPE && errno != ECONNRESET)
		return -1;
	c->send_errno = errno;
	return 0;
}

int http_send_request(struct http_conn *c, const char *method, const char *target,
                      const char *extra_headers, const char *body, size_t body_len)
{
	char head[16384];
	int n = snprintf(head, sizeof(head) / 2,
	                 "%s %s HTTP/1.1\r\nHost: localhost\r\nUser-Agent: isula\r\n"
	                 "%s%sContent-Length: %zu\r\n\r\n",
	                 method, target, body ? "Content-Type: application/json\r\n" : "",
	                 extra_headers ? extra_headers : "", body ? body_len : (size_t)0);
	if (n < 0 || (size_t)n >= sizeof(head) / 2) {
		errno = E2BIG;
		return -1;
	}
	/* A small body goes in the head's write: the server reads the request at once. */
	if (body && body_len && body_len <= sizeof(head) - (size_t)n) {
		memcpy(head + n, body, body_len);
		return send_part(c, head, (size_t)n + body_len);
	}
	if (send_part(c, head, (size_t)n) < 0)
		return -1;
	return body && body_len ? send_part(c, body, body_len) : 0;
}

int http_send_chunked_head(struct http_conn *c, const char *method, const char *target,
                           const char *content_type)
{
	char head[4096];
	int n = snprintf(head, sizeof(head),
	                 "%s %s HTTP/1.1\r\nHost: localhost\r\nUser-Agent: isula\r\n"
	                 "Content-Type: %s\r\nTransfer-Encoding: chunked\r\n\r\n",
	                 method, target, content_type);
	if (n < 0 || (size_t)n >= sizeof(head)) {
		errno = E2BIG;
		return -1;
	}
	return send_part(c, head, (size_t)n);
}

int http_send_chunk(struct http_conn *c, const void *data, size_t len)
{
	char size[32];
	int n = snprintf(size, sizeof(size), "%zx\r\n", len);
	if (send_part(c, size, (size_t)n) < 0)
		return -1;
	if (len > 0 && send_part(c, data, len) < 0)
		return -1;
	return send_part(c, "\r\n", 2);
}

/* Makes room and reads more bytes into buf. >0, 0 at EOF, -1 on error. */
static ssize_t fill(struct http_conn *c)
{
	if (c->pos > 0) {
		memmove(c->buf, c->buf + c->pos, c->len - c->pos);
		c->len -= c->pos;
		c->pos = 0;
	}
	if (c->len == sizeof(c->buf)) {
		errno = EMSGSIZE;
		return -1;
	}
	for (;;) {
		ssize_t r = read(c->fd, c->buf + c->len, sizeof(c->buf) - c->len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r > 0)
			c->len += (size_t)r;
		return r;
	}
}

/* The next CRLF-terminated line, NUL-terminated in place (CR LF dropped), or NULL. */
static char *read_line(struct http_conn *c)
{
	for (;;) {
		char *start = c->buf + c->pos;
		char *nl = memchr(start, '\n', c->len - c->pos);
		if (nl) {
			*nl = '\0';
			if (nl > start && nl[-1] == '\r')
				nl[-1] = '\0';
			c->pos = (size_t)(nl - c->buf) + 1;
			return start;
		}
		ssize_t r = fill(c);
		if (r <= 0) {
			if (r == 0)
				errno = EPROTO;
			return NULL;
		}
	}
}

static void parse_header(struct http_conn *c, char *line)
{
	char *colon = strchr(line, ':');
	if (!colon)
		return;
	*colon = '\0';
	char *value = colon + 1;
	while (*value == ' ' || *value == '\t')
		value++;
	if (strcasecmp(line, "Content-Length") == 0)
		c->content_length = strtoll(value, NULL, 10);
	else if (strcasecmp(line, "Transfer-Encoding") == 0 && strcasestr(value, "chunked"))
		c->chunked = true;
	else if (strcasecmp(line, "Content-Type") == 0)
		snprintf(c->content_type, sizeof(c->content_type), "%s", value);
	else if (c->capture_name && strcasecmp(line, c->capture_name) == 0)
		snprintf(c->captured, sizeof(c->captured), "%s", value);
}

int http_read_head(struct http_conn *c, bool head_request)
{
	c->content_length = -1;
	c->chunk_left = -1;
	char *line = read_line(c);
	if (!line) {
		if (c->send_errno)
			errno = c->send_errno; /* closed without an answer */
		return -1;
	}
	int status = 0;
	if (sscanf(line, "HTTP/1.%*d %d", &status) != 1 || status < 100 || status > 999) {
		errno = EPROTO;
		return -1;
	}
	c->status = status;
	while ((line = read_line(c)) && *line)
		parse_header(c, line);
	if (!line)
		return -1;
	c->no_body = head_request || status < 200 || status == 204 || status == 304;
	c->body_done = c->no_body || (!c->chunked && c->content_length == 0);
	return 0;
}

/* Copies up to max buffered-or-read bytes, at most limit (<0: no limit). */
static ssize_t take(struct http_conn *c, char *out, size_t max, int64_t limit)
{
	if (c->pos == c->len) {
		ssize_t r = fill(c);
		if (r <= 0)
			return r;
	}
	size_t n = c->len - c->pos;
	if (n > max)
		n = max;
	if (limit >= 0 && (int64_t)n > limit)
		n = (size_t)limit;
	memcpy(out, c->buf + c->pos, n);
	c->pos += n;
	return (ssize_t)n;
}

static ssize_t read_chunked(struct http_conn *c, char *out, size_t max)
{
	if (c->chunk_left == 0) { /* CRLF after a chunk's data */
		char *line = read_line(c);
		if (!line || *line) {
			errno = EPROTO;
			return -1;
		}
		c->chunk_left = -1;
	}
	if (c->chunk_left < 0) {
		char *line = read_line(c);
		if (!line)
			return -1;
		char *end;
		long long size = strtoll(line, &end, 16);
		if (end == line || size < 0) {
			errno = EPROTO;
			return -1;
		}
		if (size == 0) { /* trailers, then the empty line */
			while ((line = read_line(c)) && *line)
				;
			c->body_done = true;
			return line ? 0 : -1;
		}
		c->chunk_left = size;
	}
	ssize_t n = take(c, out, max, c->chunk_left);
	if (n == 0) {
		errno = EPROTO;
		return -1;
	}
	if (n > 0)
		c->chunk_left -= n;
	return n;
}

ssize_t http_read_body(struct http_conn *c, char *out, size_t max)
{
	if (c->body_done || max == 0)
		return 0;
	if (c->chunked)
		return read_chunked(c, out, max);
	ssize_t n = take(c, out, max, c->content_length);
	if (n > 0 && c->content_length >= 0) {
		c->content_length -= n;
		if (c->content_length == 0)
			c->body_done = true;
	} else if (n == 0) {
		c->body_done = true;
		if (c->content_length > 0) { /* the daemon went away mid-body */
			errno = EPROTO;
			return -1;
		}
	}
	return n;
}

int http_read_body_all(struct http_conn *c, char **body, size_t *len)
{
	size_t cap = 4096, n = 0;
	char *b = malloc(cap);
	if (!b)
		return -1;
	for (;;) {
		if (cap - n < 2048) {
			char *nb = realloc(b, cap * 2);
			if (!nb) {
				free(b);
				return -1;
			}
			b = nb;
			cap *= 2;
		}
		ssize_t r = http_read_body(c, b + n, cap - n - 1);
		if (r < 0) {
			free(b);
			return -1;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	b[n] = '\0';
	*body = b;
	if (len)
		*len = n;
	return 0;
}

char *http_url_escape(const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	char *out = malloc(strlen(s) * 3 + 1);
	if (!out)
		return NULL;
	char *o = out;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (isalnum(*p) || strchr("-._~", *p)) {
			*o++ = (char)*p;
		} else {
			*o++ = '%';
			*o++ = hex[*p >> 4];
			*o++ = hex[*p & 15];
		}
	}
	*o = '\0';
	return out;
}
