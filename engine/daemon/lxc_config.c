#include "lxc_config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgroup_info.h"
#include "container_cgroup.h"
#include "fileutil.h"
#include "log_config.h"
#include "lxc_security.h"
#include "strv.h"
#include "sysopt.h"

/* The console ring buffer kept by liblxc for a tty container. */
#define CONSOLE_REPLAY_BYTES (64 * 1024)
#define DEFAULT_PATH_ENV "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

struct buf {
	char *data;
	size_t len, cap;
	bool failed;
};

static void addf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void addf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	for (;;) {
		size_t room = b->cap - b->len;
		va_start(ap, fmt);
		int n = vsnprintf(b->data ? b->data + b->len : NULL, b->data ? room : 0, fmt, ap);
		va_end(ap);
		if (n < 0) {
			b->failed = true;
			return;
		}
		if (b->data && (size_t)n < room) {
			b->len += (size_t)n;
			return;
		}
		size_t cap = (b->cap + (size_t)n + 1) * 2;
		char *nd = realloc(b->data, cap);
		if (!nd) {
			b->failed = true;
			return;
		}
		b->data = nd;
		b->cap = cap;
	}
}

char *lxc_config_cgroup_path(const struct container *c, const char *default_parent)
{
	const char *parent = c->host.cgroup_parent ? c->host.cgroup_parent : default_parent;
	if (!parent || !*parent)
		parent = "/isulad";
	while (*parent == '/')
		parent++;
	size_t plen = strlen(parent);
	while (plen > 0 && parent[plen - 1] == '/')
		plen--;
	char *out = malloc(plen + CONTAINER_ID_LEN + 2);
	if (!out)
		return NULL;
	if (plen)
		snprintf(out, plen + CONTAINER_ID_LEN + 2, "%.*s/%s", (int)plen, parent, c->id);
	else
		snprintf(out, CONTAINER_ID_LEN + 1, "%s", c->id);
	return out;
}

/* A cgroup setting for whichever hierarchy holds the controller on this host. */
static void add_cgroup(struct buf *b, const char *v1_key, const char *v2_key, const char *value)
{
	if (cgroup_v1_has(v1_key))
		addf(b, "lxc.cgroup.%s = %s\n", v1_key, value);
	else if (v2_key)
		addf(b, "lxc.cgroup2.%s = %s\n", v2_key, value);
}

static void add_cgroup_int(struct buf *b, const char *v1_key, const char *v2_key, int64_t value)
{
	char num[32];
	snprintf(num, sizeof(num), "%lld", (long long)value);
	add_cgroup(b, v1_key, v2_key, num);
}

static void add_resources(struct buf *b, const struct host_config *h)
{
	if (h->memory > 0)
		add_cgroup_int(b, "memory.limit_in_bytes", "memory.max", h->memory);
	if (h->memory_reservation > 0)
		add_cgroup_int(b, "memory.soft_limit_in_bytes", "memory.low",
		               h->memory_reservation);
	/* v1 limits memory+swap together; v2 limits swap alone. */
	if (h->memory_swap > 0 && cgroup_v1_has("memory.memsw.limit_in_bytes"))
		addf(b, "lxc.cgroup.memory.memsw.limit_in_bytes = %lld\n",
		     (long long)h->memory_swap);
	else if (h->memory_swap > 0 && cgroup_is_unified())
		addf(b, "lxc.cgroup2.memory.swap.max = %lld\n",
		     (long long)(h->memory_swap - h->memory));
	else if (h->memory_swap == -1 && cgroup_is_unified())
		addf(b, "lxc.cgroup2.memory.swap.max = max\n");
	if (h->cpu_shares > 0)
		add_cgroup_int(b, "cpu.shares", NULL, h->cpu_shares);
	if (h->cpu_period > 0)
		add_cgroup_int(b, "cpu.cfs_period_us", NULL, h->cpu_period);
	if (h->cpu_quota != 0)
		add_cgroup_int(b, "cpu.cfs_quota_us", NULL, h->cpu_quota);
	if (h->cpuset_cpus)
		add_cgroup(b, "cpuset.cpus", "cpuset.cpus", h->cpuset_cpus);
	if (h->cpuset_mems)
		add_cgroup(b, "cpuset.mems", "cpuset.mems", h->cpuset_mems);
	if (h->pids_limit > 0)
		add_cgroup_int(b, "pids.max", "pids.max", h->pids_limit);
	if (h->kernel_memory > 0 && cgroup_v1_has("memory.kmem.limit_in_bytes"))
		addf(b, "lxc.cgroup.memory.kmem.limit_in_bytes = %lld\n",
		     (long long)h->kernel_memory);
	const char *weight = h->blkio_weight > 0 ? cgroup_blkio_weight_file() : NULL;
	if (weight)
		addf(b, "lxc.cgroup%s.%s = %lld\n", cgroup_is_unified() ? "2" : "", weight,
		     (long long)h->blkio_weight);
	for (size_t i = 0; i < h->n_ulimits; i++)
		addf(b, "lxc.prlimit.%s = %lld:%lld\n", h->ulimits[i].name,
		     (long long)h->ulimits[i].soft, (long long)h->ulimits[i].hard);
}

/* Bind mounts from -v host:container[:ro|rw]. The target is relative to the rootfs. */
static int add_binds(struct buf *b, char *const *binds, char *err, size_t errlen)
{
	for (size_t i = 0; binds && binds[i]; i++) {
		char *spec = strdup(binds[i]);
		if (!spec)
			return -1;
		char *save = NULL;
		char *src = strtok_r(spec, ":", &save);
		char *dst = strtok_r(NULL, ":", &save);
		char *mode = strtok_r(NULL, ":", &save);
		bool ok = src && dst && src[0] == '/' && dst[0] == '/' &&
		          (!mode || strcmp(mode, "ro") == 0 || strcmp(mode, "rw") == 0);
		if (!ok) {
			snprintf(err, errlen,
			         "Invalid volume specification '%s': expected "
			         "/host/path:/container/path[:ro|rw]",
			         binds[i]);
			free(spec);
			return -1;
		}
		if (strchr(src, ' ') || strchr(dst, ' ')) {
			snprintf(err, errlen,
			         "Invalid volume specification '%s': spaces in paths "
			         "are not supported",
			         binds[i]);
			free(spec);
			return -1;
		}
		addf(b, "lxc.mount.entry = %s %s none rbind,create=%s%s 0 0\n", src, dst + 1,
		     is_directory(src) ? "dir" : "file",
		     mode && strcmp(mode, "ro") == 0 ? ",ro" : "");
		free(spec);
	}
	return 0;
}

static void add_system_mounts(struct buf *b, const struct host_config *h)
{
	char size[48] = "";
	if (h->memory > 0)
		snprintf(size, sizeof(size), ",size=%lldk", (long long)(h->memory / 2048));
	addf(b, "lxc.mount.entry = tmpfs run tmpfs rw,nosuid,nodev,mode=755%s,create=dir 0 0\n",
	     size);
	addf(b,
	     "lxc.mount.entry = tmpfs run/lock tmpfs rw,nosuid,nodev,noexec,mode=755%s,"
	     "create=dir 0 0\n",
	     size);
	addf(b, "lxc.mount.entry = tmpfs tmp tmpfs rw,nosuid,nodev,mode=1777%s,create=dir 0 0\n",
	     size);
	/* systemd mounts this itself when it is missing, which needs CAP_SYS_ADMIN; /dev/shm
	 * (--shm-size) comes with the security lines. */
	addf(b,
	     "lxc.mount.entry = mqueue dev/mqueue mqueue rw,nosuid,nodev,noexec,create=dir 0 0\n");
}

char **lxc_config_env(const struct container_config *cfg)
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

static void add_env(struct buf *b, const struct container_config *cfg)
{
	char **env = lxc_config_env(cfg);
	for (size_t i = 0; env && env[i]; i++) {
		if (!strchr(env[i], '\n'))
			addf(b, "lxc.environment = %s\n", env[i]);
	}
	strv_free(env);
}

/* The system-container options' lines (sysopt.h), after --ulimit's (files-limit may lower
 * them). */
static void add_sysopts(struct buf *b, const struct container *c, const struct lxc_config_env *env)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	if (!f) {
		b->failed = true;
		return;
	}
	sysopt_lxc_config(f, c, env->monitor_path);
	if (fclose(f) == 0 && text)
		addf(b, "%s", text);
	else
		b->failed = true;
	free(text);
}

/* A tty container's output is liblxc's console log (raw bytes); lxc 5 keeps one rotated
 * file. A non-tty init inherits the monitor's stdio, which the monitor logs itself. */
static void add_console(struct buf *b, const struct container *c, const struct lxc_config_env *env)
{
	struct container_log_settings ls;
	log_config_settings(&c->host, &ls);
	if (!c->config.tty) {
		addf(b, "lxc.console.path = none\n");
		return;
	}
	/* What a foreground run -t missed before its attach came (the shell's prompt) is replayed
	 * from liblxc's in-memory ring buffer. */
	addf(b, "lxc.console.buffer.size = %d\n", CONSOLE_REPLAY_BYTES);
	if (ls.disabled)
		return;
	addf(b, "lxc.console.logfile = %s/console.log\n", env->container_dir);
	if (ls.max_size > 0)
		addf(b, "lxc.console.size = %lld\nlxc.console.rotate = %d\n",
		     (long long)ls.max_size, ls.max_file > 1 ? 1 : 0);
}

/* OCI prestart hooks run from lxc.hook.start-host: in the host's namespaces once the
 * container's exist, before its init runs (LXC_PID is that init). Poststop hooks run from the
 * post-stop hook the engine always has. */
static void add_oci_hooks(struct buf *b, const struct container *c,
                          const struct lxc_config_env *env)
{
	if (c->hooks.stage[OCI_HOOK_PRESTART].n > 0)
		addf(b, "lxc.hook.start-host = %s oci-hooks prestart %s %s --limit-ms %lld\n",
		     env->monitor_path, env->container_dir, env->state_dir,
		     (long long)env->start_timeout_ms);
	addf(b, "lxc.hook.post-stop = %s post-stop-hook %s", env->monitor_path, env->state_dir);
	if (c->hooks.stage[OCI_HOOK_POSTSTOP].n > 0)
		addf(b, " --oci-hooks %s", env->container_dir);
	addf(b, "\n");
}

char *lxc_config_render(const struct container *c, const struct lxc_config_env *env, char *err,
                        size_t errlen)
{
	struct buf b = {0};
	const struct container_config *cfg = &c->config;
	const struct host_config *h = &c->host;
	char *cg = lxc_config_cgroup_path(c, env->default_cgroup_parent);
	addf(&b, "# generated by isulad at every start; edits are overwritten\n");
	addf(&b, "lxc.uts.name = %s\n", cfg->hostname ? cfg->hostname : "localhost");
	addf(&b, "lxc.rootfs.path = dir:%s\n", h->external_rootfs);
	addf(&b, "lxc.net.0.type = empty\n");
	/* liblxc brings lo up: the container has no CAP_NET_ADMIN to do it itself. */
	addf(&b, "lxc.net.0.flags = up\n");
	addf(&b, "lxc.autodev = 1\n");
	addf(&b, "lxc.pty.max = 1024\n");
	addf(&b, "lxc.tty.max = 0\n");
	addf(&b, "lxc.mount.auto = %s cgroup:mixed\n",
	     h->privileged ? "proc:rw sys:rw" : "proc:mixed sys:ro");
	addf(&b, "lxc.log.file = %s/lxc.log\n", env->state_dir);
	addf(&b, "lxc.log.level = ERROR\n");
	add_console(&b, c, env);
	addf(&b, "lxc.cgroup.dir.container = %s\n", cg ? cg : c->id);
	/* The cgroup namespace root is <cg>/ns: limits set on <cg> are out of the container's
	 * reach even though its cgroupfs is writable (systemd needs that). */
	addf(&b, "lxc.cgroup.dir.container.inner = ns\n");
	/* The monitor must not sit below the container's cgroup, and pivots to a shared
	 * cgroup on exit so that liblxc can remove the container's own. */
	addf(&b, "lxc.cgroup.dir.monitor = " MONITOR_CGROUP "/%s\n", c->id);
	addf(&b, "lxc.cgroup.dir.monitor.pivot = " MONITOR_CGROUP "\n");
	add_oci_hooks(&b, c, env);
	if (!h->system_container)
		addf(&b, "lxc.signal.halt = SIGTERM\n");
	if (h->system_container)
		add_system_mounts(&b, h);
	char *sec = lxc_security_config(c, env, err, errlen);
	bool sec_ok = sec != NULL;
	if (sec)
		addf(&b, "%s", sec);
	free(sec);
	add_resources(&b, h);
	add_env(&b, cfg);
	if (cfg->workdir)
		addf(&b, "lxc.init.cwd = %s\n", cfg->workdir);
	if (env->has_user)
		addf(&b, "lxc.init.uid = %u\nlxc.init.gid = %u\n", (unsigned)env->uid,
		     (unsigned)env->gid);
	add_sysopts(&b, c, env);
	free(cg);
	if (!sec_ok || add_binds(&b, h->binds, err, errlen) < 0 || b.failed) {
		if (b.failed)
			snprintf(err, errlen, "out of memory rendering the lxc config");
		free(b.data);
		return NULL;
	}
	return b.data;
}
