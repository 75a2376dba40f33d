/* create, start, stop, restart, kill, rm, wait. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include <unistd.h>

#include "ipc_shm.h"
#include "container_net.h"
#include "events.h"
#include "core/durable_batch.h"
#include "core/fileutil.h"
#include "core/json.h"
#include "core/log.h"
#include "core/phase_timer.h"
#include "engine/healthcheck.h"
#include "log_config.h"
#include "oci_spec.h"
#include "routes.h"
#include "runtime.h"
#include "engine/signals.h"
#include "store.h"
#include "supervisor.h"
#include "sysopt.h"
#include "validate.h"

#define ERRLEN 1024

struct container *route_find_any_container(const struct request *req, struct response *resp)
{
	struct error e;
	struct container *c = store_lookup(req->param, &e);
	if (!c)
		resp_error_from(resp, &e);
	return c;
}

struct container *route_find_container(const struct request *req, struct response *resp)
{
	struct container *c = route_find_any_container(req, resp);
	if (c && c->broken) {
		resp_error(
		    resp, 409,
		    "Container %s is broken: its state cannot be read (%s); only inspect and "
		    "rm work on it",
		    c->id, c->broken);
		store_put(c);
		return NULL;
	}
	return c;
}

yajl_val route_json_object(const struct request *req, struct response *resp)
{
	char err[ERRLEN] = "";
	yajl_val body = json_parse(req->body, err, sizeof(err));
	if (!body || !YAJL_IS_OBJECT(body)) {
		resp_error(resp, 400, "invalid JSON body: %s", body ? "not an object" : err);
		if (body)
			yajl_tree_free(body);
		return NULL;
	}
	return body;
}

static struct container *new_container(yajl_val body, const char *name, char *err, size_t errlen)
{
	struct container *c = container_new(NULL);
	if (!c)
		return NULL;
	if (idgen_random_hex(c->id) < 0) {
		snprintf(err, errlen, "cannot generate a container ID");
		container_free(c);
		return NULL;
	}
	clock_gettime(CLOCK_REALTIME, &c->created);
	if (container_config_parse(body, &c->config, err, errlen) < 0 ||
	    host_config_parse(json_get(body, "HostConfig"), &c->host, err, errlen) < 0) {
		container_free(c);
		return NULL;
	}
	/* The API's NetworkingConfig and Config.MacAddress too. */
	net_config_free(&c->host.net);
	if (net_config_parse(json_get(body, "HostConfig"), body, &c->host.net, err, errlen) < 0) {
		container_free(c);
		return NULL;
	}
	c->name = strdup(name && *name ? name : c->id);
	return c;
}

/* The hostname when none is given, once the network mode is known: the seed's "localhost"
 * without a network, the host's with --net host, Docker's short ID on a network. */
static void default_hostname(struct container *c)
{
	if (c->config.hostname)
		return;
	const char *mode = c->host.net.mode ? c->host.net.mode : "none";
	char name[HOST_NAME_MAX + 1] = "";
	if (strcmp(mode, "none") == 0)
		snprintf(name, sizeof(name), "localhost");
	else if (strcmp(mode, "host") != 0 || gethostname(name, sizeof(name) - 1) < 0 || !name[0])
		snprintf(name, sizeof(name), "%.12s", c->id);
	c->config.hostname = strdup(name);
}

/* The create itself: the container, its files and host side made, with a reference for the
 * caller (store_put it), or NULL with the error in resp. For a run (and_start), config.v2.json
 * is left to the start, whose record of its monitor writes it first (create_and_start saves
 * it after a start that failed before): one file made less per run. */
static struct container *create_container(const struct request *req, struct response *resp,
                                          bool and_start)
{
	char err[ERRLEN] = "";
	const char *name = req_query(req, "name");
	if (name && name[0] == '/')
		name++;
	if (name && *name && container_name_check(name, err, sizeof(err)) < 0) {
		resp_error(resp, 400, "%s", err);
		return NULL;
	}
	struct phase_timer pt;
	phase_timer_start(&pt);
	yajl_val body = route_json_object(req, resp);
	if (!body)
		return NULL;
	struct container *c = new_container(body, name, err, sizeof(err));
	yajl_tree_free(body);
	if (!c) {
		resp_error(resp, 400, "%s", err[0] ? err : "out of memory");
		return NULL;
	}
	/* Every check refuses with 400 but validate_rootfs, whose code tells a missing image
	 * (404) apart. */
	struct error e = {.code = ERR_INVALID};
	if (validate_config_values(c, e.msg, sizeof(e.msg)) < 0 ||
	    healthcheck_validate(c->config.healthcheck, e.msg, sizeof(e.msg)) < 0 ||
	    validate_rootfs(c, &e) < 0 || validate_resources(&c->host, e.msg, sizeof(e.msg)) < 0 ||
	    security_config_validate(&c->host, e.msg, sizeof(e.msg)) < 0 ||
	    validate_storage(&c->host, e.msg, sizeof(e.msg)) < 0 ||
	    log_config_resolve(&c->host, g_runtime.container_log_opts, e.msg, sizeof(e.msg)) < 0 ||
	    sysopt_validate(c, e.msg, sizeof(e.msg)) < 0 || container_net_validate(c, &e) < 0 ||
	    ns_modes_validate(&c->host.ns, c->host.system_container, e.msg, sizeof(e.msg)) < 0 ||
	    oci_spec_resolve_hooks(c, g_runtime.default_hook_spec, e.msg, sizeof(e.msg)) < 0) {
		resp_error_from(resp, &e);
		container_free(c);
		return NULL;
	}
	if (!c->config.cmd && !c->config.entrypoint) {
		resp_error(resp, 400, "No command specified");
		container_free(c);
		return NULL;
	}
	resources_apply_defaults(&c->host);
	default_hostname(c);
	c->never_started = true;
	phase_timer_mark(&pt, "parse+validate");
	if (store_add(c, err, sizeof(err)) < 0) {
		resp_error(resp, 409, "%s", err);
		container_free(c);
		return NULL;
	}
	/* Crash-safe order: hostconfig.json first (it names what create makes on the host, so
	 * a daemon start can undo an incomplete create), then the host side, config.json (the
	 * only copy of the hooks) and config.v2.json last: the container exists, with its
	 * hooks, once that file does (runtime_recover_dirs removes dirs without it). */
	int code = 500;
	if (store_save_host_config(c) < 0) {
		snprintf(err, sizeof(err), "cannot save the container's host config: %s",
		         strerror(errno));
		runtime_remove_incomplete(c, false);
		goto fail;
	}
	phase_timer_mark(&pt, "hostconfig");
	if (sysopt_create(c, err, sizeof(err)) < 0) {
		runtime_remove_incomplete(c, false); /* the channel dir may not be ours */
		goto fail;
	}
	if (ipc_shm_prepare(c, err, sizeof(err)) < 0) {
		runtime_remove_incomplete(c, true);
		goto fail;
	}
	phase_timer_mark(&pt, "sysopt");
	pthread_mutex_lock(&c->op_lock); /* what the render keeps in c for the run */
	int spec_ret = runtime_write_spec(c, and_start, err, sizeof(err));
	pthread_mutex_unlock(&c->op_lock);
	if (spec_ret < 0) {
		code = 400;
		runtime_remove_incomplete(c, true);
		goto fail;
	}
	phase_timer_mark(&pt, "spec");
	/* hostconfig.json is on disk already: config.v2.json alone, then the dir's entries. */
	if (!and_start) {
		store_lock();
		store_save_state(c);
		store_unlock(); /* writes config.v2.json */
	}
	char *dir = store_container_dir(c->id);
	if (store_save_result(c) < 0 || !dir || fsync_dir(dir) < 0) {
		snprintf(err, sizeof(err), "cannot save the container's state: %s",
		         strerror(errno));
		free(dir);
		runtime_remove_incomplete(c, true);
		goto fail;
	}
	free(dir);
	phase_timer_mark(&pt, "config");
	fsync_dir(g_paths.lxcpath);
	phase_timer_mark(&pt, "fsync-dir");
	LOG_INFO("created %s (%s)", c->id, c->name);
	LOG_DEBUG("timing create %s: %s", c->id, phase_timer_text(&pt));
	events_emit(c, "create", NULL);
	return c;
fail:
	store_remove(c);
	store_put(c);
	resp_error(resp, code, "%s", err);
	return NULL;
}

static bool is_running(struct container *c)
{
	store_lock();
	bool running = c->state.status == STATUS_RUNNING;
	store_unlock();
	return running;
}

/* How a user's stop or kill is marked, so that restart policies leave the container stopped:
 * synced when the answer follows at once (kill); unsynced when a later synced save
 * acknowledges it (restart's start); for a stop, rendered for the stop itself to write,
 * synced: with the exit it waits for, which the supervisor leaves to it (save_stopped),
 * and before, while the container shuts down, if a restart policy would undo it after a
 * daemon killed meanwhile. */
enum mark_save { MARK_SYNCED, MARK_UNSYNCED, MARK_FOR_STOP };

static void mark_manual_stop(struct container *c, enum mark_save save)
{
	store_lock();
	c->state.manually_stopped = true;
	supervisor_cancel_restart_locked(c);
	if (save == MARK_SYNCED) {
		store_save_state(c);
	} else if (save == MARK_UNSYNCED) {
		store_save_state_unsynced(c);
	} else {
		c->stop_syncs++;
		store_save_state_for_sync(c);
	}
	store_broadcast();
	store_unlock();
}

/* What a stop acknowledges, on disk before its answer: the mark and the exit. */
static void save_stopped(struct container *c)
{
	store_lock();
	c->stop_syncs--;
	store_unlock();
	store_sync_state(c);
}

static int do_start(struct container *c, char *err, size_t errlen)
{
	store_lock();
	supervisor_cancel_restart_locked(c);
	store_unlock();
	return runtime_start(c, err, errlen);
}

void route_container_start(const struct request *req, struct response *resp)
{
	struct container *c = route_find_container(req, resp);
	if (!c)
		return;
	pthread_mutex_lock(&c->op_lock);
	char err[ERRLEN];
	if (c->removed)
		resp_error(resp, 404, "No such container: %s", req->param);
	else if (is_running(c))
		resp_empty(resp, 304);
	else if (do_start(c, err, sizeof(err)) < 0)
		resp_error(resp, 500, "%s", err);
	else
		resp_empty(resp, 204);
	pthread_mutex_unlock(&c->op_lock);
	store_put(c);
}

/* The answer to a create: its Id (and, for a start that failed after it, the start's error
 * with the Id, so that the client can remove what it asked for with --rm). */
static void resp_created(struct response *resp, const struct container *c, unsigned int status,
                         const char *start_err)
{
	yajl_gen g = yajl_gen_alloc(NULL);
	yajl_gen_map_open(g);
	if (start_err)
		jg_kstr(g, "message", start_err);
	jg_kstr(g, "Id", c->id);
	jg_kstrv(g, "Warnings", NULL);
	yajl_gen_map_close(g);
	resp_json(resp, status, jg_finish(g, NULL));
}

/* create?start=1 (isula run -d): the create and the start in one request. The create's files
 * go in place at once and are made durable while liblxc starts the container (runtime_start
 * syncs the batch after the monitor's go), so that neither a second round trip nor the
 * create's fsyncs come before the start; all of it is on disk before the answer. */
static void create_and_start(struct container *c, struct response *resp)
{
	char err[ERRLEN] = "";
	pthread_mutex_lock(&c->op_lock);
	int ret = c->removed ? -1 : do_start(c, err, sizeof(err));
	free(c->run_lxc_text); /* for this request's start only */
	c->run_lxc_text = NULL;
	if (c->removed) {
		snprintf(err, sizeof(err), "No such container: %s", c->id);
	} else if (ret < 0) {
		/* The create's config.v2.json, if the start failed before writing it. */
		store_lock();
		store_save_state(c);
		store_unlock();
	}
	pthread_mutex_unlock(&c->op_lock);
	if (durable_batch_commit() < 0 && ret == 0) {
		snprintf(err, sizeof(err), "cannot make the container's files durable: %s",
		         strerror(errno));
		ret = -1;
	}
	resp_created(resp, c, ret == 0 ? 201 : 500, ret == 0 ? NULL : err);
}

void route_container_create(const struct request *req, struct response *resp)
{
	bool and_start = req_query_bool(req, "start");
	if (and_start && server_authorize_also(req, "container_start", resp) < 0)
		return;
	if (and_start && durable_batch_begin_in_place() < 0) {
		resp_error(resp, 500, "cannot begin the container's files: %s", strerror(errno));
		return;
	}
	struct container *c = create_container(req, resp, and_start);
	if (!c) {
		if (and_start)
			durable_batch_abort();
		return;
	}
	if (and_start)
		create_and_start(c, resp);
	else
		resp_created(resp, c, 201, NULL);
	store_put(c);
}

static int stop_timeout(const struct request *req)
{
	const char *t = req_query(req, "t");
	return t ? atoi(t) : 10;
}

/* A running container's stop: the halt signal, the mark written early under a restart
 * policy, the init's end seen through its pidfd and its exit written while liblxc tears the
 * container down (the record then finds nothing new to write), then the exit recorded, or
 * the kill after the timeout. */
static int stop_running(struct container *c, int timeout, struct phase_timer *pt, char *err,
                        size_t errlen)
{
	struct pid_pin init;
	bool signalled = runtime_stop_signal(c, timeout, &init) == 0;
	phase_timer_mark(pt, "signal");
	/* Where a daemon killed before the exit is saved would otherwise restart it. */
	if (signalled && c->host.restart.kind != RESTART_NO)
		store_sync_state(c);
	phase_timer_mark(pt, "mark");
	int status = 0, ended = -1;
	if (signalled) {
		ended = runtime_stop_await_init(&init, timeout, &status);
		pid_pin_close(&init);
	}
	phase_timer_mark(pt, "init-ended");
	if (ended == 1) {
		supervisor_foresee_exit(c, exit_record_code(status));
		store_sync_state(c);
	}
	phase_timer_mark(pt, "foreseen");
	int ret = runtime_stop_wait(c, timeout, ended >= 0, err, errlen);
	phase_timer_mark(pt, "exited");
	return ret;
}

void route_container_stop(const struct request *req, struct response *resp)
{
	struct container *c = route_find_container(req, resp);
	if (!c)
		return;
	struct phase_timer pt;
	phase_timer_start(&pt);
	mark_manual_stop(c, MARK_FOR_STOP);
	pthread_mutex_lock(&c->op_lock);
	char err[ERRLEN];
	if (!is_running(c)) {
		save_stopped(c);
		resp_empty(resp, 304);
	} else {
		int ret = stop_running(c, stop_timeout(req), &pt, err, sizeof(err));
		save_stopped(c);
		phase_timer_mark(&pt, "sync");
		if (ret < 0) {
			resp_error(resp, 500, "%s", err);
		} else {
			LOG_DEBUG("timing stop %s: %s", c->id, phase_timer_text(&pt));
			events_emit(c, "stop", NULL);
			resp_empty(resp, 204);
		}
	}
	pthread_mutex_unlock(&c->op_lock);
	store_put(c);
}

void route_container_restart(const struct request *req, struct response *resp)
{
	struct container *c = route_find_container(req, resp);
	if (!c)
		return;
	mark_manual_stop(c, MARK_UNSYNCED); /* the start's save syncs it */
	pthread_mutex_lock(&c->op_lock);
	char err[ERRLEN];
	if (is_running(c) && runtime_stop(c, stop_timeout(req), err, sizeof(err)) < 0)
		resp_error(resp, 500, "%s", err);
	else if (do_start(c, err, sizeof(err)) < 0)
		resp_error(resp, 500, "%s", err);
	else {
		events_emit(c, "restart", NULL);
		resp_empty(resp, 204);
	}
	pthread_mutex_unlock(&c->op_lock);
	store_put(c);
}

void route_container_kill(const struct request *req, struct response *resp)
{
	const char *sigstr = req_query(req, "signal");
	int sig = sigstr && *sigstr ? signal_parse(sigstr) : SIGKILL;
	if (sig <= 0) {
		resp_error(resp, 400, "Invalid signal: %s", sigstr);
		return;
	}
	struct container *c = route_find_container(req, resp);
	if (!c)
		return;
	char err[ERRLEN];
	if (!is_running(c)) {
		resp_error(resp, 409, "Container %s is not running", c->id);
	} else {
		if (sig == SIGKILL)
			mark_manual_stop(c, MARK_SYNCED);
		char num[16];
		snprintf(num, sizeof(num), "%d", sig);
		if (runtime_kill(c, sig, err, sizeof(err)) < 0)
			resp_error(resp, 500, "%s", err);
		else {
			events_emit(c, "kill", "signal", num, NULL);
			resp_empty(resp, 204);
		}
	}
	store_put(c);
}

void route_container_delete(const struct request *req, struct response *resp)
{
	struct container *c = route_find_any_container(req, resp);
	if (!c)
		return;
	bool force = req_query_bool(req, "force");
	char err[ERRLEN];
	if (force)
		mark_manual_stop(c, MARK_SYNCED);
	pthread_mutex_lock(&c->op_lock);
	/* A broken container's state cannot tell: liblxc knows whether it still runs. */
	bool broken_running = c->broken && runtime_lxc_running(c->id);
	if (c->removed) {
		resp_error(resp, 404, "No such container: %s", req->param);
	} else if (broken_running && !force) {
		resp_error(resp, 409,
		           "You cannot remove a running container %s. Stop the container before "
		           "attempting removal or force remove",
		           c->id);
	} else if (broken_running && runtime_lxc_stop(c->id, err, sizeof(err)) < 0) {
		resp_error(resp, 500, "%s", err);
	} else if (is_running(c) && !force) {
		resp_error(resp, 409,
		           "You cannot remove a running container %s. Stop the container before "
		           "attempting removal or force remove",
		           c->id);
	} else if (is_running(c) && runtime_stop(c, 0, err, sizeof(err)) < 0) {
		resp_error(resp, 500, "%s", err);
	} else {
		store_lock();
		supervisor_cancel_restart_locked(c);
		store_unlock();
		runtime_remove_files(c);
		store_remove(c);
		events_emit(c, "destroy", NULL);
		LOG_INFO("removed %s", c->id);
		resp_empty(resp, 204);
	}
	pthread_mutex_unlock(&c->op_lock);
	store_put(c);
}

enum wait_condition { WAIT_NOT_RUNNING, WAIT_NEXT_EXIT, WAIT_REMOVED };

struct waiter {
	struct container *c;
	struct MHD_Connection *conn;
	enum wait_condition cond;
	unsigned exits_before;
	bool answered;
};

/* Lock held. */
static bool wait_satisfied(const struct waiter *w)
{
	const struct container *c = w->c;
	switch (w->cond) {
	case WAIT_NEXT_EXIT:
		return c->exits != w->exits_before || c->removed;
	case WAIT_REMOVED:
		return c->removed;
	case WAIT_NOT_RUNNING:
	default:
		return c->removed ||
		       (c->state.status != STATUS_RUNNING && c->state.status != STATUS_RESTARTING);
	}
}

/* Streams {"StatusCode":N,"Error":null} once the condition holds: the 200 header goes out
 * at once, so `isula run` knows its wait is registered before it starts the container. */
static ssize_t wait_stream(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct waiter *w = cls;
	if (w->answered)
		return MHD_CONTENT_READER_END_OF_STREAM;
	store_lock();
	while (!wait_satisfied(w)) {
		store_wait_change(monotonic_ms() + 1000);
		if (!wait_satisfied(w) && req_peer_gone(w->conn)) {
			store_unlock();
			return MHD_CONTENT_READER_END_WITH_ERROR;
		}
	}
	int code = w->c->state.exit_code;
	store_unlock();
	w->answered = true;
	return snprintf(buf, max, "{\"StatusCode\":%d,\"Error\":null}\n", code);
}

static void wait_done(void *cls)
{
	struct waiter *w = cls;
	store_put(w->c);
	free(w);
}

void route_container_wait(const struct request *req, struct response *resp)
{
	const char *cond = req_query(req, "condition");
	enum wait_condition wc;
	if (!cond || !*cond || strcmp(cond, "not-running") == 0)
		wc = WAIT_NOT_RUNNING;
	else if (strcmp(cond, "next-exit") == 0)
		wc = WAIT_NEXT_EXIT;
	else if (strcmp(cond, "removed") == 0)
		wc = WAIT_REMOVED;
	else {
		resp_error(resp, 400,
		           "invalid condition '%s': allowed are not-running, next-exit, removed",
		           cond);
		return;
	}
	struct container *c = route_find_container(req, resp);
	if (!c)
		return;
	struct waiter *w = calloc(1, sizeof(*w));
	if (!w) {
		store_put(c);
		resp_error(resp, 500, "out of memory");
		return;
	}
	w->c = c;
	w->conn = req->conn;
	w->cond = wc;
	store_lock();
	w->exits_before = c->exits;
	store_unlock();
	resp_stream(resp, 200, "application/json", wait_stream, w, wait_done);
}
