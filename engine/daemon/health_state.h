/* A container's health (State.Health): its status, failing streak and the last checks'
 * results, with Docker's rules for what a result does to them. Pure: the checks themselves
 * are run by health.c. */
#ifndef ENGINE_HEALTH_STATE_H
#define ENGINE_HEALTH_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <yajl/yajl_gen.h>
#include <yajl/yajl_tree.h>

#define HEALTH_LOG_MAX 5 /* results kept, the oldest dropped first (the seed's and Docker's) */
#define HEALTH_OUTPUT_MAX 4096 /* bytes of a check's output kept (Docker's), "..." marks a cut */

enum health_status {
	HEALTH_NONE, /* no check configured, or none started yet */
	HEALTH_STARTING,
	HEALTH_HEALTHY,
	HEALTH_UNHEALTHY,
};

struct health_result {
	struct timespec start, end;
	int exit_code; /* the command's; -1 when it timed out or could not run */
	char *output;  /* valid UTF-8, at most HEALTH_OUTPUT_MAX bytes of it and "..." */
};

struct health_state {
	enum health_status status;
	int failing_streak;
	struct health_result log[HEALTH_LOG_MAX]; /* oldest first */
	size_t n_log;
};

/* "none", "starting", "healthy", "unhealthy". */
const char *health_status_name(enum health_status s);

/* A start (or the daemon's reattach, as the seed says): starting, no failing streak; the log
 * is kept. */
void health_state_start(struct health_state *h);
/* Records one result (taking r->output) and applies it: rc 0 makes it healthy and ends the
 * streak; a failure adds to the streak and, at retries, makes it unhealthy, except while it
 * is still starting within start_period_ns of started_at (Docker). true when the status
 * changed. */
bool health_state_record(struct health_state *h, struct health_result *r, int retries,
                         int64_t start_period_ns, const struct timespec *started_at);
/* The seed: a paused container is unhealthy. true when the status changed. */
bool health_state_paused(struct health_state *h);
void health_state_free(struct health_state *h);

/* A check's output as it is kept: NUL bytes and invalid UTF-8 as U+FFFD, cut at
 * HEALTH_OUTPUT_MAX without splitting a character, "..." appended when cut (truncated: more
 * followed what is in buf). malloc'd, NULL when out of memory. */
char *health_output(const char *buf, size_t len, bool truncated);

/* "Health": {"Status", "FailingStreak", "Log": [{"Start", "End", "ExitCode", "Output"}]}; nothing
 * for HEALTH_NONE. */
void health_state_gen(yajl_gen g, const struct health_state *h);
/* From State's "Health" (absent: none). The last HEALTH_LOG_MAX entries are kept. */
void health_state_parse(yajl_val health, struct health_state *h);

#endif
