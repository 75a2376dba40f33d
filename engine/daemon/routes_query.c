/* inspect and ps: read-only views of the container table. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "container_net.h"
#include "core/fileutil.h"
#include "core/json.h"
#include "engine/bind_spec.h"
#include "engine/healthcheck.h"
#include "engine/list_filter.h"
#include "routes.h"
#include "store.h"
#include "core/strbuf.h"
#include "core/strv.h"
#include "core/timeutil.h"
#include "core/units.h"

static void gen_path_args(yajl_gen g, const struct container *c)
{
	char **argv = NULL;
	for (size_t i = 0; c->config.entrypoint && c->config.entrypoint[i]; i++)
		strv_push(&argv, c->config.entrypoint[i]);
	for (size_t i = 0; c->config.cmd && c->config.cmd[i]; i++)
		strv_push(&argv, c->config.cmd[i]);
	jg_kstr(g, "Path", argv && argv[0] ? argv[0] : "");
	jg_kstrv(g, "Args", argv && argv[0] ? argv + 1 : NULL);
	strv_free(argv);
}

static bool mounted_over(const struct host_config *h, const char *dst)
{
	for (size_t i = 0; i < h->mounts.n; i++) {
		if (strcmp(h->mounts.v[i].target, dst) == 0)
			return true;
	}
	return false;
}

/* Docker's top-level Mounts: one entry per destination, -v's binds then --mount's (which
 * cover a bind onto the same destination). */
static void gen_mounts(yajl_gen g, const struct host_config *h)
{
	jg_key(g, "Mounts");
	yajl_gen_array_open(g);
	for (size_t i = 0; h->binds && h->binds[i]; i++) {
		struct bind_spec b;
		char err[256];
		if (bind_spec_parse(h->binds[i], &b, err, sizeof(err)) < 0)
			continue;
		if (mounted_over(h, b.dst)) {
			bind_spec_free(&b);
			continue;
		}
		const char *opts = strchr(strchr(h->binds[i], ':') + 1, ':');
		yajl_gen_map_open(g);
		jg_kstr(g, "Type", "bind");
		jg_kstr(g, "Source", b.src);
		jg_kstr(g, "Destination", b.dst);
		jg_kstr(g, "Mode", opts ? opts + 1 : "");
		jg_kbool(g, "RW", !b.ro);
		jg_kstr(g, "Propagation",
		        b.propagation ? b.propagation : "rprivate"); /* Docker's */
		yajl_gen_map_close(g);
		bind_spec_free(&b);
	}
	for (size_t i = 0; i < h->mounts.n; i++)
		mount_inspect_gen(g, &h->mounts.v[i]);
	yajl_gen_array_close(g);
}

static void gen_inspect(yajl_gen g, const struct container *c)
{
	char created[64];
	time_format_rfc3339(&c->created, created, sizeof(created));
	char *dir = store_container_dir(c->id);
	char *log = dir ? path_join(dir, "console.log") : NULL;
	yajl_gen_map_open(g);
	jg_kstr(g, "Id", c->id);
	jg_kstr(g, "Created", created);
	gen_path_args(g, c);
	jg_key(g, "State");
	container_state_gen(g, c, false);
	jg_kstr(g, "Image", c->config.image ? c->config.image : "none");
	jg_kstr(g, "ResolvConfPath", "");
	jg_kstr(g, "HostnamePath", "");
	jg_kstr(g, "HostsPath", "");
	jg_kstr(g, "LogPath", log);
	jg_kstr(g, "Name", c->name);
	jg_kint(g, "RestartCount", c->state.restart_count);
	jg_kstr(g, "Driver", "");
	jg_kstr(g, "Platform", "linux");
	jg_key(g, "HostConfig");
	host_config_gen(g, &c->host);
	gen_mounts(g, &c->host);
	jg_key(g, "Config");
	container_config_gen(g, &c->config);
	jg_key(g, "NetworkSettings");
	container_net_gen(g, c);
	yajl_gen_map_close(g);
	free(log);
	free(dir);
}

void route_container_inspect(const struct request *req, struct response *resp)
{
	struct container *c = route_find_any_container(req, resp);
	if (!c)
		return;
	yajl_gen g = yajl_gen_alloc(NULL);
	store_lock();
	gen_inspect(g, c);
	store_unlock();
	store_put(c);
	resp_json(resp, 200, jg_finish(g, NULL));
}

/* What Docker adds to "Up ...": (Paused), or the health of a checked container. */
static const char *health_suffix(const struct container *c)
{
	if (c->state.paused)
		return " (Paused)";
	if (!healthcheck_active(c->config.healthcheck))
		return "";
	switch (c->state.health.status) {
	case HEALTH_STARTING:
		return " (health: starting)";
	case HEALTH_HEALTHY:
		return " (healthy)";
	case HEALTH_UNHEALTHY:
		return " (unhealthy)";
	default:
		return "";
	}
}

/* Docker's human status column: "Up 3 minutes", "Exited (0) 2 seconds ago", "Created". */
static void human_status(const struct container *c, char *buf, size_t len)
{
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	char ago[64];
	if (c->broken) {
		snprintf(buf, len, "Broken (%s)", c->broken);
		return;
	}
	switch (c->state.status) {
	case STATUS_RUNNING:
		format_human_duration(now.tv_sec - c->state.started_at.tv_sec, ago, sizeof(ago));
		snprintf(buf, len, "Up %s%s", ago, health_suffix(c));
		return;
	case STATUS_RESTARTING:
		format_human_duration(now.tv_sec - c->state.finished_at.tv_sec, ago, sizeof(ago));
		snprintf(buf, len, "Restarting (%d) %s ago", c->state.exit_code, ago);
		return;
	case STATUS_EXITED:
		format_human_duration(now.tv_sec - c->state.finished_at.tv_sec, ago, sizeof(ago));
		snprintf(buf, len, "Exited (%d) %s ago", c->state.exit_code, ago);
		return;
	case STATUS_CREATED:
		snprintf(buf, len, "Created");
		return;
	}
}

static const char *docker_state(const struct container *c)
{
	return c->state.status == STATUS_CREATED && !c->broken ? "created"
	                                                       : container_state_name(c);
}

/* filters={"status":["running"],"name":["x"],"id":["ab"],"label":["k=v"]} */
static bool match_status(const void *item, const char *want)
{
	const struct container *c = item;
	return strcmp(want, container_status_name(c->state.status)) == 0 ||
	       strcmp(want, docker_state(c)) == 0;
}

static bool match_name(const void *item, const char *want)
{
	const struct container *c = item;
	return strstr(c->name, want[0] == '/' ? want + 1 : want) != NULL;
}

static bool match_id(const void *item, const char *want)
{
	const struct container *c = item;
	return strncmp(c->id, want, strlen(want)) == 0;
}

static bool match_label(const void *item, const char *want)
{
	const struct container *c = item;
	return route_label_match(c->config.labels, want);
}

/* Docker's health filter: a checked container's status, "none" for one without a check. */
static const char *health_of(const struct container *c)
{
	return healthcheck_active(c->config.healthcheck) && c->state.health.status != HEALTH_NONE
	           ? health_status_name(c->state.health.status)
	           : "none";
}

static bool match_health(const void *item, const char *want)
{
	return strcmp(health_of(item), want) == 0;
}

static bool health_value_unknown(const void *item, const char *want)
{
	static const char *const known[] = {"starting", "healthy", "unhealthy", "none"};
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		if (strcmp(want, known[i]) == 0)
			return false;
	}
	*(const char **)item = want;
	return true;
}

static bool filters_match(yajl_val f, const struct container *c)
{
	return list_filter_any(f, "status", match_status, c) &&
	       list_filter_any(f, "name", match_name, c) && list_filter_any(f, "id", match_id, c) &&
	       list_filter_any(f, "label", match_label, c) &&
	       list_filter_any(f, "health", match_health, c);
}

/* ?filters={"key": [...]}: NULL (and ok) when absent; NULL after answering 400 when it is
 * not JSON or names a key not in known (NULL-terminated; allowed: their names for the
 * message). */
yajl_val route_filters(const struct request *req, struct response *resp, const char *const *known,
                       bool *ok)
{
	const char *ftext = req_query(req, "filters");
	char err[512] = "";
	*ok = true;
	if (!ftext || !*ftext)
		return NULL;
	yajl_val f = list_filters_parse(ftext, known, err, sizeof(err));
	if (!f) {
		resp_error(resp, 400, "invalid filters: %s", err[0] ? err : ftext);
		*ok = false;
	}
	return f;
}

bool route_label_match(char *const *labels, const char *want)
{
	const char *eq = strchr(want, '=');
	size_t klen = eq ? (size_t)(eq - want) : strlen(want);
	int i = strv_find_env(labels, want, klen);
	return i >= 0 && (!eq || strcmp(labels[i] + klen + 1, eq + 1) == 0);
}

static void gen_list_entry(yajl_gen g, const struct container *c)
{
	char status[96], cmd[1024] = "";
	human_status(c, status, sizeof(status));
	char *const *parts[] = {c->config.entrypoint, c->config.cmd};
	for (size_t p = 0; p < 2; p++) {
		for (size_t i = 0; parts[p] && parts[p][i]; i++) {
			size_t used = strlen(cmd);
			snprintf(cmd + used, sizeof(cmd) - used, "%s%s", used ? " " : "",
			         parts[p][i]);
		}
	}
	char name[300];
	snprintf(name, sizeof(name), "/%s", c->name);
	char *names[] = {name, NULL};
	yajl_gen_map_open(g);
	jg_kstr(g, "Id", c->id);
	jg_kstrv(g, "Names", names);
	jg_kstr(g, "Image", c->config.image ? c->config.image : "none");
	jg_kstr(g, "ImageID", "");
	jg_kstr(g, "Command", cmd);
	jg_kint(g, "Created", c->created.tv_sec);
	container_net_gen_ports_list(g, c);
	jg_kmap_from_kv(g, "Labels", c->config.labels);
	jg_kstr(g, "State", docker_state(c));
	jg_kstr(g, "Status", status);
	jg_kint(g, "Pid", c->state.status == STATUS_RUNNING ? c->state.pid : 0);
	jg_kint(g, "ExitCode", c->state.exit_code);
	jg_kint(g, "RestartCount", c->state.restart_count);
	jg_kstr(g, "Runtime", "lcr");
	jg_key(g, "HostConfig");
	yajl_gen_map_open(g);
	jg_kstr(g, "NetworkMode", "none");
	yajl_gen_map_close(g);
	jg_key(g, "Mounts");
	yajl_gen_array_open(g);
	yajl_gen_array_close(g);
	yajl_gen_map_close(g);
}

static int cmp_created_desc(const void *a, const void *b)
{
	const struct container *x = *(struct container *const *)a;
	const struct container *y = *(struct container *const *)b;
	if (x->created.tv_sec != y->created.tv_sec)
		return x->created.tv_sec < y->created.tv_sec ? 1 : -1;
	return x->created.tv_nsec < y->created.tv_nsec
	           ? 1
	           : (x->created.tv_nsec > y->created.tv_nsec ? -1 : 0);
}

void route_container_list(const struct request *req, struct response *resp)
{
	bool all = req_query_bool(req, "all");
	/* limit=N (ps -n N, -l): the N most recently created, whatever their state (Docker's) */
	const char *lim = req_query(req, "limit");
	long limit = -1;
	if (lim && *lim) {
		char *end;
		errno = 0;
		limit = strtol(lim, &end, 10);
		if (*end || errno || limit < -1 || limit > INT_MAX) {
			resp_error(resp, 400, "Invalid limit %s: expected an integer, -1 for none",
			           lim);
			return;
		}
		if (limit > 0)
			all = true;
	}
	static const char *const known[] = {"status", "name", "id", "label", "health", NULL};
	bool ok;
	yajl_val filters = route_filters(req, resp, known, &ok);
	if (!ok)
		return;
	const char *bad = NULL;
	if (json_get(filters, "health") &&
	    list_filter_any(filters, "health", health_value_unknown, &bad) && bad) {
		resp_error(resp, 400,
		           "Unrecognised filter value for health: %s: allowed are starting, "
		           "healthy, unhealthy, none",
		           bad);
		yajl_tree_free(filters);
		return;
	}
	size_t n;
	struct container **list = store_list(&n);
	qsort(list, n, sizeof(*list), cmp_created_desc);
	yajl_gen g = yajl_gen_alloc(NULL);
	yajl_gen_array_open(g);
	store_lock();
	long listed = 0;
	for (size_t i = 0; i < n && (limit <= 0 || listed < limit); i++) {
		const struct container *c = list[i];
		bool shown = all || c->state.status == STATUS_RUNNING ||
		             c->state.status == STATUS_RESTARTING || json_get(filters, "status");
		if (shown && filters_match(filters, c)) {
			gen_list_entry(g, c);
			listed++;
		}
	}
	store_unlock();
	yajl_gen_array_close(g);
	store_put_all(list, n);
	if (filters)
		yajl_tree_free(filters);
	resp_json(resp, 200, jg_finish(g, NULL));
}
