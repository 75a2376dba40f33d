/* The HTTP/1.1 API server (libmicrohttpd) on unix sockets and tcp (TLS), with a small router for
 * Docker Engine API style paths ("/v1.41/containers/{id}/start" and unversioned). */
#ifndef ENGINE_SERVER_H
#define ENGINE_SERVER_H

#include <microhttpd.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"

/* Who sent a request: on the unix socket its peer credentials (peercred: uid, pid, user the
 * uid's name); on a TLS listener the client certificate's CN in user, when verified (known). */
struct req_caller {
	bool known, peercred, tls;
	unsigned uid;
	int pid;
	char user[256];
};

struct request {
	struct MHD_Connection *conn;
	const struct req_caller *caller;
	const char *method;
	const char *path;  /* without the /vX.Y prefix */
	const char *param; /* the {id} or {name} part of the path, if the route has one */
	const char *body;
	size_t body_len;
	/* PUT bodies are not in body: they are spooled to an unlinked temp file (at offset 0),
	 * so that archives of any size up to MAX_SPOOLED_BODY can be received. -1 otherwise. */
	int body_fd;
};

struct response {
	unsigned int status;
	char *body; /* malloc'd */
	const char *content_type;
	/* Instead of body: a chunked body produced by stream (which may block; each connection
	 * has its own thread). The headers go out first, so a client can tell the request was
	 * taken before its answer is known. stream_free runs when the connection ends. */
	MHD_ContentReaderCallback stream;
	void *stream_cls;
	MHD_ContentReaderFreeCallback stream_free;
	/* Or: a hijacked connection (Docker's attach/exec start). The answer is "101 Switching
	 * Protocols" and then upgrade(upgrade_cls, fd, early bytes) runs in a thread of its own
	 * with the raw socket; the server closes the socket when it returns. */
	void (*upgrade)(void *cls, int fd, const char *early, size_t early_len);
	void *upgrade_cls;
	void (*upgrade_free)(void *cls); /* if the upgrade never happened */
	/* One extra response header (the value is malloc'd and freed with the response). */
	const char *header_name;
	char *header_value;
};

typedef void (*route_handler)(const struct request *req, struct response *resp);

/* What a route takes as request body. A body sent to a route that takes none (or to no
 * route) is refused from the headers alone, before any of it is read. */
enum route_body {
	BODY_NONE = 0,
	BODY_JSON,    /* in memory, at most MAX_BODY bytes */
	BODY_ARCHIVE, /* PUT: spooled to disk (body_fd), at most MAX_SPOOLED_BODY bytes */
};

struct route {
	const char *method;
	const char *pattern; /* "/containers/{}/start": {} matches one path segment */
	route_handler handler;
	enum route_body body;
};

struct server_limits {
	unsigned max_connections; /* open API connections at once; more are closed at accept */
	unsigned idle_timeout_s;  /* a connection with no request in progress is closed after
	                           * this; 0: never. Requests being handled and their streamed
	                           * or upgraded answers are not cut. */
};

const char *req_query(const struct request *req, const char *key);
bool req_query_bool(const struct request *req, const char *key);
void resp_json(struct response *resp, unsigned int status, char *body);
void resp_error(struct response *resp, unsigned int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The one mapping from an error's kind to its HTTP status (Docker's errdefs): invalid 400,
 * forbidden 403, not found 404, conflict / not running / exists 409, a command that cannot
 * run in the container 400 (Docker's start error), anything else 500. */
unsigned int http_status_of(int code);
/* For a request that does a second action besides its own (a create that also starts):
 * with the authorization plugin, the broker decides that action for the same caller too.
 * 0, or -1 with the 403 in resp. */
int server_authorize_also(const struct request *req, const char *action, struct response *resp);
/* resp_error with e's message and the status of its code. */
void resp_error_from(struct response *resp, const struct error *e);
void resp_empty(struct response *resp, unsigned int status);
void resp_stream(struct response *resp, unsigned int status, const char *content_type,
                 MHD_ContentReaderCallback stream, void *cls, MHD_ContentReaderFreeCallback done);
void resp_upgrade(struct response *resp, const char *content_type,
                  void (*upgrade)(void *cls, int fd, const char *early, size_t early_len),
                  void *cls, void (*upgrade_free)(void *cls));
/* For stream callbacks: copies what fits of (*pending)[*off..len) into buf, and frees
 * *pending (setting it NULL) once all of it has gone out. Returns the bytes copied. */
ssize_t stream_take_pending(char **pending, size_t len, size_t *off, char *buf, size_t max);
/* True once the client has closed the connection (for streams that wait). */
bool req_peer_gone(struct MHD_Connection *conn);

/* Where PUT bodies are spooled (the daemon's graph dir: on disk, unlike the state dir). */
void server_set_spool_dir(const char *dir);
/* Ask the authz-broker on this unix socket before every request (NULL: nobody is asked). */
void server_set_authz(const char *socket_path);

struct server_tls;
/* Listens on every host: unix:// with mode 0660, group `group` when it exists; tcp:// with
 * TLS when tls is not NULL (tls->verify: client certificates signed by its CA required),
 * else in plain HTTP (the configuration's insecure-tcp opt-in; logged as a warning). */
int server_start(char *const *hosts, const char *group, const struct route *routes, size_t n,
                 const struct server_limits *limits, const struct server_tls *tls);
void server_stop(void);

#endif
