#include "health_state.h"

#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "core/json_time.h"
#include "core/strbuf.h"
#include "core/timeutil.h"
#include "core/utf8.h"

static const char *const g_names[] = {
    [HEALTH_NONE] = "none",
    [HEALTH_STARTING] = "starting",
    [HEALTH_HEALTHY] = "healthy",
    [HEALTH_UNHEALTHY] = "unhealthy",
};

const char *health_status_name(enum health_status s)
{
	return (unsigned)s < sizeof(g_names) / sizeof(g_names[0]) ? g_names[s] : "none";
}

void health_state_start(struct health_state *h)
{
	h->status = HEALTH_STARTING;
	h->failing_streak = 0;
}

static int64_t ts_ns(const struct timespec *ts)
{
	return (int64_t)ts->tv_sec * 1000000000 + ts->tv_nsec;
}

static void push_result(struct health_state *h, struct health_result *r)
{
	if (h->n_log == HEALTH_LOG_MAX) {
		free(h->log[0].output);
		memmove(&h->log[0], &h->log[1], (HEALTH_LOG_MAX - 1) * sizeof(h->log[0]));
		h->n_log--;
	}
	h->log[h->n_log++] = *r;
	r->output = NULL;
}

bool health_state_record(struct health_state *h, struct health_result *r, int retries,
                         int64_t start_period_ns, const struct timespec *started_at)
{
	enum health_status before = h->status;
	bool ok = r->exit_code == 0;
	/* Failures while still starting, within the start period, do not count (Docker). */
	bool grace =
	    h->status == HEALTH_STARTING && ts_ns(&r->start) - ts_ns(started_at) < start_period_ns;
	push_result(h, r);
	if (ok) {
		h->failing_streak = 0;
		h->status = HEALTH_HEALTHY;
	} else if (!grace) {
		if (h->failing_streak < INT32_MAX)
			h->failing_streak++;
		if (h->failing_streak >= retries)
			h->status = HEALTH_UNHEALTHY;
	}
	return h->status != before;
}

bool health_state_paused(struct health_state *h)
{
	bool changed = h->status != HEALTH_UNHEALTHY;
	h->status = HEALTH_UNHEALTHY;
	return changed;
}

void health_state_free(struct health_state *h)
{
	for (size_t i = 0; i < h->n_log; i++)
		free(h->log[i].output);
	memset(h, 0, sizeof(*h));
}

char *health_output(const char *buf, size_t len, bool truncated)
{
	if (len > HEALTH_OUTPUT_MAX) {
		truncated = true;
		len = utf8_cut(buf, len, HEALTH_OUTPUT_MAX);
	}
	struct strbuf b = {0};
	for (size_t at = 0; at < len;) {
		size_t n = strnlen(buf + at, len - at);
		strbuf_add(&b, buf + at, n);
		if (at + n < len)
			strbuf_puts(&b, "\xef\xbf\xbd"); /* a NUL byte */
		at += n + 1;
	}
	char *raw = strbuf_take(&b);
	char *out = raw ? utf8_repair(raw, strlen(raw), NULL) : NULL;
	free(raw);
	if (out && truncated) {
		size_t n = strlen(out);
		char *longer = realloc(out, n + 4);
		if (!longer) {
			free(out);
			return NULL;
		}
		memcpy(longer + n, "...", 4);
		out = longer;
	}
	return out;
}

static void gen_time(yajl_gen g, const char *key, const struct timespec *ts)
{
	char buf[64];
	time_format_rfc3339(ts, buf, sizeof(buf));
	jg_kstr(g, key, buf);
}

void health_state_gen(yajl_gen g, const struct health_state *h)
{
	if (h->status == HEALTH_NONE)
		return;
	jg_key(g, "Health");
	yajl_gen_map_open(g);
	jg_kstr(g, "Status", health_status_name(h->status));
	jg_kint(g, "FailingStreak", h->failing_streak);
	jg_key(g, "Log");
	yajl_gen_array_open(g);
	for (size_t i = 0; i < h->n_log; i++) {
		const struct health_result *r = &h->log[i];
		yajl_gen_map_open(g);
		gen_time(g, "Start", &r->start);
		gen_time(g, "End", &r->end);
		jg_kint(g, "ExitCode", r->exit_code);
		jg_kstr(g, "Output", r->output ? r->output : "");
		yajl_gen_map_close(g);
	}
	yajl_gen_array_close(g);
	yajl_gen_map_close(g);
}

void health_state_parse(yajl_val health, struct health_state *h)
{
	memset(h, 0, sizeof(*h));
	const char *status = json_get_str(health, "Status");
	for (size_t i = HEALTH_STARTING; status && i < sizeof(g_names) / sizeof(g_names[0]); i++) {
		if (strcmp(status, g_names[i]) == 0)
			h->status = (enum health_status)i;
	}
	if (h->status == HEALTH_NONE)
		return;
	int64_t streak = json_get_int(health, "FailingStreak", 0);
	h->failing_streak = streak < 0 ? 0 : streak > INT32_MAX ? INT32_MAX : (int)streak;
	yajl_val log = json_get(health, "Log");
	size_t n = log && YAJL_IS_ARRAY(log) ? log->u.array.len : 0;
	for (size_t i = n > HEALTH_LOG_MAX ? n - HEALTH_LOG_MAX : 0; i < n; i++) {
		yajl_val e = log->u.array.values[i];
		struct health_result *r = &h->log[h->n_log];
		json_get_rfc3339(e, "Start", &r->start);
		json_get_rfc3339(e, "End", &r->end);
		int64_t code = json_get_int(e, "ExitCode", -1);
		r->exit_code = code < INT32_MIN || code > INT32_MAX ? -1 : (int)code;
		const char *out = json_get_str(e, "Output");
		r->output = strdup(out ? out : "");
		h->n_log++;
	}
}
