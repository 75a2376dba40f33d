/* One epoll thread of libmicrohttpd answers every request: a decision is a few regexec calls,
 * so nothing blocks it, and a slow client only holds its own connection (idle timeout). */
#include "broker_http.h"

#include <microhttpd.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/json.h"
#include "core/log.h"
#include "engine/authz_action.h"

static struct MHD_Daemon *g_mhd;
static pthread_rwlock_t g_lock = PTHREAD_RWLOCK_INITIALIZER;
static struct policy_set *g_set;

void broker_set_policies(struct policy_set *set)
{
	pthread_rwlock_wrlock(&g_lock);
	struct policy_set *old = g_set;
	g_set = set;
	pthread_rwlock_unlock(&g_lock);
	policy_set_free(old);
}

enum endpoint { EP_UNKNOWN, EP_AUTH, EP_ACTIVATE, EP_AUTHZ_REQ, EP_AUTHZ_RES };

static enum endpoint endpoint_of(const char *url)
{
	if (strcmp(url, "/isulad.auth") == 0)
		return EP_AUTH;
	if (strcmp(url, "/Plugin.Activate") == 0)
		return EP_ACTIVATE;
	if (strcmp(url, "/AuthZPlugin.AuthZReq") == 0)
		return EP_AUTHZ_REQ;
	if (strcmp(url, "/AuthZPlugin.AuthZRes") == 0)
		return EP_AUTHZ_RES;
	return EP_UNKNOWN;
}

static size_t body_max(enum endpoint ep)
{
	return ep == EP_AUTHZ_REQ || ep == EP_AUTHZ_RES ? AUTHZ_REQ_BODY_MAX : AUTH_BODY_MAX;
}

struct request {
	enum endpoint ep;
	char *buf;
	size_t len;
};

int auth_body_split(const char *body, size_t len, char *user, char *action)
{
	if (len == 0 || len > AUTH_BODY_MAX)
		return -1;
	const char *colon = NULL;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)body[i];
		if (c < 0x20 || c == 0x7f) /* a CN may hold spaces and UTF-8, never controls */
			return -1;
		if (c == ':') {
			if (colon)
				return -1;
			colon = body + i;
		}
	}
	if (!colon || colon == body || colon == body + len - 1)
		return -1;
	size_t ulen = (size_t)(colon - body);
	memcpy(user, body, ulen);
	user[ulen] = '\0';
	memcpy(action, colon + 1, len - ulen - 1);
	action[len - ulen - 1] = '\0';
	return 0;
}

/* A hostile value made safe for one log line: quotes, backslashes and control bytes escaped,
 * at most 128 characters shown. */
static void log_quote(const char *s, char *out, size_t outlen)
{
	size_t o = 0;
	for (size_t i = 0; s[i] && o + 5 < outlen; i++) {
		unsigned char c = (unsigned char)s[i];
		if (i == 128) {
			memcpy(out + o, "...", 3);
			o += 3;
			break;
		}
		if (c == '"' || c == '\\') {
			out[o++] = '\\';
			out[o++] = (char)c;
		} else if (c < 0x20 || c == 0x7f) {
			o += (size_t)snprintf(out + o, outlen - o, "\\x%02x", c);
		} else {
			out[o++] = (char)c;
		}
	}
	out[o] = '\0';
}

static void log_decision(const char *via, const char *user, const char *action, const char *method,
                         const struct authz_decision *d)
{
	char qu[600], qa[600];
	log_quote(user, qu, sizeof(qu));
	log_quote(action, qa, sizeof(qa));
	LOG_INFO("decision: user=\"%s\" action=\"%s\" method=%s policy=%s result=%s via=%s", qu, qa,
	         method ? method : "-", d->policy ? d->policy : "-", authz_result_name(d->result),
	         via);
}

/* Decides under the read lock (the policy name is only valid while the set is). 0, or -1
 * when no policies are loaded. */
static int decide(const char *via, const char *user, const char *action, const char *method,
                  struct authz_decision *d)
{
	pthread_rwlock_rdlock(&g_lock);
	if (!g_set) {
		pthread_rwlock_unlock(&g_lock);
		LOG_ERROR("no policies loaded: request of user %.64s refused", user);
		return -1;
	}
	policy_decide(g_set, user, action, method, d);
	log_decision(via, user, action, method, d);
	pthread_rwlock_unlock(&g_lock);
	return 0;
}

static enum MHD_Result answer(struct MHD_Connection *conn, unsigned status, char *body, size_t len)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(
	    len, body ? body : (char *)"", body ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
	if (!r) {
		free(body);
		return MHD_NO;
	}
	if (body)
		MHD_add_response_header(r, "Content-Type", "application/json");
	enum MHD_Result ret = MHD_queue_response(conn, status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result answer_authz(struct MHD_Connection *conn, unsigned status, bool allow,
                                    const char *msg, const char *err)
{
	yajl_gen g = yajl_gen_alloc(NULL);
	if (!g)
		return MHD_NO;
	yajl_gen_map_open(g);
	jg_kbool(g, "Allow", allow);
	jg_kstr(g, "Msg", msg);
	jg_kstr(g, "Err", err);
	yajl_gen_map_close(g);
	size_t len = 0;
	char *body = jg_finish(g, &len);
	return body ? answer(conn, status, body, len) : MHD_NO;
}

static enum MHD_Result answer_json(struct MHD_Connection *conn, unsigned status, const char *json)
{
	char *body = strdup(json);
	return body ? answer(conn, status, body, strlen(body)) : MHD_NO;
}

static enum MHD_Result serve_auth(struct MHD_Connection *conn, const struct request *rq)
{
	char user[AUTH_BODY_MAX + 1], action[AUTH_BODY_MAX + 1];
	if (auth_body_split(rq->buf ? rq->buf : "", rq->len, user, action) < 0) {
		LOG_WARN("isulad.auth: body of %zu bytes is not \"user:action\": 400", rq->len);
		return answer(conn, 400, NULL, 0);
	}
	/* isulad sends the request's method beside (X-Request-Method), so a readonly policy
	 * can allow its GETs; without it (other callers) readonly denies, as the original. */
	const char *method =
	    MHD_lookup_connection_value(conn, MHD_HEADER_KIND, AUTHZ_METHOD_HEADER);
	if (!authz_method_ok(method))
		method = NULL;
	struct authz_decision d;
	if (decide("isulad.auth", user, action, method, &d) < 0)
		return answer(conn, 500, NULL, 0);
	unsigned status = d.result == AUTHZ_ALLOW ? 200 : d.result == AUTHZ_DENY ? 403 : 404;
	return answer(conn, status, NULL, 0);
}

static enum MHD_Result serve_authz_req(struct MHD_Connection *conn, const struct request *rq)
{
	char jerr[256] = "";
	yajl_val o = rq->buf ? json_parse(rq->buf, jerr, sizeof(jerr)) : NULL;
	if (!o || !YAJL_IS_OBJECT(o)) {
		jerr[strcspn(jerr, "\n")] = '\0';
		LOG_WARN("AuthZReq: body is not a JSON object: 400");
		yajl_tree_free(o);
		return answer_authz(conn, 400, false, "",
		                    o ? "request body must be a JSON object"
		                      : "request body is not JSON");
	}
	yajl_val user = json_get(o, "User"), method = json_get(o, "RequestMethod"),
	         uri = json_get(o, "RequestUri");
	enum MHD_Result ret;
	if ((user && !YAJL_IS_STRING(user) && !YAJL_IS_NULL(user)) || !YAJL_IS_STRING(method) ||
	    !YAJL_IS_STRING(uri)) {
		ret = answer_authz(conn, 400, false, "",
		                   "RequestMethod and RequestUri must be strings, User a string");
	} else {
		const char *u = YAJL_IS_STRING(user) ? user->u.string : "";
		const char *action = authz_action(method->u.string, uri->u.string);
		struct authz_decision d;
		if (decide("AuthZReq", u, action, method->u.string, &d) < 0)
			ret = answer_authz(conn, 500, false, "", "no policies loaded");
		else
			ret = answer_authz(conn, 200, d.result == AUTHZ_ALLOW, d.msg, "");
	}
	yajl_tree_free(o);
	return ret;
}

static enum MHD_Result serve(struct MHD_Connection *conn, const char *url, const struct request *rq)
{
	switch (rq->ep) {
	case EP_AUTH:
		return serve_auth(conn, rq);
	case EP_ACTIVATE:
		return answer_json(conn, 200, "{\"Implements\":[\"authz\"]}");
	case EP_AUTHZ_REQ:
		return serve_authz_req(conn, rq);
	case EP_AUTHZ_RES:
		return answer_json(conn, 200, "{\"Allow\":true}");
	default:
		break;
	}
	char q[600];
	log_quote(url, q, sizeof(q));
	LOG_DEBUG("unknown endpoint \"%s\": 404", q);
	return answer_json(conn, 404, "{\"Err\":\"unknown endpoint\"}");
}

static enum MHD_Result too_big(struct MHD_Connection *conn, const struct request *rq)
{
	LOG_WARN("request body larger than %zu bytes: 413", body_max(rq->ep));
	if (rq->ep == EP_AUTH)
		return answer(conn, 413, NULL, 0);
	return answer_json(conn, 413,
	                   "{\"Allow\":false,\"Msg\":\"\",\"Err\":\"request body too large\"}");
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *data,
                                  size_t *data_size, void **con_cls)
{
	struct request *rq = *con_cls;
	if (!rq) {
		rq = calloc(1, sizeof(*rq));
		if (!rq)
			return MHD_NO;
		rq->ep = endpoint_of(url);
		*con_cls = rq;
		/* An announced oversized body is refused before any of it is read. */
		const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
		                                             MHD_HTTP_HEADER_CONTENT_LENGTH);
		if (cl && strtoull(cl, NULL, 10) > body_max(rq->ep))
			return too_big(conn, rq);
		return MHD_YES;
	}
	if (*data_size > 0) {
		/* A chunked body over the limit: the connection is closed. */
		if (rq->len + *data_size > body_max(rq->ep)) {
			LOG_WARN("chunked request body over %zu bytes: connection closed",
			         body_max(rq->ep));
			return MHD_NO;
		}
		char *nb = realloc(rq->buf, rq->len + *data_size + 1);
		if (!nb)
			return MHD_NO;
		memcpy(nb + rq->len, data, *data_size);
		rq->buf = nb;
		rq->len += *data_size;
		rq->buf[rq->len] = '\0';
		*data_size = 0;
		return MHD_YES;
	}
	return serve(conn, url, rq);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
	struct request *rq = *con_cls;
	if (rq) {
		free(rq->buf);
		free(rq);
	}
	*con_cls = NULL;
}

int broker_http_start(int listen_fd)
{
	g_mhd = MHD_start_daemon(
	    MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ERROR_LOG, 0, NULL, NULL, on_request, NULL,
	    MHD_OPTION_LISTEN_SOCKET, listen_fd, MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)BROKER_IDLE_TIMEOUT_S,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned)BROKER_MAX_CONNECTIONS, MHD_OPTION_END);
	if (!g_mhd) {
		LOG_ERROR("cannot start the HTTP server (libmicrohttpd)");
		return -1;
	}
	return 0;
}

void broker_http_stop(void)
{
	if (g_mhd)
		MHD_stop_daemon(g_mhd);
	g_mhd = NULL;
	broker_set_policies(NULL);
}
