#include "lxc_config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host/cgroup_info.h"
#include "host/cgroup_v2_values.h"
#include "host/cgroup_view.h"
#include "host/mount_propagation.h"
#include "container_cgroup.h"
#include "container_net.h"
#include "core/fileutil.h"
#include "log_config.h"
#include "engine/bind_spec.h"
#include "engine/lxc_conf.h"
#include "engine/signals.h"
#include "lxc_security.h"
#include "core/strv.h"
#include "rootfs_block.h"
#include "sysopt.h"
#include "core/strbuf.h"

/* The console ring buffer kept by liblxc for a tty container. */
#define CONSOLE_REPLAY_BYTES (64 * 1024)

/* A cgroup setting for whichever hierarchy holds the controller on this host. */
static void add_cgroup(struct strbuf *f, const char *v1_key, const char *v2_key, const char *value)
{
	char key[128];
	if (cgroup_v1_has(v1_key))
		snprintf(key, sizeof(key), "lxc.cgroup.%s", v1_key);
	else if (v2_key)
		snprintf(key, sizeof(key), "lxc.cgroup2.%s", v2_key);
	else
		return;
	lxc_conf_line(f, key, "%s", value);
}

static void add_cgroup_int(struct strbuf *f, const char *v1_key, const char *v2_key, int64_t value)
{
	char num[32];
	snprintf(num, sizeof(num), "%lld", (long long)value);
	add_cgroup(f, v1_key, v2_key, num);
}

static void add_resources(struct strbuf *f, const struct host_config *h)
{
	if (h->memory > 0)
		add_cgroup_int(f, "memory.limit_in_bytes", "memory.max", h->memory);
	if (h->memory_reservation > 0)
		add_cgroup_int(f, "memory.soft_limit_in_bytes", "memory.low",
		               h->memory_reservation);
	/* v1 limits memory+swap together; v2 limits swap alone. */
	if (h->memory_swap > 0 && cgroup_v1_has("memory.memsw.limit_in_bytes"))
		lxc_conf_line(f, "lxc.cgroup.memory.memsw.limit_in_bytes", "%lld",
		              (long long)h->memory_swap);
	else if (h->memory_swap > 0 && cgroup_is_unified())
		lxc_conf_line(f, "lxc.cgroup2.memory.swap.max", "%lld",
		              (long long)(h->memory_swap - h->memory));
	else if (h->memory_swap == -1 && cgroup_is_unified())
		lxc_conf_line(f, "lxc.cgroup2.memory.swap.max", "max");
	/* v2 has one weight and one cpu.max for what v1 splits (runc's conversions). */
	bool v2_cpu = !cgroup_v1_has("cpu.shares") && cgroup_is_unified();
	if (h->cpu_shares > 0 && !v2_cpu)
		add_cgroup_int(f, "cpu.shares", NULL, h->cpu_shares);
	else if (h->cpu_shares > 0)
		lxc_conf_line(f, "lxc.cgroup2.cpu.weight", "%lld",
		              (long long)cgroup_v2_cpu_weight(h->cpu_shares));
	int64_t quota, period;
	host_config_cfs(h, &quota, &period);
	if (period > 0 && !v2_cpu)
		add_cgroup_int(f, "cpu.cfs_period_us", NULL, period);
	if (quota != 0 && !v2_cpu)
		add_cgroup_int(f, "cpu.cfs_quota_us", NULL, quota);
	if ((period > 0 || quota != 0) && v2_cpu) {
		char max[64];
		cgroup_v2_cpu_max(quota, period, max, sizeof(max));
		lxc_conf_line(f, "lxc.cgroup2.cpu.max", "%s", max);
	}
	if (h->cpuset_cpus)
		add_cgroup(f, "cpuset.cpus", "cpuset.cpus", h->cpuset_cpus);
	if (h->cpuset_mems)
		add_cgroup(f, "cpuset.mems", "cpuset.mems", h->cpuset_mems);
	if (h->pids_limit > 0)
		add_cgroup_int(f, "pids.max", "pids.max", h->pids_limit);
	if (h->memory_swappiness >= 0)
		lxc_conf_line(f, "lxc.cgroup.memory.swappiness", "%lld",
		              (long long)h->memory_swappiness);
	if (h->kernel_memory > 0 && cgroup_v1_has("memory.kmem.limit_in_bytes"))
		lxc_conf_line(f, "lxc.cgroup.memory.kmem.limit_in_bytes", "%lld",
		              (long long)h->kernel_memory);
	const char *weight = h->blkio_weight > 0 ? cgroup_blkio_weight_file() : NULL;
	char key[128];
	if (weight) {
		snprintf(key, sizeof(key), "lxc.cgroup%s.%s", cgroup_is_unified() ? "2" : "",
		         weight);
		lxc_conf_line(f, key, "%lld",
		              (long long)(strcmp(weight, "io.weight") == 0
		                              ? cgroup_v2_io_weight(h->blkio_weight)
		                              : h->blkio_weight));
	}
	for (size_t i = 0; i < h->n_ulimits; i++) {
		snprintf(key, sizeof(key), "lxc.prlimit.%s", h->ulimits[i].name);
		lxc_conf_line(f, key, "%lld:%lld", (long long)h->ulimits[i].soft,
		              (long long)h->ulimits[i].hard);
	}
}

/* Trees liblxc sets up itself after the mount entries (device nodes, devpts and ptmx in /dev,
 * its own /proc and /sys work): a read-only bind there would fail that set-up. */
static bool in_runtime_tree(const char *dst)
{
	static const char *const trees[] = {"/dev", "/proc", "/sys"};
	for (size_t i = 0; i < sizeof(trees) / sizeof(trees[0]); i++) {
		size_t len = strlen(trees[i]);
		if (strncmp(dst, trees[i], len) == 0 && (dst[len] == '\0' || dst[len] == '/'))
			return true;
	}
	return false;
}

/* One mount entry (the target is relative to the rootfs). A read-only mount into a runtime
 * tree is mounted read-write and its target listed in late_ro, made read-only by a hook once
 * liblxc is done (add_late_ro). */
static void add_mount_entry(struct strbuf *f, const char *src, const char *dst, const char *type,
                            const char *opts, bool ro, struct strbuf *late_ro)
{
	bool late = ro && in_runtime_tree(dst);
	lxc_conf_line(f, "lxc.mount.entry", "%s %s %s %s%s 0 0", src, dst + 1, type, opts,
	              ro && !late ? ",ro" : "");
	if (late)
		strbuf_printf(late_ro, "%s\n", dst);
}

static void add_bind_entry(struct strbuf *f, const char *src, const char *dst, bool recursive,
                           const char *propagation, bool ro, struct strbuf *late_ro)
{
	/* Docker's default is rprivate: on a host whose / is shared, liblxc's would let the
	 * host's later mounts below the source into the container. */
	char opts[96];
	snprintf(opts, sizeof(opts), "%s,create=%s,%s", recursive ? "rbind" : "bind",
	         is_directory(src) ? "dir" : "file", propagation ? propagation : "rprivate");
	add_mount_entry(f, src, dst, "none", opts, ro, late_ro);
}

/* Bind mounts from -v host:container[:options] (engine/bind_spec.h). */
static int add_binds(struct strbuf *f, char *const *binds, struct strbuf *late_ro, char *err,
                     size_t errlen)
{
	for (size_t i = 0; binds && binds[i]; i++) {
		struct bind_spec b;
		if (bind_spec_parse(binds[i], &b, err, errlen) < 0)
			return -1;
		/* A propagation the source's mount cannot give is refused, not silently dropped. */
		if (mount_propagation_check(b.src, b.propagation, err, errlen) < 0) {
			bind_spec_free(&b);
			return -1;
		}
		add_bind_entry(f, b.src, b.dst, true, b.propagation, b.ro, late_ro);
		/* The host's /dev as the container's (Docker's -v /dev:/dev): liblxc must create
		 * nothing in it (no device nodes, no devpts of its own, no ptmx link). */
		if (strcmp(b.dst, "/dev") == 0 || strcmp(b.dst, "/dev/") == 0) {
			lxc_conf_line(f, "lxc.autodev", "0");
			lxc_conf_line(f, "lxc.pty.max", "0");
		}
		bind_spec_free(&b);
	}
	return 0;
}

/* --mount's (engine/mount_spec.h), after the binds: one onto a bind's target covers it.
 * tmpfs as Docker mounts it: noexec, nosuid, nodev. */
static void add_mounts(struct strbuf *f, const struct mount_config *mounts, struct strbuf *late_ro)
{
	for (size_t i = 0; i < mounts->n; i++) {
		const struct mount_spec *m = &mounts->v[i];
		if (m->type == MOUNT_BIND) {
			add_bind_entry(f, m->source, m->target, !m->nonrecursive, m->propagation,
			               m->readonly, late_ro);
			continue;
		}
		char opts[128] = "rw,nosuid,nodev,noexec", part[48];
		if (m->tmpfs_size > 0) {
			snprintf(part, sizeof(part), ",size=%lld", (long long)m->tmpfs_size);
			strcat(opts, part);
		}
		if (m->tmpfs_mode > 0) {
			snprintf(part, sizeof(part), ",mode=%llo", (long long)m->tmpfs_mode);
			strcat(opts, part);
		}
		strcat(opts, ",create=dir");
		add_mount_entry(f, "tmpfs", m->target, "tmpfs", opts, m->readonly, late_ro);
	}
}

char *lxc_start_file(const struct lxc_config_env *env, const char *file, const char *text,
                     size_t len, char *err, size_t errlen)
{
	char *path = path_join(env->state_dir, file);
	if (!path) {
		snprintf(err, errlen, "out of memory");
	} else if (env->write_start_files && replace_file_if_changed(path, text, len, 0600) < 0) {
		snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
		free(path);
		path = NULL;
	}
	return path;
}

int lxc_hook_with_file(struct strbuf *f, const struct lxc_config_env *env, const char *hook,
                       const char *file, const char *text, size_t len, char *err, size_t errlen)
{
	char *path = lxc_start_file(env, file, text, len, err, errlen);
	if (!path)
		return -1;
	lxc_conf_line(f, "lxc.hook.start-host", "%s %s %s", env->monitor_path, hook, path);
	free(path);
	return 0;
}

/* The last start-host hook (after the OCI ones, which may still write there): the listed
 * binds go read-only. */
static int add_late_ro(struct strbuf *f, const struct strbuf *late_ro,
                       const struct lxc_config_env *env, char *err, size_t errlen)
{
	if (!late_ro->len)
		return 0;
	return lxc_hook_with_file(f, env, "ro-remount-hook", "ro-remount", late_ro->data,
	                          late_ro->len, err, errlen);
}

/* The container reads its own limits in its cgroupfs (host/cgroup_view.h): copied into its
 * inner cgroup by a start-host hook, before its init runs. */
static int add_cgroup_view(struct strbuf *f, const char *cg, const struct lxc_config_env *env,
                           char *err, size_t errlen)
{
	return lxc_hook_with_file(f, env, "cgroup-view-hook", "cgroup-view", cg, strlen(cg), err,
	                          errlen);
}

static void add_system_mounts(struct strbuf *f, const struct host_config *h)
{
	char size[48] = "";
	if (h->memory > 0)
		snprintf(size, sizeof(size), ",size=%lldk", (long long)(h->memory / 2048));
	lxc_conf_line(f, "lxc.mount.entry",
	              "tmpfs run tmpfs rw,nosuid,nodev,mode=755%s,create=dir 0 0", size);
	lxc_conf_line(f, "lxc.mount.entry",
	              "tmpfs run/lock tmpfs rw,nosuid,nodev,noexec,mode=755%s,create=dir 0 0",
	              size);
	lxc_conf_line(f, "lxc.mount.entry",
	              "tmpfs tmp tmpfs rw,nosuid,nodev,mode=1777%s,create=dir 0 0", size);
	/* systemd mounts this itself when it is missing, which needs CAP_SYS_ADMIN; /dev/shm
	 * (--shm-size) comes with the security lines. */
	lxc_conf_line(f, "lxc.mount.entry",
	              "mqueue dev/mqueue mqueue rw,nosuid,nodev,noexec,create=dir 0 0");
}

static void add_env(struct strbuf *f, const struct container_config *cfg)
{
	char **env = container_init_env(cfg);
	/* Docker's and iSulad's HOSTNAME, unless -e gives its own (the init's environment only:
	 * --env-target-file writes the configured one, as the seed shows it). */
	if (cfg->hostname && strv_find_env(env, "HOSTNAME", 8) < 0)
		strv_pushf(&env, "HOSTNAME=%s", cfg->hostname);
	for (size_t i = 0; env && env[i]; i++)
		lxc_conf_line(f, "lxc.environment", "%s", env[i]);
	strv_free(env);
}

/* The system-container options' lines (sysopt.h), after --ulimit's (files-limit may lower
 * them). */

/* A tty container's output is liblxc's console log (raw bytes); lxc 5 keeps one rotated
 * file. A non-tty init inherits the monitor's stdio, which the monitor logs itself. */
static void add_console(struct strbuf *f, const struct container *c,
                        const struct lxc_config_env *env)
{
	struct container_log_settings ls;
	log_config_settings(&c->host, &ls);
	if (!c->config.tty) {
		lxc_conf_line(f, "lxc.console.path", "none");
		return;
	}
	/* What a foreground run -t missed before its attach came (the shell's prompt) is replayed
	 * from liblxc's in-memory ring buffer. */
	lxc_conf_line(f, "lxc.console.buffer.size", "%d", CONSOLE_REPLAY_BYTES);
	if (ls.disabled)
		return;
	lxc_conf_line(f, "lxc.console.logfile", "%s/console.log", env->container_dir);
	if (ls.max_size > 0) {
		lxc_conf_line(f, "lxc.console.size", "%lld", (long long)ls.max_size);
		lxc_conf_line(f, "lxc.console.rotate", "%d", ls.max_file > 1 ? 1 : 0);
	}
}

/* Whether liblxc could take the init's end for a reboot request and start it again in the
 * monitor: an init killed by SIGHUP, which in a pid namespace of its own only reboot(2) does
 * (CAP_SYS_BOOT); in the host's (or another container's) any SIGHUP can. */
static bool may_reboot_in_monitor(const struct container *c)
{
	return !ns_modes_is_own(c->host.ns.pid) || lxc_security_may_reboot(c);
}

/* OCI prestart hooks run from lxc.hook.start-host: in the host's namespaces once the
 * container's exist, before its init runs (LXC_PID is that init). Poststop hooks run from the
 * post-stop hook, which also refuses liblxc's reboot; without them, a hook only refuses it,
 * and only where a reboot can be asked for (a stop then forks and execs nothing). */
static void add_oci_hooks(struct strbuf *f, const struct container *c,
                          const struct lxc_config_env *env)
{
	if (c->hooks.stage[OCI_HOOK_PRESTART].n > 0)
		lxc_conf_line(f, "lxc.hook.start-host",
		              "%s oci-hooks prestart %s %s --limit-ms %lld", env->monitor_path,
		              env->container_dir, env->state_dir, (long long)env->start_timeout_ms);
	if (c->hooks.stage[OCI_HOOK_POSTSTOP].n > 0)
		lxc_conf_line(f, "lxc.hook.post-stop", "%s post-stop-hook %s --oci-hooks %s",
		              env->monitor_path, env->state_dir, env->container_dir);
	else if (may_reboot_in_monitor(c))
		lxc_conf_line(f, "lxc.hook.post-stop", "%s", LXC_HOOK_REFUSE_REBOOT);
}

int lxc_config_halt_signal(const struct container *c)
{
	int sig = c->config.stop_signal ? signal_parse(c->config.stop_signal) : -1;
	if (sig > 0)
		return sig;
	return c->host.system_container ? 0 : SIGTERM;
}

char *lxc_config_render(const struct container *c, const struct lxc_config_env *env, char *err,
                        size_t errlen)
{
	const struct container_config *cfg = &c->config;
	const struct host_config *h = &c->host;
	struct strbuf b = {0}, *f = &b;
	/* Every line below, the security and option lines included, goes through
	 * lxc_conf_line: one refused value fails the whole config. */
	lxc_conf_begin();
	char *cg = container_cgroup_path(c, env->default_cgroup_parent);
	strbuf_puts(f, "# generated by isulad at every start; edits are overwritten\n");
	/* Only a UTS namespace of its own: liblxc would set the host's (or another's) name. */
	if (ns_modes_own_uts(&h->ns))
		lxc_conf_line(f, "lxc.uts.name", "%s", cfg->hostname ? cfg->hostname : "localhost");
	ns_modes_lxc_config(f, &h->ns, h->sys.user_remap != NULL);
	char *rootfs = rootfs_dir(c);
	lxc_conf_line(f, "lxc.rootfs.path", "dir:%s", rootfs ? rootfs : "");
	free(rootfs);
	if (h->readonly_rootfs) /* --read-only: liblxc binds the rootfs, then remounts it ro */
		lxc_conf_line(f, "lxc.rootfs.options", "ro");
	container_net_lxc_config(f, c, env->monitor_path, env->state_dir, env->start_timeout_ms);
	lxc_conf_line(f, "lxc.autodev", "1");
	lxc_conf_line(f, "lxc.pty.max", "1024");
	lxc_conf_line(f, "lxc.tty.max", "0");
	lxc_conf_line(f, "lxc.mount.auto", "%s cgroup:mixed",
	              h->privileged ? "proc:rw sys:rw" : "proc:mixed sys:ro");
	lxc_conf_line(f, "lxc.log.file", "%s/lxc.log", env->state_dir);
	lxc_conf_line(f, "lxc.log.level", "ERROR");
	add_console(f, c, env);
	lxc_conf_line(f, "lxc.cgroup.dir.container", "%s", cg ? cg : c->id);
	/* The cgroup namespace root is <cg>/ns: limits set on <cg> are out of the container's
	 * reach even though its cgroupfs is writable (systemd needs that). */
	lxc_conf_line(f, "lxc.cgroup.dir.container.inner", CGROUP_VIEW_INNER);
	/* The monitor must not sit below the container's cgroup, and pivots to a shared
	 * cgroup on exit so that liblxc can remove the container's own. */
	lxc_conf_line(f, "lxc.cgroup.dir.monitor", MONITOR_CGROUP "/%s", c->id);
	lxc_conf_line(f, "lxc.cgroup.dir.monitor.pivot", MONITOR_CGROUP);
	int halt = lxc_config_halt_signal(c);
	if (halt > 0)
		lxc_conf_line(f, "lxc.signal.halt", "%d", halt);
	if (h->system_container)
		add_system_mounts(f, h);
	bool view_ok = add_cgroup_view(f, cg ? cg : c->id, env, err, errlen) == 0;
	char *sec = view_ok ? lxc_security_config(c, env, err, errlen) : NULL;
	bool sec_ok = sec != NULL;
	if (sec)
		strbuf_puts(f, sec);
	free(sec);
	add_resources(f, h);
	struct blkio_layout io;
	blkio_layout_host(&io);
	bool io_ok = sec_ok && blkio_lxc_config(f, &h->blkio, &io, err, errlen) == 0;
	struct strbuf hybrid_v2 = {0};
	strbuf_printf(&hybrid_v2, "%s\n", cg ? cg : c->id);
	size_t hybrid_start = hybrid_v2.len;
	hugetlb_lxc_config(f, &h->hugetlb, hugetlb_cgroup_v2(), !cgroup_is_unified(), &hybrid_v2);
	if (io_ok && hybrid_v2.len > hybrid_start)
		io_ok = lxc_hook_with_file(f, env, "cgroup2-limits-hook", "cgroup2-limits",
		                           hybrid_v2.data, hybrid_v2.len, err, errlen) == 0;
	strbuf_free(&hybrid_v2);
	add_env(f, cfg);
	if (cfg->workdir)
		lxc_conf_line(f, "lxc.init.cwd", "%s", cfg->workdir);
	if (env->has_user) {
		lxc_conf_line(f, "lxc.init.uid", "%u", (unsigned)env->uid);
		lxc_conf_line(f, "lxc.init.gid", "%u", (unsigned)env->gid);
	}
	if (env->n_groups) {
		char list[USER_GROUPS_MAX * 11];
		user_groups_format(env->groups, env->n_groups, list, sizeof(list));
		lxc_conf_line(f, "lxc.init.groups", "%s", list);
	}
	sysopt_lxc_config(f, c, env->monitor_path);
	/* After the engine's own start-host hooks (device confinement, sysctls): liblxc runs
	 * them in order, so an OCI prestart hook (syscontainer-hooks) finds the container's
	 * device program in place and may replace it with one that allows more. */
	add_oci_hooks(f, c, env);
	free(cg);
	struct strbuf late_ro = {0};
	char blkio_ro[96];
	bool ok = sec_ok && io_ok && add_binds(f, h->binds, &late_ro, err, errlen) == 0;
	add_mounts(f, &h->mounts, &late_ro);
	if (blkio_ro_mount(&h->blkio, &io, blkio_ro, sizeof(blkio_ro)))
		strbuf_printf(&late_ro, "%s\n", blkio_ro);
	ok = ok && add_late_ro(f, &late_ro, env, err, errlen) == 0;
	strbuf_free(&late_ro);
	/* A refusal inside lxc_security_config is reported here too. */
	if (lxc_conf_end(ok ? err : NULL, ok ? errlen : 0) < 0)
		ok = false;
	char *text = NULL;
	if (ok)
		text = strbuf_take(&b);
	else
		strbuf_free(&b);
	if (ok && !text)
		snprintf(err, errlen, "out of memory rendering the lxc config");
	return text;
}
