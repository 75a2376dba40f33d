/* A small HTTP/1.1 client over a unix socket or tcp (optionally TLS, tls_client.h): one request per
 * connection, bodies by Content-Length or chunked encoding, and the raw stream kept available for
 * upgraded (hijacked) connections. libcurl does all this too, but loading it costs ~12 ms per
 * command, more than the isula inspect budget. */
#ifndef LIB_CORE_HTTP_CLIENT_H
#define LIB_CORE_HTTP_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "core/tls_client.h"

#define HTTP_BUF_SIZE 16384

struct http_conn {
	int fd;
	struct tls_relay *tls; /* fd is its local end, for a TLS connection */
	int status;            /* of the response, after http_read_head */
	/* EPIPE or ECONNRESET while sending: the server answered early and closed (an auth
	 * refusal, a body too large); its answer is still read. 0 otherwise. */
	int send_errno;
	int64_t content_length; /* -1: not given */
	bool chunked;
	bool no_body;       /* HEAD, 1xx, 204, 304 */
	int64_t chunk_left; /* bytes left in the current chunk, -1 before the first */
	bool body_done;
	char content_type[128];
	/* Set after http_connect: the value of this response header goes to captured. */
	const char *capture_name;
	char captured[2048];
	size_t pos, len; /* unread bytes are buf[pos..len) */
	char buf[HTTP_BUF_SIZE];
};

/* Connects to path ("unix://" prefix optional) or to "tcp://IP:PORT" (also bare "IP:PORT", as
 * in ISULAD_HOST) in plain HTTP. 0, or -1 with errno set. */
int http_connect(struct http_conn *c, const char *path);
/* A unix socket only, where the connect, each send and each receive give up after
 * timeout_ms (EAGAIN): for a peer that must not hang the caller. 0, or -1 with errno. */
int http_connect_unix_bounded(struct http_conn *c, const char *path, int timeout_ms);
/* The same, with TLS on a tcp host when tls is not NULL. -1 with a message in err (errno set
 * for a failed connect; 0 for a TLS failure). */
int http_connect_tls(struct http_conn *c, const char *host, const struct tls_client_opts *tls,
                     char *err, size_t errlen);
void http_close(struct http_conn *c);
/* Sends one request. extra_headers: "Name: value\r\n" lines or NULL. 0 or -1 (errno). */
int http_send_request(struct http_conn *c, const char *method, const char *target,
                      const char *extra_headers, const char *body, size_t body_len);
/* A request whose body follows in chunks (Transfer-Encoding: chunked) sent with
 * http_send_chunk; a chunk of length 0 ends the body. 0 or -1 (errno). */
int http_send_chunked_head(struct http_conn *c, const char *method, const char *target,
                           const char *content_type);
int http_send_chunk(struct http_conn *c, const void *data, size_t len);
/* Reads the status line and headers. 0, or -1 (errno; EPROTO for a malformed answer). */
int http_read_head(struct http_conn *c, bool head_request);
/* Reads up to max body bytes (decoding chunks). >0 bytes, 0 at the end, -1 on error. */
ssize_t http_read_body(struct http_conn *c, char *out, size_t max);
/* Reads the rest of the body into a NUL-terminated malloc'd string. 0 or -1. */
int http_read_body_all(struct http_conn *c, char **body, size_t *len);
/* Percent-encodes s for a query string value (malloc'd). */
char *http_url_escape(const char *s);

#endif
