#include "health.h"

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/strbuf.h"
#include "core/strv.h"
#include "core/units.h"
#include "events.h"
#include "exec_capture.h"
#include "runtime.h"
#include "store.h"
#include "supervisor.h"

/* One check under way: what it runs, and the run of the container it belongs to. */
struct probe {
	struct container *c; /* referenced */
	unsigned run;
	char **argv;
	char *user;
	int64_t timeout_ns;
};

static int64_t ns_to_ms(int64_t ns)
{
	return ns / 1000000 + (ns % 1000000 != 0);
}

static int64_t interval_ms(const struct container *c)
{
	return ns_to_ms(healthcheck_interval_ns(c->config.healthcheck));
}

static void schedule_locked(struct container *c)
{
	c->health_due_ms = monotonic_ms() + interval_ms(c);
	supervisor_wake();
}

static void emit_status_locked(struct container *c)
{
	char action[64];
	snprintf(action, sizeof(action), "health_status: %s",
	         health_status_name(c->state.health.status));
	events_emit_locked(c, action, NULL);
}

void health_started_locked(struct container *c)
{
	if (!healthcheck_active(c->config.healthcheck))
		return;
	c->health_run++;
	c->health_due_ms = 0;
	health_state_start(&c->state.health);
	if (c->state.paused)
		health_state_paused(&c->state.health);
	else
		schedule_locked(c);
}

void health_stopped_locked(struct container *c)
{
	c->health_run++;
	c->health_due_ms = 0;
}

void health_paused_locked(struct container *c, bool paused)
{
	if (!healthcheck_active(c->config.healthcheck) || c->state.status != STATUS_RUNNING)
		return;
	c->health_run++; /* a check that straddles the freeze says nothing */
	c->health_due_ms = 0;
	if (!paused)
		schedule_locked(c);
	else if (health_state_paused(&c->state.health))
		emit_status_locked(c);
}

/* The Output of a result: Docker's timeout message, why it never ran, or what it printed. */
static char *result_output(const struct exec_capture *cap, int64_t timeout_ns)
{
	char *printed = health_output(cap->out ? cap->out : "", cap->len, cap->truncated);
	if (!cap->timed_out && !cap->err[0])
		return printed;
	struct strbuf b = {0};
	if (cap->timed_out) {
		char d[32];
		format_go_duration(timeout_ns, d, sizeof(d));
		strbuf_printf(&b, "Health check exceeded timeout (%s)", d);
		if (printed && printed[0])
			strbuf_printf(&b, ": %s", printed);
	} else {
		strbuf_puts(&b, cap->err);
	}
	free(printed);
	return strbuf_take(&b);
}

/* Applies r under the store lock; true when the container is to be killed for it. */
static bool apply_result(struct probe *p, struct health_result *r)
{
	struct container *c = p->c;
	store_lock();
	bool current = p->run == c->health_run && !c->removed &&
	               c->state.status == STATUS_RUNNING && !c->state.paused;
	bool kill_it = false;
	if (current) {
		const struct healthcheck *hc = c->config.healthcheck;
		bool changed = health_state_record(&c->state.health, r, healthcheck_retries(hc),
		                                   hc->start_period_ns, &c->state.started_at);
		if (changed)
			emit_status_locked(c);
		kill_it =
		    changed && c->state.health.status == HEALTH_UNHEALTHY && hc->exit_on_unhealthy;
		if (!kill_it)
			schedule_locked(c);
		/* Every check would otherwise cost a journal commit; a health state means nothing
		 * after a power loss (the run is over) and a crashed daemon reads it back. */
		store_save_state_unsynced(c);
	}
	store_unlock();
	return kill_it;
}

/* --health-exit-on-unhealthy: killed (137), not stopped by a user: restart policies apply. */
static void kill_unhealthy(struct container *c)
{
	LOG_WARN("container %s turned unhealthy: killed (--health-exit-on-unhealthy)", c->id);
	char err[512];
	if (runtime_kill(c, SIGKILL, err, sizeof(err)) == 0)
		events_emit(c, "kill", "signal", "9", NULL);
	else
		LOG_WARN("%s", err);
}

static void probe_free(struct probe *p)
{
	store_put(p->c);
	strv_free(p->argv);
	free(p->user);
	free(p);
}

static void *probe_thread(void *arg)
{
	struct probe *p = arg;
	struct health_result r = {0};
	clock_gettime(CLOCK_REALTIME, &r.start);
	struct exec_capture cap;
	/* A few bytes past the bound: the cut can then fall between characters. */
	exec_capture_run(p->c, p->argv, p->user, ns_to_ms(p->timeout_ns), HEALTH_OUTPUT_MAX + 4,
	                 &cap);
	clock_gettime(CLOCK_REALTIME, &r.end);
	r.exit_code = cap.exit_code;
	r.output = result_output(&cap, p->timeout_ns);
	exec_capture_free(&cap);
	if (apply_result(p, &r))
		kill_unhealthy(p->c);
	free(r.output); /* NULL unless it was dropped */
	probe_free(p);
	return NULL;
}

static int start_probe_locked(struct container *c)
{
	struct probe *p = calloc(1, sizeof(*p));
	if (!p)
		return -1;
	p->c = c;
	p->run = c->health_run;
	p->argv = healthcheck_argv(c->config.healthcheck);
	p->user = c->config.user ? strdup(c->config.user) : NULL;
	p->timeout_ns = healthcheck_timeout_ns(c->config.healthcheck);
	pthread_t t;
	pthread_attr_t attr;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	c->refs++;
	int ret = p->argv ? pthread_create(&t, &attr, probe_thread, p) : -1;
	pthread_attr_destroy(&attr);
	if (ret != 0) {
		c->refs--;
		strv_free(p->argv);
		free(p->user);
		free(p);
		return -1;
	}
	return 0;
}

int64_t health_run_due_locked(struct container *c, int64_t now_ms)
{
	if (c->health_due_ms == 0)
		return -1;
	if (c->health_due_ms > now_ms)
		return c->health_due_ms - now_ms;
	c->health_due_ms = 0;
	/* Frozen by a copy under way (isula cp): the check would only time out. */
	if (c->cp_freezes > 0 || start_probe_locked(c) < 0) {
		if (c->cp_freezes == 0)
			LOG_WARN("cannot start a health check of %s", c->id);
		c->health_due_ms = now_ms + interval_ms(c);
		return interval_ms(c);
	}
	return -1;
}
