#include "create_health.h"

#include <stdio.h>
#include <string.h>

#include "core/units.h"
#include "engine/healthcheck.h"

/* A --health-* duration: Go's syntax, then the seed's range. 0, or -1 after printing why. */
static int duration_flag(struct cli_values *v, size_t idx, const char *name, int64_t dflt_ns,
                         int64_t *ns)
{
	const char *text = cli_string(v, idx);
	char err[256];
	*ns = 0;
	if (!text)
		return 0;
	if (parse_go_duration(text, ns) < 0) {
		fprintf(stderr, "Invalid %s \"%s\": expected a duration like 30s, 5m or 1m30s\n",
		        name, text);
		return -1;
	}
	if (healthcheck_check_duration(name, text, *ns, dflt_ns, err, sizeof(err)) < 0) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	return 0;
}

static int retries_flag(struct cli_values *v, size_t idx, int64_t *n)
{
	const char *text = cli_string(v, idx);
	char err[256];
	*n = 0;
	if (!text)
		return 0;
	if (parse_int64(text, n) < 0) {
		fprintf(stderr, "Invalid --health-retries \"%s\": expected an integer\n", text);
		return -1;
	}
	if (healthcheck_check_retries("--health-retries", text, *n, err, sizeof(err)) < 0) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	return 0;
}

int create_gen_health(yajl_gen g, struct cli_values *v, const struct create_health_flags *ix)
{
	const struct {
		size_t idx;
		const char *name;
		bool is_bool;
	} flags[] = {
	    {ix->cmd, "--health-cmd", false},
	    {ix->interval, "--health-interval", false},
	    {ix->timeout, "--health-timeout", false},
	    {ix->start_period, "--health-start-period", false},
	    {ix->retries, "--health-retries", false},
	    {ix->exit_on_unhealthy, "--health-exit-on-unhealthy", true},
	};
	char given[256] = "";
	const char *first = NULL;
	for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
		bool set =
		    flags[i].is_bool ? cli_bool(v, flags[i].idx) : cli_is_set(v, flags[i].idx);
		if (!set)
			continue;
		size_t used = strlen(given);
		snprintf(given + used, sizeof(given) - used, "%s%s", used ? ", " : "",
		         flags[i].name);
		first = first ? first : flags[i].name;
	}
	struct healthcheck hc = {0};
	char *none[] = {"NONE", NULL};
	if (cli_bool(v, ix->no_healthcheck)) {
		if (first) {
			fprintf(stderr, "--no-healthcheck conflicts with %s\n", given);
			return -1;
		}
		hc.test = none;
		healthcheck_gen(g, &hc);
		return 0;
	}
	if (!first)
		return 0;
	const char *cmd = cli_string(v, ix->cmd);
	if (!cmd || !*cmd) {
		fprintf(stderr, "%s needs --health-cmd (the command that checks the container)%s\n",
		        first, cmd ? ": it is empty" : "");
		return -1;
	}
	if (duration_flag(v, ix->interval, "--health-interval", HEALTH_DEFAULT_INTERVAL_NS,
	                  &hc.interval_ns) < 0 ||
	    duration_flag(v, ix->timeout, "--health-timeout", HEALTH_DEFAULT_TIMEOUT_NS,
	                  &hc.timeout_ns) < 0 ||
	    duration_flag(v, ix->start_period, "--health-start-period", 0, &hc.start_period_ns) <
	        0 ||
	    retries_flag(v, ix->retries, &hc.retries) < 0)
		return -1;
	char *test[] = {"CMD-SHELL", (char *)cmd, NULL};
	hc.test = test;
	hc.exit_on_unhealthy = cli_bool(v, ix->exit_on_unhealthy);
	healthcheck_gen(g, &hc);
	return 0;
}
