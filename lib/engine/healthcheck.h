/* A container's health check as the API and `isula create --health-*` give it: Docker's
 * Config.Healthcheck {Test, Interval, Timeout, StartPeriod, Retries} (durations in ns) plus
 * iSulad's ExitOnUnhealthy; its JSON form, its ranges (the seed's: 0 is the default, else 1s
 * up to int64 ns; retries up to int32), checked alike by the client and the daemon. */
#ifndef LIB_ENGINE_HEALTHCHECK_H
#define LIB_ENGINE_HEALTHCHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <yajl/yajl_gen.h>
#include <yajl/yajl_tree.h>

#define HEALTH_DEFAULT_INTERVAL_NS (30LL * 1000000000LL)
#define HEALTH_DEFAULT_TIMEOUT_NS (30LL * 1000000000LL)
#define HEALTH_DEFAULT_RETRIES 3
#define HEALTH_MIN_DURATION_NS 1000000000LL

enum healthcheck_kind {
	HEALTHCHECK_INHERIT, /* Test empty or absent: the image's (there are none: no check) */
	HEALTHCHECK_NONE,    /* ["NONE"]: disabled (--no-healthcheck) */
	HEALTHCHECK_CMD,     /* ["CMD", prog, args...]: run as is */
	HEALTHCHECK_SHELL,   /* ["CMD-SHELL", cmd]: run as /bin/sh -c cmd */
};

struct healthcheck {
	char **test; /* Docker's Test as given; NULL when absent */
	int64_t interval_ns, timeout_ns, start_period_ns; /* 0: the default */
	int64_t retries;                                  /* 0: the default */
	bool exit_on_unhealthy; /* iSulad: the container is killed when it turns unhealthy */
};

/* The object at node (Docker's "Healthcheck" or iSulad's "HealthCheck"): a new healthcheck in
 * *out, or NULL for null/absent. 0, or -1 with err naming the field of the wrong type. */
int healthcheck_parse(yajl_val node, struct healthcheck **out, char *err, size_t errlen);
/* Emits "Healthcheck": {...} (nothing for NULL). */
void healthcheck_gen(yajl_gen g, const struct healthcheck *h);
void healthcheck_free(struct healthcheck *h);

/* What Test asks for; HEALTHCHECK_INHERIT for NULL. Valid only after healthcheck_validate. */
enum healthcheck_kind healthcheck_kind(const struct healthcheck *h);
/* Whether the daemon runs checks for it: CMD or CMD-SHELL. */
bool healthcheck_active(const struct healthcheck *h);
/* The command run in the container (a new strv): CMD's arguments, or /bin/sh -c CMD. */
char **healthcheck_argv(const struct healthcheck *h);

/* The values in effect: the defaults for 0. */
int64_t healthcheck_interval_ns(const struct healthcheck *h);
int64_t healthcheck_timeout_ns(const struct healthcheck *h);
int healthcheck_retries(const struct healthcheck *h);

/* One duration against the seed's range: 0 (the default), or 1s..int64 ns. name is what the
 * message calls it ("--health-interval", "Healthcheck.Interval"), text the value as the user
 * wrote it (NULL: the nanoseconds). -1 with "Invalid NAME TEXT: allowed are 0 (the default,
 * 30s) or 1s to 2562047h47m16.854775807s". */
int healthcheck_check_duration(const char *name, const char *text, int64_t ns, int64_t dflt_ns,
                               char *err, size_t errlen);
/* Retries: 0 (the default, 3) to 2147483647. */
int healthcheck_check_retries(const char *name, const char *text, int64_t n, char *err,
                              size_t errlen);
/* The whole check as the daemon takes it at create: Test's kind and arguments (CMD-SHELL with
 * one non-empty command, CMD with a non-empty program, NONE alone), then each value's range.
 * NULL is fine. 0, or -1 with err naming the field and what is allowed. */
int healthcheck_validate(const struct healthcheck *h, char *err, size_t errlen);

#endif
