#include "engine/healthcheck.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "core/strv.h"
#include "core/units.h"

#define RETRIES_MAX 2147483647LL

static int get_number(yajl_val node, const char *key, int64_t *out, char *err, size_t errlen)
{
	yajl_val v = json_get(node, key);
	*out = 0;
	if (!v || YAJL_IS_NULL(v))
		return 0;
	bool in_range = YAJL_IS_INTEGER(v) || (YAJL_IS_DOUBLE(v) && YAJL_GET_DOUBLE(v) >= -0x1p63 &&
	                                       YAJL_GET_DOUBLE(v) < 0x1p63);
	if (!in_range) {
		snprintf(err, errlen, "Healthcheck.%s must be an integer%s", key,
		         strcmp(key, "Retries") == 0 ? "" : " (nanoseconds)");
		return -1;
	}
	*out = json_get_int(node, key, 0);
	return 0;
}

int healthcheck_parse(yajl_val node, struct healthcheck **out, char *err, size_t errlen)
{
	*out = NULL;
	if (!node || YAJL_IS_NULL(node))
		return 0;
	if (!YAJL_IS_OBJECT(node)) {
		snprintf(err, errlen, "Healthcheck must be a JSON object");
		return -1;
	}
	yajl_val test = json_get(node, "Test");
	if (test && !YAJL_IS_NULL(test)) {
		bool strings = YAJL_IS_ARRAY(test);
		for (size_t i = 0; strings && i < test->u.array.len; i++)
			strings = YAJL_IS_STRING(test->u.array.values[i]);
		if (!strings) {
			snprintf(err, errlen,
			         "Healthcheck.Test must be an array of strings: [\"CMD-SHELL\", "
			         "\"command\"], [\"CMD\", \"program\", \"arg\"...] or [\"NONE\"]");
			return -1;
		}
	}
	yajl_val exit_v = json_get(node, "ExitOnUnhealthy");
	if (exit_v && !YAJL_IS_NULL(exit_v) && !YAJL_IS_TRUE(exit_v) && !YAJL_IS_FALSE(exit_v)) {
		snprintf(err, errlen, "Healthcheck.ExitOnUnhealthy must be true or false");
		return -1;
	}
	struct healthcheck *h = calloc(1, sizeof(*h));
	if (!h) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (get_number(node, "Interval", &h->interval_ns, err, errlen) < 0 ||
	    get_number(node, "Timeout", &h->timeout_ns, err, errlen) < 0 ||
	    get_number(node, "StartPeriod", &h->start_period_ns, err, errlen) < 0 ||
	    get_number(node, "Retries", &h->retries, err, errlen) < 0) {
		free(h);
		return -1;
	}
	h->test = test && !YAJL_IS_NULL(test) ? json_get_strv(node, "Test") : NULL;
	h->exit_on_unhealthy = json_get_bool(node, "ExitOnUnhealthy", false);
	*out = h;
	return 0;
}

void healthcheck_gen(yajl_gen g, const struct healthcheck *h)
{
	if (!h)
		return;
	jg_key(g, "Healthcheck");
	yajl_gen_map_open(g);
	if (h->test)
		jg_kstrv(g, "Test", h->test);
	jg_kint(g, "Interval", h->interval_ns);
	jg_kint(g, "Timeout", h->timeout_ns);
	jg_kint(g, "StartPeriod", h->start_period_ns);
	jg_kint(g, "Retries", h->retries);
	jg_kbool(g, "ExitOnUnhealthy", h->exit_on_unhealthy);
	yajl_gen_map_close(g);
}

void healthcheck_free(struct healthcheck *h)
{
	if (!h)
		return;
	strv_free(h->test);
	free(h);
}

enum healthcheck_kind healthcheck_kind(const struct healthcheck *h)
{
	if (!h || !h->test || !h->test[0])
		return HEALTHCHECK_INHERIT;
	if (strcmp(h->test[0], "NONE") == 0)
		return HEALTHCHECK_NONE;
	if (strcmp(h->test[0], "CMD-SHELL") == 0)
		return HEALTHCHECK_SHELL;
	return HEALTHCHECK_CMD;
}

bool healthcheck_active(const struct healthcheck *h)
{
	enum healthcheck_kind k = healthcheck_kind(h);
	return k == HEALTHCHECK_CMD || k == HEALTHCHECK_SHELL;
}

char **healthcheck_argv(const struct healthcheck *h)
{
	char **argv = NULL;
	switch (healthcheck_kind(h)) {
	case HEALTHCHECK_SHELL:
		strv_push(&argv, "/bin/sh");
		strv_push(&argv, "-c");
		strv_push(&argv, h->test[1]);
		break;
	case HEALTHCHECK_CMD:
		for (size_t i = 1; h->test[i]; i++)
			strv_push(&argv, h->test[i]);
		break;
	default:
		break;
	}
	return argv;
}

int64_t healthcheck_interval_ns(const struct healthcheck *h)
{
	return h && h->interval_ns > 0 ? h->interval_ns : HEALTH_DEFAULT_INTERVAL_NS;
}

int64_t healthcheck_timeout_ns(const struct healthcheck *h)
{
	return h && h->timeout_ns > 0 ? h->timeout_ns : HEALTH_DEFAULT_TIMEOUT_NS;
}

int healthcheck_retries(const struct healthcheck *h)
{
	return h && h->retries > 0 && h->retries <= RETRIES_MAX ? (int)h->retries
	                                                        : HEALTH_DEFAULT_RETRIES;
}

int healthcheck_check_duration(const char *name, const char *text, int64_t ns, int64_t dflt_ns,
                               char *err, size_t errlen)
{
	if (ns == 0 || ns >= HEALTH_MIN_DURATION_NS)
		return 0;
	char dflt[32], max[32], given[32];
	format_go_duration(dflt_ns, dflt, sizeof(dflt));
	format_go_duration(INT64_MAX, max, sizeof(max));
	if (!text) {
		snprintf(given, sizeof(given), "%lld", (long long)ns);
		text = given;
	}
	snprintf(err, errlen, "Invalid %s %s: allowed are 0 (the default, %s) or 1s to %s", name,
	         text, dflt, max);
	return -1;
}

int healthcheck_check_retries(const char *name, const char *text, int64_t n, char *err,
                              size_t errlen)
{
	if (n >= 0 && n <= RETRIES_MAX)
		return 0;
	char given[32];
	if (!text) {
		snprintf(given, sizeof(given), "%lld", (long long)n);
		text = given;
	}
	snprintf(err, errlen, "Invalid %s %s: allowed are 0 (the default, %d) to %lld", name, text,
	         HEALTH_DEFAULT_RETRIES, RETRIES_MAX);
	return -1;
}

static int check_test(char *const *test, char *err, size_t errlen)
{
	size_t n = strv_len(test);
	if (n == 0)
		return 0;
	const char *kind = test[0];
	if (strcmp(kind, "NONE") == 0) {
		if (n == 1)
			return 0;
		snprintf(err, errlen, "Invalid Healthcheck.Test: [\"NONE\"] takes no arguments");
		return -1;
	}
	if (strcmp(kind, "CMD-SHELL") == 0) {
		if (n == 2 && test[1][0])
			return 0;
		snprintf(err, errlen,
		         "Invalid Healthcheck.Test: CMD-SHELL takes one non-empty command "
		         "([\"CMD-SHELL\", \"command\"]), got %zu argument(s)",
		         n - 1);
		return -1;
	}
	if (strcmp(kind, "CMD") == 0) {
		if (n >= 2 && test[1][0])
			return 0;
		snprintf(err, errlen,
		         "Invalid Healthcheck.Test: CMD needs a program ([\"CMD\", \"program\", "
		         "\"arg\"...])");
		return -1;
	}
	snprintf(err, errlen,
	         "Invalid Healthcheck.Test: unknown type \"%.64s\": allowed are CMD, CMD-SHELL, "
	         "NONE",
	         kind);
	return -1;
}

int healthcheck_validate(const struct healthcheck *h, char *err, size_t errlen)
{
	if (!h)
		return 0;
	if (check_test(h->test, err, errlen) < 0 ||
	    healthcheck_check_duration("Healthcheck.Interval", NULL, h->interval_ns,
	                               HEALTH_DEFAULT_INTERVAL_NS, err, errlen) < 0 ||
	    healthcheck_check_duration("Healthcheck.Timeout", NULL, h->timeout_ns,
	                               HEALTH_DEFAULT_TIMEOUT_NS, err, errlen) < 0 ||
	    healthcheck_check_duration("Healthcheck.StartPeriod", NULL, h->start_period_ns, 0, err,
	                               errlen) < 0 ||
	    healthcheck_check_retries("Healthcheck.Retries", NULL, h->retries, err, errlen) < 0)
		return -1;
	return 0;
}
