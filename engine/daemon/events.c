#include "events.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/json.h"
#include "engine/list_filter.h"
#include "store.h"
#include "core/timeutil.h"

#define EVENTS_RING 1024

struct event {
	int64_t time_ns;
	char *json; /* one line, with its newline */
	char *id, *name, *action, *image;
};

static struct {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	pthread_once_t once;
	struct event ring[EVENTS_RING];
	uint64_t next_seq; /* the next event goes to ring[next_seq % EVENTS_RING] */
} g_events = {.lock = PTHREAD_MUTEX_INITIALIZER, .once = PTHREAD_ONCE_INIT};

static void init_cond(void)
{
	pthread_condattr_t attr;
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&g_events.cond, &attr);
	pthread_condattr_destroy(&attr);
}

static int64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void event_clear(struct event *e)
{
	free(e->json);
	free(e->id);
	free(e->name);
	free(e->action);
	free(e->image);
	memset(e, 0, sizeof(*e));
}

/* Renders Docker's event object; c's fields are read under the caller's store lock. */
static char *render(const struct container *c, const char *action, const char *image, int64_t t,
                    va_list ap)
{
	yajl_gen g = yajl_gen_alloc(NULL);
	yajl_gen_map_open(g);
	jg_kstr(g, "status", action);
	jg_kstr(g, "id", c->id);
	jg_kstr(g, "from", image);
	jg_kstr(g, "Type", "container");
	jg_kstr(g, "Action", action);
	jg_key(g, "Actor");
	yajl_gen_map_open(g);
	jg_kstr(g, "ID", c->id);
	jg_key(g, "Attributes");
	yajl_gen_map_open(g);
	jg_kstr(g, "image", image);
	jg_kstr(g, "name", c->name);
	for (;;) {
		const char *k = va_arg(ap, const char *);
		if (!k)
			break;
		const char *v = va_arg(ap, const char *);
		jg_kstr(g, k, v ? v : "");
	}
	yajl_gen_map_close(g);
	yajl_gen_map_close(g);
	jg_kstr(g, "scope", "local");
	jg_kint(g, "time", t / 1000000000);
	jg_kint(g, "timeNano", t);
	yajl_gen_map_close(g);
	return jg_finish_line(g);
}

static void emit_v(const struct container *c, const char *action, va_list ap)
{
	pthread_once(&g_events.once, init_cond);
	const char *image = c->config.image && *c->config.image ? c->config.image : "none";
	int64_t t = now_ns();
	struct event e = {.time_ns = t};
	e.json = render(c, action, image, t, ap);
	e.id = strdup(c->id);
	e.name = strdup(c->name ? c->name : "");
	e.action = strdup(action);
	e.image = strdup(image);
	if (!e.json || !e.id || !e.name || !e.action || !e.image) {
		event_clear(&e);
		return;
	}
	pthread_mutex_lock(&g_events.lock);
	struct event *slot = &g_events.ring[g_events.next_seq % EVENTS_RING];
	event_clear(slot);
	*slot = e;
	g_events.next_seq++;
	pthread_cond_broadcast(&g_events.cond);
	pthread_mutex_unlock(&g_events.lock);
}

void events_emit_locked(const struct container *c, const char *action, ...)
{
	va_list ap;
	va_start(ap, action);
	emit_v(c, action, ap);
	va_end(ap);
}

void events_emit(const struct container *c, const char *action, ...)
{
	va_list ap;
	va_start(ap, action);
	store_lock();
	emit_v(c, action, ap);
	store_unlock();
	va_end(ap);
}

/* ------------------------------------------------------------------------- subscribers */

struct subscriber {
	struct MHD_Connection *conn;
	uint64_t next;
	int64_t since_ns, until_ns; /* -1: not given */
	yajl_val filters;
	char *pending;
	size_t plen, poff;
};

static bool match_container(const void *item, const char *want)
{
	const struct event *e = item;
	size_t n = strlen(want);
	return n > 0 && (strncmp(e->id, want, n) == 0 || strcmp(e->name, want) == 0 ||
	                 strncmp(e->name, want, n) == 0);
}

static bool match_event(const void *item, const char *want)
{
	const struct event *e = item;
	/* "exec_create: ls" is an exec_create (Docker: the part before the colon counts). */
	size_t n = strcspn(e->action, ":");
	return strcmp(e->action, want) == 0 ||
	       (strlen(want) == n && strncmp(e->action, want, n) == 0);
}

static bool match_type(const void *item, const char *want)
{
	return strcmp(want, "container") == 0;
}

static bool match_image(const void *item, const char *want)
{
	const struct event *e = item;
	return strcmp(e->image, want) == 0;
}

static bool event_matches(const struct subscriber *s, const struct event *e)
{
	return list_filter_any(s->filters, "container", match_container, e) &&
	       list_filter_any(s->filters, "event", match_event, e) &&
	       list_filter_any(s->filters, "type", match_type, e) &&
	       list_filter_any(s->filters, "image", match_image, e);
}

/* Lock held: the next matching event's JSON (a copy), 1 when the stream is over, 0 when
 * there is nothing yet. */
static int next_event(struct subscriber *s, char **out)
{
	uint64_t oldest = g_events.next_seq > EVENTS_RING ? g_events.next_seq - EVENTS_RING : 0;
	if (s->next < oldest)
		s->next = oldest; /* fell behind the ring: those are lost */
	while (s->next < g_events.next_seq) {
		const struct event *e = &g_events.ring[s->next % EVENTS_RING];
		s->next++;
		if (s->until_ns >= 0 && e->time_ns > s->until_ns)
			return 1;
		if (s->since_ns >= 0 && e->time_ns < s->since_ns)
			continue;
		if (event_matches(s, e)) {
			*out = strdup(e->json);
			return *out ? 0 : 1;
		}
	}
	return s->until_ns >= 0 && now_ns() > s->until_ns ? 1 : 0;
}

static ssize_t events_stream(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct subscriber *s = cls;
	while (!s->pending) {
		pthread_mutex_lock(&g_events.lock);
		char *json = NULL;
		int over = next_event(s, &json);
		if (!json && !over) {
			struct timespec ts;
			clock_gettime(CLOCK_MONOTONIC, &ts);
			ts.tv_sec += 1;
			pthread_cond_timedwait(&g_events.cond, &g_events.lock, &ts);
		}
		pthread_mutex_unlock(&g_events.lock);
		if (over)
			return MHD_CONTENT_READER_END_OF_STREAM;
		if (json) {
			s->pending = json;
			s->plen = strlen(json);
			s->poff = 0;
		} else if (req_peer_gone(s->conn)) {
			return MHD_CONTENT_READER_END_WITH_ERROR;
		}
	}
	return stream_take_pending(&s->pending, s->plen, &s->poff, buf, max);
}

static void events_done(void *cls)
{
	struct subscriber *s = cls;
	if (s->filters)
		yajl_tree_free(s->filters);
	free(s->pending);
	free(s);
}

static int parse_point(const char *what, const char *value, int64_t *out, char *err, size_t errlen)
{
	*out = -1;
	if (!value || !*value)
		return 0;
	struct timespec now, ts;
	clock_gettime(CLOCK_REALTIME, &now);
	if (time_parse_point(value, &now, &ts) < 0) {
		snprintf(err, errlen,
		         "Invalid %s value '%s': expected unix seconds, an RFC 3339 time or a "
		         "duration like 10m",
		         what, value);
		return -1;
	}
	*out = (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
	return 0;
}

void route_events(const struct request *req, struct response *resp)
{
	pthread_once(&g_events.once, init_cond);
	char err[512] = "";
	int64_t since, until;
	if (parse_point("since", req_query(req, "since"), &since, err, sizeof(err)) < 0 ||
	    parse_point("until", req_query(req, "until"), &until, err, sizeof(err)) < 0) {
		resp_error(resp, 400, "%s", err);
		return;
	}
	if (since >= 0 && until >= 0 && since > until) {
		resp_error(resp, 400, "since (%s) cannot be after until (%s)",
		           req_query(req, "since"), req_query(req, "until"));
		return;
	}
	const char *ftext = req_query(req, "filters");
	yajl_val filters = NULL;
	if (ftext && *ftext) {
		static const char *const known[] = {"container", "event", "type", "image", NULL};
		filters = list_filters_parse(ftext, known, err, sizeof(err));
		if (!filters) {
			resp_error(resp, 400, "invalid filters '%s': %s", ftext, err);
			return;
		}
	}
	struct subscriber *s = calloc(1, sizeof(*s));
	if (!s) {
		if (filters)
			yajl_tree_free(filters);
		resp_error(resp, 500, "out of memory");
		return;
	}
	s->conn = req->conn;
	s->since_ns = since;
	s->until_ns = until;
	s->filters = filters;
	/* Registered now, before the answer goes out: nothing emitted after this is missed.
	 * With since or until the history is replayed too (Docker does the same). */
	pthread_mutex_lock(&g_events.lock);
	uint64_t oldest = g_events.next_seq > EVENTS_RING ? g_events.next_seq - EVENTS_RING : 0;
	s->next = since >= 0 || until >= 0 ? oldest : g_events.next_seq;
	pthread_mutex_unlock(&g_events.lock);
	resp_stream(resp, 200, "application/json", events_stream, s, events_done);
}
