#include "container.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "core/json_time.h"
#include "core/strv.h"
#include "core/timeutil.h"
#include "core/utf8.h"

#define DEFAULT_PATH_ENV "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

void host_config_cfs(const struct host_config *h, int64_t *quota, int64_t *period)
{
	if (h->nano_cpus > 0) {
		*period = NANO_CPUS_PERIOD;
		*quota = h->nano_cpus * NANO_CPUS_PERIOD / 1000000000;
		return;
	}
	*quota = h->cpu_quota;
	*period = h->cpu_period;
}

const char *container_status_name(enum container_status s)
{
	switch (s) {
	case STATUS_CREATED:
		return "inited";
	case STATUS_RUNNING:
		return "running";
	case STATUS_RESTARTING:
		return "restarting";
	case STATUS_EXITED:
		return "exited";
	}
	return "unknown";
}

const char *container_state_name(const struct container *c)
{
	if (c->broken)
		return "broken";
	if (c->state.status == STATUS_RUNNING && c->state.paused)
		return "paused";
	return container_status_name(c->state.status);
}

char **container_init_env(const struct container_config *cfg)
{
	char **env = NULL;
	if (strv_find_env(cfg->env, "PATH", 4) < 0)
		strv_push(&env, DEFAULT_PATH_ENV);
	if (cfg->tty && strv_find_env(cfg->env, "TERM", 4) < 0)
		strv_push(&env, "TERM=xterm");
	for (size_t i = 0; cfg->env && cfg->env[i]; i++)
		strv_push(&env, cfg->env[i]);
	return env;
}

void container_config_free(struct container_config *c)
{
	free(c->hostname);
	free(c->user);
	free(c->workdir);
	free(c->image);
	free(c->stop_signal);
	strv_free(c->env);
	strv_free(c->cmd);
	strv_free(c->entrypoint);
	strv_free(c->labels);
	healthcheck_free(c->healthcheck);
	memset(c, 0, sizeof(*c));
}

void host_config_free(struct host_config *h)
{
	free(h->external_rootfs);
	free(h->cgroup_parent);
	free(h->cpuset_cpus);
	free(h->cpuset_mems);
	free(h->hook_spec);
	free(h->log_type);
	strv_free(h->log_opts);
	strv_free(h->binds);
	strv_free(h->annotations);
	ns_modes_free(&h->ns);
	for (size_t i = 0; i < h->n_ulimits; i++)
		free(h->ulimits[i].name);
	free(h->ulimits);
	security_config_free(&h->sec);
	blkio_config_free(&h->blkio);
	hugetlb_config_free(&h->hugetlb);
	mount_config_free(&h->mounts);
	sysopt_config_free(&h->sys);
	net_config_free(&h->net);
	memset(h, 0, sizeof(*h));
}

int container_name_check(const char *name, char *err, size_t errlen)
{
	/* Docker's and iSulad's ^[a-zA-Z0-9][a-zA-Z0-9_.-]+$: two characters at least. */
	bool ok = name && isalnum((unsigned char)name[0]) && name[1];
	for (const char *p = name; ok && *p; p++)
		ok = isalnum((unsigned char)*p) || *p == '_' || *p == '.' || *p == '-';
	if (!ok)
		snprintf(err, errlen,
		         "Invalid container name (%s), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed.",
		         name ? name : "");
	return ok ? 0 : -1;
}

struct container *container_new(const char *id)
{
	struct container *c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	pthread_mutex_init(&c->op_lock, NULL);
	pthread_mutex_init(&c->save_lock, NULL);
	if (id)
		snprintf(c->id, sizeof(c->id), "%s", id);
	return c;
}

void container_free(struct container *c)
{
	if (!c)
		return;
	free(c->name);
	container_config_free(&c->config);
	host_config_free(&c->host);
	oci_hooks_free(&c->hooks);
	free(c->net.network);
	free(c->state.error);
	health_state_free(&c->state.health);
	free(c->save_config);
	free(c->save_host);
	free(c->broken);
	free(c->run_lxc_text);
	pthread_mutex_destroy(&c->op_lock);
	pthread_mutex_destroy(&c->save_lock);
	free(c);
}

void container_config_gen(yajl_gen g, const struct container_config *c)
{
	yajl_gen_map_open(g);
	jg_kstr(g, "Hostname", c->hostname);
	jg_kstr(g, "User", c->user);
	jg_kstrv(g, "Env", c->env);
	jg_kbool(g, "Tty", c->tty);
	jg_kbool(g, "OpenStdin", c->open_stdin);
	jg_kbool(g, "AttachStdin", c->attach_stdin);
	jg_kbool(g, "StdinOnce", c->stdin_once);
	jg_kstrv(g, "Cmd", c->cmd);
	jg_kstrv(g, "Entrypoint", c->entrypoint);
	jg_kstr(g, "WorkingDir", c->workdir);
	jg_kstr(g, "Image", c->image);
	if (c->stop_signal)
		jg_kstr(g, "StopSignal", c->stop_signal);
	jg_kmap_from_kv(g, "Labels", c->labels);
	healthcheck_gen(g, c->healthcheck);
	yajl_gen_map_close(g);
}

void host_config_gen(yajl_gen g, const struct host_config *h)
{
	yajl_gen_map_open(g);
	jg_kstrv(g, "Binds", h->binds);
	net_config_gen(g, &h->net);
	jg_kbool(g, "Privileged", h->privileged);
	jg_kbool(g, "SystemContainer", h->system_container);
	jg_kbool(g, "AutoRemove", h->auto_remove);
	jg_kstr(g, "Runtime", "lcr");
	jg_key(g, "RestartPolicy");
	yajl_gen_map_open(g);
	jg_kstr(g, "Name", restart_policy_name(h->restart.kind));
	jg_kint(g, "MaximumRetryCount", h->restart.max_retries);
	yajl_gen_map_close(g);
	jg_kstr(g, "CgroupParent", h->cgroup_parent);
	jg_kstr(g, "HookSpec", h->hook_spec);
	jg_kint(g, "CpuShares", h->cpu_shares);
	jg_kint(g, "Memory", h->memory);
	jg_kint(g, "CpuPeriod", h->cpu_period);
	jg_kint(g, "CpuQuota", h->cpu_quota);
	jg_kint(g, "NanoCpus", h->nano_cpus);
	jg_kstr(g, "CpusetCpus", h->cpuset_cpus);
	jg_kstr(g, "CpusetMems", h->cpuset_mems);
	jg_kint(g, "MemoryReservation", h->memory_reservation);
	jg_kint(g, "MemorySwap", h->memory_swap);
	jg_kint(g, "PidsLimit", h->pids_limit);
	jg_kint(g, "BlkioWeight", h->blkio_weight);
	blkio_config_gen(g, &h->blkio);
	hugetlb_config_gen(g, &h->hugetlb);
	mount_config_gen(g, &h->mounts);
	jg_kint(g, "KernelMemory", h->kernel_memory);
	jg_kint(g, "MemorySwappiness", h->memory_swappiness);
	jg_kbool(g, "ReadonlyRootfs", h->readonly_rootfs);
	jg_kmap_from_kv(g, "Annotations", h->annotations);
	ns_modes_gen(g, &h->ns);
	jg_key(g, "Ulimits");
	yajl_gen_array_open(g);
	for (size_t i = 0; i < h->n_ulimits; i++) {
		yajl_gen_map_open(g);
		jg_kstr(g, "Name", h->ulimits[i].name);
		jg_kint(g, "Soft", h->ulimits[i].soft);
		jg_kint(g, "Hard", h->ulimits[i].hard);
		yajl_gen_map_close(g);
	}
	yajl_gen_array_close(g);
	jg_kstr(g, "ExternalRootfs", h->external_rootfs);
	sysopt_config_gen(g, &h->sys, h->privileged);
	jg_key(g, "LogConfig");
	yajl_gen_map_open(g);
	jg_kstr(g, "Type", h->log_type ? h->log_type : "json-file");
	jg_kmap_from_kv(g, "Config", h->log_opts);
	yajl_gen_map_close(g);
	security_config_gen(g, &h->sec);
	yajl_gen_map_close(g);
}

static void gen_time(yajl_gen g, const char *key, const struct timespec *ts)
{
	char buf[64];
	time_format_rfc3339(ts, buf, sizeof(buf));
	jg_kstr(g, key, buf);
}

void container_state_gen(yajl_gen g, const struct container *c, bool internal)
{
	const struct container_state *s = &c->state;
	yajl_gen_map_open(g);
	jg_kstr(g, "Status", container_state_name(c));
	jg_kbool(g, "Running", s->status == STATUS_RUNNING);
	jg_kbool(g, "Paused", s->status == STATUS_RUNNING && s->paused);
	jg_kbool(g, "Restarting", s->status == STATUS_RESTARTING);
	jg_kint(g, "Pid", s->status == STATUS_RUNNING ? s->pid : 0);
	jg_kint(g, "ExitCode", s->exit_code);
	jg_kstr(g, "Error", s->error);
	gen_time(g, "StartedAt", &s->started_at);
	gen_time(g, "FinishedAt", &s->finished_at);
	health_state_gen(g, &s->health);
	if (internal) {
		jg_kint(g, "RestartCount", s->restart_count);
		jg_kbool(g, "ManuallyStopped", s->manually_stopped);
		jg_kint(g, "MonitorPid", s->monitor_pid);
		jg_kint(g, "MonitorStartTime", (int64_t)s->monitor_start_time);
		jg_kstr(g, "MonitorBootId", s->monitor_boot_id[0] ? s->monitor_boot_id : NULL);
	}
	yajl_gen_map_close(g);
}

/* Bytes kept of one label's "key=value". */
#define LABEL_MAX 4096
#define ANNOTATION_MAX 4096

static char *dup_or_null(const char *s)
{
	return s && *s ? strdup(s) : NULL;
}

/* A JSON map of strings (Labels, Annotations) as "key=value" entries, each bounded to max
 * bytes: the cut falls between characters, never inside one. */
static char **kv_from_map(yajl_val map, size_t max)
{
	char **out = NULL;
	for (size_t i = 0; map && YAJL_IS_OBJECT(map) && i < map->u.object.len; i++) {
		yajl_val v = map->u.object.values[i];
		const char *val = YAJL_IS_STRING(v) ? YAJL_GET_STRING(v) : "";
		size_t klen = strlen(map->u.object.keys[i]), vlen = strlen(val);
		char *kv = malloc(klen + vlen + 2);
		if (!kv)
			continue;
		snprintf(kv, klen + vlen + 2, "%s=%s", map->u.object.keys[i], val);
		kv[utf8_cut(kv, klen + vlen + 1, max - 1)] = '\0';
		strv_push(&out, kv);
		free(kv);
	}
	return out;
}

int container_config_parse(yajl_val node, struct container_config *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof(*out));
	if (node && !YAJL_IS_OBJECT(node)) {
		snprintf(err, errlen, "Config must be a JSON object");
		return -1;
	}
	out->hostname = dup_or_null(json_get_str(node, "Hostname"));
	out->user = dup_or_null(json_get_str(node, "User"));
	out->workdir = dup_or_null(json_get_str(node, "WorkingDir"));
	out->image = dup_or_null(json_get_str(node, "Image"));
	const char *stop = json_get_str(node, "StopSignal");
	out->stop_signal = stop && *stop ? strdup(stop) : NULL;
	out->env = json_get_strv(node, "Env");
	out->cmd = json_get_strv(node, "Cmd");
	out->entrypoint = json_get_strv(node, "Entrypoint");
	out->tty = json_get_bool(node, "Tty", false);
	out->open_stdin = json_get_bool(node, "OpenStdin", false);
	out->attach_stdin = json_get_bool(node, "AttachStdin", false);
	out->stdin_once = json_get_bool(node, "StdinOnce", false);
	out->labels = kv_from_map(json_get(node, "Labels"), LABEL_MAX);
	/* Docker's key, or iSulad's (the seed's inspect shows HealthCheck). */
	yajl_val hc = json_get(node, "Healthcheck");
	if (healthcheck_parse(hc ? hc : json_get(node, "HealthCheck"), &out->healthcheck, err,
	                      errlen) < 0)
		return -1;
	return 0;
}

static int parse_ulimits(yajl_val arr, struct host_config *h, char *err, size_t errlen)
{
	if (!arr || !YAJL_IS_ARRAY(arr))
		return 0;
	h->ulimits = calloc(arr->u.array.len + 1, sizeof(*h->ulimits));
	if (!h->ulimits)
		return -1;
	for (size_t i = 0; i < arr->u.array.len; i++) {
		yajl_val u = arr->u.array.values[i];
		const char *name = json_get_str(u, "Name");
		if (!name || !*name) {
			snprintf(err, errlen, "Invalid ulimit: missing Name");
			return -1;
		}
		h->ulimits[h->n_ulimits].name = strdup(name);
		h->ulimits[h->n_ulimits].soft = json_get_int(u, "Soft", 0);
		h->ulimits[h->n_ulimits].hard = json_get_int(u, "Hard", 0);
		h->n_ulimits++;
	}
	return 0;
}

/* LogConfig {"Type": "json-file", "Config": {"max-size": "10m", ...}}. */
static int parse_log_config(yajl_val lc, struct host_config *h, char *err, size_t errlen)
{
	if (!lc || YAJL_IS_NULL(lc))
		return 0;
	yajl_val cfg = json_get(lc, "Config");
	if (!YAJL_IS_OBJECT(lc) || (cfg && !YAJL_IS_NULL(cfg) && !YAJL_IS_OBJECT(cfg))) {
		snprintf(err, errlen, "LogConfig must be an object with an object Config");
		return -1;
	}
	h->log_type = dup_or_null(json_get_str(lc, "Type"));
	for (size_t i = 0; cfg && YAJL_IS_OBJECT(cfg) && i < cfg->u.object.len; i++) {
		yajl_val v = cfg->u.object.values[i];
		if (!YAJL_IS_STRING(v)) {
			snprintf(err, errlen, "Invalid log option %s: the value must be a string",
			         cfg->u.object.keys[i]);
			return -1;
		}
		const char *val = v->u.string;
		size_t len = strlen(cfg->u.object.keys[i]) + strlen(val) + 2;
		char *kv = malloc(len);
		if (!kv)
			return -1;
		snprintf(kv, len, "%s=%s", cfg->u.object.keys[i], val);
		strv_push(&h->log_opts, kv);
		free(kv);
	}
	return 0;
}

int host_config_parse(yajl_val node, struct host_config *h, char *err, size_t errlen)
{
	memset(h, 0, sizeof(*h));
	if (node && !YAJL_IS_OBJECT(node)) {
		snprintf(err, errlen, "HostConfig must be a JSON object");
		return -1;
	}
	h->system_container = json_get_bool(node, "SystemContainer", false);
	h->privileged = json_get_bool(node, "Privileged", false);
	h->auto_remove = json_get_bool(node, "AutoRemove", false);
	h->external_rootfs = dup_or_null(json_get_str(node, "ExternalRootfs"));
	h->cgroup_parent = dup_or_null(json_get_str(node, "CgroupParent"));
	h->hook_spec = dup_or_null(json_get_str(node, "HookSpec"));
	h->binds = json_get_strv(node, "Binds");
	h->memory = json_get_int(node, "Memory", 0);
	h->memory_swap = json_get_int(node, "MemorySwap", 0);
	h->memory_reservation = json_get_int(node, "MemoryReservation", 0);
	h->cpu_shares = json_get_int(node, "CpuShares", 0);
	h->cpu_quota = json_get_int(node, "CpuQuota", 0);
	h->cpu_period = json_get_int(node, "CpuPeriod", 0);
	h->nano_cpus = json_get_int(node, "NanoCpus", 0);
	h->cpuset_cpus = dup_or_null(json_get_str(node, "CpusetCpus"));
	h->cpuset_mems = dup_or_null(json_get_str(node, "CpusetMems"));
	h->pids_limit = json_get_int(node, "PidsLimit", 0);
	h->blkio_weight = json_get_int(node, "BlkioWeight", 0);
	h->kernel_memory = json_get_int(node, "KernelMemory", 0);
	/* Docker clients send null or -1 for "unset". */
	h->memory_swappiness = json_get_int(node, "MemorySwappiness", -1);
	h->readonly_rootfs = json_get_bool(node, "ReadonlyRootfs", false);
	h->annotations = kv_from_map(json_get(node, "Annotations"), ANNOTATION_MAX);
	ns_modes_parse(node, &h->ns);
	yajl_val rp = json_get(node, "RestartPolicy");
	const char *rname = json_get_str(rp, "Name");
	if (restart_policy_from_name(rname ? rname : "",
	                             (int)json_get_int(rp, "MaximumRetryCount", 0), &h->restart,
	                             err, errlen) < 0)
		return -1;
	if (parse_log_config(json_get(node, "LogConfig"), h, err, errlen) < 0 ||
	    security_config_parse(node, &h->sec, err, errlen) < 0 ||
	    blkio_config_parse(node, &h->blkio, err, errlen) < 0 ||
	    hugetlb_config_parse(node, &h->hugetlb, err, errlen) < 0 ||
	    mount_config_parse(node, &h->mounts, err, errlen) < 0)
		return -1;
	if (sysopt_config_parse(node, &h->sys, err, errlen) < 0 ||
	    net_config_parse(node, NULL, &h->net, err, errlen) < 0)
		return -1;
	return parse_ulimits(json_get(node, "Ulimits"), h, err, errlen);
}

int container_state_parse(yajl_val node, struct container_state *s)
{
	memset(s, 0, sizeof(*s));
	const char *status = json_get_str(node, "Status");
	if (!status)
		return -1;
	if (strcmp(status, "running") == 0 || strcmp(status, "restarting") == 0 ||
	    strcmp(status, "paused") == 0)
		s->status = STATUS_RUNNING;
	else if (strcmp(status, "exited") == 0)
		s->status = STATUS_EXITED;
	else
		s->status = STATUS_CREATED;
	s->pid = (pid_t)json_get_int(node, "Pid", 0);
	s->exit_code = (int)json_get_int(node, "ExitCode", 0);
	s->error = dup_or_null(json_get_str(node, "Error"));
	json_get_rfc3339(node, "StartedAt", &s->started_at);
	json_get_rfc3339(node, "FinishedAt", &s->finished_at);
	s->restart_count = (int)json_get_int(node, "RestartCount", 0);
	s->manually_stopped = json_get_bool(node, "ManuallyStopped", false);
	s->paused = s->status == STATUS_RUNNING && json_get_bool(node, "Paused", false);
	s->monitor_pid = (pid_t)json_get_int(node, "MonitorPid", 0);
	s->monitor_start_time = (unsigned long long)json_get_int(node, "MonitorStartTime", 0);
	/* Kept as written (checked at reattach): a stamp that is not an id is not this boot's. */
	const char *boot = json_get_str(node, "MonitorBootId");
	snprintf(s->monitor_boot_id, sizeof(s->monitor_boot_id), "%s",
	         !boot                        ? ""
	         : strlen(boot) > BOOT_ID_LEN ? "?"
	                                      : boot);
	health_state_parse(json_get(node, "Health"), &s->health);
	return 0;
}
