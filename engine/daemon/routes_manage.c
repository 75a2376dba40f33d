/* pause, unpause, rename, update, top. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "host/cgroup_fs.h"
#include "host/cgroup_mounts.h"
#include "container_cgroup.h"
#include "events.h"
#include "health.h"
#include "core/fileutil.h"
#include "core/json.h"
#include "core/log.h"
#include "core/proc_spawn.h"
#include "ps_output.h"
#include "engine/restart_policy.h"
#include "routes.h"
#include "runtime.h"
#include "store.h"
#include "update_config.h"
#include "core/strv.h"
#include "validate.h"

#define ERRLEN 1024

/* ------------------------------------------------------------------- pause, unpause */

static void set_paused(struct container *c, struct response *resp, bool pause)
{
	char err[ERRLEN];
	pthread_mutex_lock(&c->op_lock);
	store_lock();
	bool running = !c->removed && c->state.status == STATUS_RUNNING;
	bool paused = c->state.paused;
	store_unlock();
	if (!running) {
		resp_error(resp, 409, "Container %s is not running", c->id);
	} else if (pause && paused) {
		resp_error(resp, 409, "Container %s is already paused", c->id);
	} else if (!pause && !paused) {
		resp_error(resp, 409, "Container %s is not paused", c->id);
	} else if ((pause ? container_freeze : container_thaw)(c, err, sizeof(err)) < 0) {
		resp_error(resp, 500, "%s", err);
	} else {
		store_lock();
		c->state.paused = pause;
		events_emit_locked(c, pause ? "pause" : "unpause", NULL);
		health_paused_locked(c, pause);
		store_save_state(c);
		store_broadcast();
		store_unlock();
		LOG_INFO("%s %s", pause ? "paused" : "unpaused", c->id);
		resp_empty(resp, 204);
	}
	pthread_mutex_unlock(&c->op_lock);
}

void route_container_pause(const struct request *req, struct response *resp)
{
	struct container *c = route_find_container(req, resp);
	if (!c)
		return;
	set_paused(c, resp, true);
	store_put(c);
}

void route_container_unpause(const struct request *req, struct response *resp)
{
	struct container *c = route_find_container(req, resp);
	if (!c)
		return;
	set_paused(c, resp, false);
	store_put(c);
}

/* ---------------------------------------------------------------------------- rename */

void route_container_rename(const struct request *req, struct response *resp)
{
	const char *name = req_query(req, "name");
	char err[ERRLEN];
	if (name && name[0] == '/')
		name++;
	if (!name || !*name) {
		resp_error(resp, 400, "Neither old nor new names may be empty");
		return;
	}
	if (container_name_check(name, err, sizeof(err)) < 0) {
		resp_error(resp, 400,
		           "Invalid container new name (%s), only [a-zA-Z0-9][a-zA-Z0-9_.-]+ are "
		           "allowed",
		           name);
		return;
	}
	struct container *c = route_find_container(req, resp);
	if (!c)
		return;
	pthread_mutex_lock(&c->op_lock);
	store_lock();
	bool same = strcmp(c->name, name) == 0;
	store_unlock();
	char *old = NULL;
	int ret = same ? 0 : store_rename(c, name, &old, err, sizeof(err));
	if (same)
		resp_error(resp, 400,
		           "Renaming a container with the same name as its current name");
	else if (ret == -EEXIST)
		resp_error(resp, 409, "%s", err);
	else if (ret == -ENOENT)
		resp_error(resp, 404, "%s", err);
	else if (ret < 0)
		resp_error(resp, 500, "%s", err);
	else {
		LOG_INFO("renamed %s from %s to %s", c->id, old, name);
		events_emit(c, "rename", "oldName", old, NULL);
		resp_empty(resp, 204);
	}
	free(old);
	pthread_mutex_unlock(&c->op_lock);
	store_put(c);
}

/* ---------------------------------------------------------------------------- update */

static void update_reply(struct response *resp)
{
	yajl_gen g = yajl_gen_alloc(NULL);
	yajl_gen_map_open(g);
	jg_kstrv(g, "Warnings", NULL);
	yajl_gen_map_close(g);
	resp_json(resp, 200, jg_finish(g, NULL));
}

/* op_lock held. Applies n to the running container (if it runs), then stores it. */
static int commit_update(struct container *c, struct host_config *n, char *err, size_t errlen,
                         unsigned *status)
{
	store_lock();
	bool running = c->state.status == STATUS_RUNNING;
	store_unlock();
	*status = 500;
	if (running && container_cgroup_apply(c, &c->host, n, err, errlen) < 0) {
		store_lock();
		running = c->state.status == STATUS_RUNNING;
		store_unlock();
		/* It exited meanwhile: its cgroup went with it; store the values only. */
		if (running) {
			char why[ERRLEN];
			snprintf(why, sizeof(why), "%s", err);
			snprintf(err, errlen, "Cannot update container %s: %.900s", c->id, why);
			return -1;
		}
	}
	store_lock();
	struct host_config old = c->host;
	c->host = *n;
	store_save(c);
	store_unlock(); /* writes hostconfig.json */
	if (store_save_result(c) < 0) {
		int saved = errno;
		store_lock();
		c->host = old;
		store_save(c);
		store_unlock();
		char ignored[ERRLEN];
		if (running)
			container_cgroup_apply(c, n, &old, ignored, sizeof(ignored));
		snprintf(err, errlen, "cannot save hostconfig.json: %s", strerror(saved));
		return -1;
	}
	store_lock();
	events_emit_locked(c, "update", NULL);
	store_unlock();
	free(old.cpuset_cpus);
	free(old.cpuset_mems);
	n->cpuset_cpus = n->cpuset_mems = NULL;
	return 0;
}

void route_container_update(const struct request *req, struct response *resp)
{
	yajl_val body = route_json_object(req, resp);
	if (!body)
		return;
	struct container *c = route_find_container(req, resp);
	if (!c) {
		yajl_tree_free(body);
		return;
	}
	pthread_mutex_lock(&c->op_lock);
	char err[ERRLEN] = "";
	struct host_config n = {0};
	unsigned status = 400;
	int ret = -1;
	if (c->removed) { /* an rm that held op_lock first */
		status = 404;
		snprintf(err, sizeof(err), "No such container: %s", req->param);
	} else {
		ret = host_config_update_parse(body, &c->host, &n, err, sizeof(err));
	}
	if (ret == 0)
		ret = validate_resources(&n, err, sizeof(err));
	if (ret == 0)
		ret = commit_update(c, &n, err, sizeof(err), &status);
	if (ret < 0)
		resp_error(resp, status, "%s", err);
	else
		update_reply(resp);
	if (ret == 0)
		LOG_INFO("updated %s", c->id);
	/* config.json follows the new resources; the update itself stands either way. */
	if (ret == 0 && runtime_write_spec(c, false, err, sizeof(err)) < 0)
		LOG_WARN("container %s: %s", c->id, err);
	free(n.cpuset_cpus);
	free(n.cpuset_mems);
	pthread_mutex_unlock(&c->op_lock);
	store_put(c);
	yajl_tree_free(body);
}

/* ------------------------------------------------------------------------------- top */

/* The most of ps's output kept: far beyond any host's process table. */
#define PS_OUTPUT_MAX (64u << 20)

/* Runs ps with args; its stdout (malloc'd), or NULL with err holding its stderr. */
static char *run_ps(char **args, char *err, size_t errlen)
{
	struct spawn_capture cap;
	if (spawn_capture("ps", args, SPAWN_SEARCH_PATH, PS_OUTPUT_MAX, 512, &cap) < 0) {
		snprintf(err, errlen, "Error running ps: %s", strerror(errno));
		return NULL;
	}
	if (cap.status != 0 || cap.out_truncated) {
		cap.err[strcspn(cap.err, "\n")] = '\0';
		snprintf(err, errlen, "Error running ps: %s",
		         cap.err[0] ? cap.err
		                    : (cap.status ? "exit status non-zero" : "output too large"));
		spawn_capture_free(&cap);
		return NULL;
	}
	char *text = cap.out;
	cap.out = NULL;
	spawn_capture_free(&cap);
	return text;
}

/* The hierarchy whose cgroup.procs lists the container's processes. */
static const char *procs_controller(void)
{
	static const char *const ctrls[] = {"pids", "memory", "cpu", "freezer"};
	const struct cgroup_mounts *m = cgroup_mounts_host();
	for (size_t i = 0; i < sizeof(ctrls) / sizeof(ctrls[0]); i++) {
		if (cgroup_mounts_v1(m, ctrls[i]))
			return ctrls[i];
	}
	return "pids"; /* v2: any name, cgroup_fs takes the one tree */
}

static void top_reply(struct response *resp, const struct ps_table *t)
{
	yajl_gen g = yajl_gen_alloc(NULL);
	yajl_gen_map_open(g);
	jg_kstrv(g, "Titles", t->titles);
	jg_key(g, "Processes");
	yajl_gen_array_open(g);
	for (size_t i = 0; i < t->nrows; i++) {
		yajl_gen_array_open(g);
		for (size_t k = 0; t->rows[i][k]; k++)
			jg_str(g, t->rows[i][k]);
		yajl_gen_array_close(g);
	}
	yajl_gen_array_close(g);
	yajl_gen_map_close(g);
	resp_json(resp, 200, jg_finish(g, NULL));
}

void route_container_top(const struct request *req, struct response *resp)
{
	struct container *c = route_find_container(req, resp);
	if (!c)
		return;
	const char *ps_args = req_query(req, "ps_args");
	char err[ERRLEN] = "";
	store_lock();
	bool running = !c->removed && c->state.status == STATUS_RUNNING;
	store_unlock();
	char *rel = running ? container_cgroup_rel(c) : NULL;
	pid_t *pids = NULL;
	size_t npids = 0;
	char **args = NULL;
	strv_push(&args, "ps");
	char *copy = strdup(ps_args && *ps_args ? ps_args : "-ef");
	char *save = NULL;
	for (char *a = copy ? strtok_r(copy, " \t", &save) : NULL; a;
	     a = strtok_r(NULL, " \t", &save))
		strv_push(&args, a);
	free(copy);
	char *text = NULL;
	struct ps_table t;
	if (!running)
		resp_error(resp, 409, "Container %s is not running", c->id);
	else if (!rel || cgroup_collect_pids(procs_controller(), rel, &pids, &npids) < 0)
		resp_error(resp, 500, "cannot list the processes of %s: %s", c->id,
		           cgroup_walk_strerror(errno));
	else if (!(text = run_ps(args, err, sizeof(err))))
		resp_error(resp, 500, "%s", err);
	else if (ps_table_parse(text, pids, npids, &t, err, sizeof(err)) < 0)
		resp_error(resp, 500, "%s", err);
	else {
		top_reply(resp, &t);
		ps_table_free(&t);
	}
	free(text);
	strv_free(args);
	free(pids);
	free(rel);
	store_put(c);
}
