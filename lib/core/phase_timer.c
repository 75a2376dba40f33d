#include "core/phase_timer.h"

#include <stdio.h>
#include <time.h>

static int64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void append(struct phase_timer *t, const char *name, int64_t ns)
{
	if (t->len >= sizeof(t->text))
		return;
	int n = snprintf(t->text + t->len, sizeof(t->text) - t->len, "%s%s=%.2f", t->len ? " " : "",
	                 name, (double)ns / 1e6);
	/* A line too long keeps what fits; the later phases are lost, not the earlier. */
	t->len = n < 0 ? sizeof(t->text) : t->len + (size_t)n;
}

void phase_timer_start(struct phase_timer *t)
{
	t->start_ns = t->last_ns = now_ns();
	t->len = 0;
	t->text[0] = '\0';
}

void phase_timer_mark(struct phase_timer *t, const char *name)
{
	int64_t now = now_ns();
	append(t, name, now - t->last_ns);
	t->last_ns = now;
}

const char *phase_timer_text(struct phase_timer *t)
{
	size_t len = t->len;
	append(t, "total", now_ns() - t->start_ns);
	t->len = len; /* a later text shows a later total */
	return t->text;
}
