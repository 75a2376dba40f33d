#include "validate.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "host/cgroup_info.h"
#include "container_cgroup.h"
#include "host/cpuset.h"
#include "core/fileutil.h"
#include "engine/lxc_conf.h"
#include "rootfs_block.h"
#include "engine/signals.h"
#include "sysopt.h"

#define MIN_MEMORY (4LL << 20)

int validate_rootfs(const struct container *c, struct error *e)
{
	const char *image = c->config.image ? c->config.image : "";
	const char *rootfs = c->host.external_rootfs;
	if (c->host.system_container && !rootfs)
		return error_set(e, ERR_INVALID,
		                 "--system-container must be used together with "
		                 "--external-rootfs");
	if (!rootfs)
		return error_set(e, ERR_NOT_FOUND,
		                 "No such image: %s (image management is not supported: use "
		                 "--external-rootfs PATH with the image name none)",
		                 image);
	if (rootfs[0] != '/')
		return error_set(e, ERR_INVALID,
		                 "Invalid external rootfs '%s': must be an absolute path", rootfs);
	struct stat st;
	if (stat(rootfs, &st) < 0)
		return error_set(e, ERR_INVALID, "Invalid external rootfs '%s': %s", rootfs,
		                 strerror(errno));
	if (!S_ISDIR(st.st_mode) && !S_ISBLK(st.st_mode))
		return error_set(e, ERR_INVALID,
		                 "Invalid external rootfs '%s': not a directory or a block device",
		                 rootfs);
	if (strcmp(image, "none") != 0 && strcmp(image, "empty") != 0 &&
	    strcmp(image, "none:latest") != 0)
		return error_set(e, ERR_INVALID,
		                 "Invalid image '%s' with --external-rootfs: use none", image);
	/* A block device's mount point is in the container's own state dir (0700). */
	if (S_ISBLK(st.st_mode)) {
		if (rootfs_block_check(c, e->msg, sizeof(e->msg)) < 0) {
			e->code = ERR_INVALID;
			return -1;
		}
		return 0;
	}
	/* A remapped root makes nothing a host user could abuse. */
	uid_t uid;
	gid_t gid;
	if (!user_remap_root(&c->host, &uid, &gid) &&
	    validate_rootfs_exposure(rootfs, e->msg, sizeof(e->msg)) < 0) {
		e->code = ERR_INVALID;
		return -1;
	}
	return 0;
}

static int check_cpuset(const char *what, const char *list, const char *host_file, char *err,
                        size_t errlen)
{
	struct cpuset want, have;
	if (cpuset_parse(list, &want) < 0) {
		snprintf(err, errlen, "Invalid value %s for %s: expected a list like 0-3,5", list,
		         what);
		return -1;
	}
	char *avail = read_file(host_file, 4096, NULL);
	if (avail) {
		char *nl = strchr(avail, '\n');
		if (nl)
			*nl = '\0';
	}
	int ret = 0;
	if (avail && cpuset_parse(avail, &have) == 0 && !cpuset_is_subset(&want, &have)) {
		snprintf(err, errlen,
		         "Requested %s are not available - requested %s, available: %s",
		         strcmp(what, "cpuset-cpus") == 0 ? "CPUs" : "memory nodes", list, avail);
		ret = -1;
	}
	free(avail);
	return ret;
}

static int check_memory(const struct host_config *h, char *err, size_t errlen)
{
	if (h->memory < 0 || (h->memory > 0 && h->memory < MIN_MEMORY)) {
		snprintf(err, errlen,
		         "Invalid memory limit %lld: minimum memory limit allowed is "
		         "4MB",
		         (long long)h->memory);
		return -1;
	}
	if (h->memory_reservation < 0 ||
	    (h->memory_reservation > 0 && h->memory_reservation < MIN_MEMORY)) {
		snprintf(err, errlen,
		         "Invalid memory reservation %lld: minimum memory reservation "
		         "allowed is 4MB",
		         (long long)h->memory_reservation);
		return -1;
	}
	if (h->memory > 0 && h->memory_reservation > h->memory) {
		snprintf(err, errlen,
		         "Minimum memory limit can not be less than memory reservation "
		         "limit, see usage.");
		return -1;
	}
	if (h->memory_swap < -1) {
		snprintf(err, errlen, "Invalid memory swap %lld: must be -1 (unlimited) or a size",
		         (long long)h->memory_swap);
		return -1;
	}
	if (h->memory_swap > 0 && h->memory == 0) {
		snprintf(err, errlen,
		         "You should always set the Memory limit when using Memoryswap "
		         "limit, see usage.");
		return -1;
	}
	if (h->memory_swap > 0 && h->memory_swap < h->memory) {
		snprintf(err, errlen,
		         "Minimum memoryswap limit should be larger than memory limit, "
		         "see usage.");
		return -1;
	}
	if (h->memory_swap > 0 && !cgroup_is_unified() &&
	    !cgroup_v1_has("memory.memsw.limit_in_bytes")) {
		snprintf(err, errlen,
		         "Your kernel does not support swap limit capabilities "
		         "(memory.memsw.limit_in_bytes): --memory-swap cannot be applied");
		return -1;
	}
	return 0;
}

/* --cpus: Docker's rules (not with a period or quota of its own; 0.01 to the host's CPUs). */
static int check_nano_cpus(const struct host_config *h, char *err, size_t errlen)
{
	if (h->nano_cpus == 0)
		return 0;
	if (h->nano_cpus > 0 && h->cpu_period > 0) {
		snprintf(err, errlen,
		         "Conflicting options: Nano CPUs and CPU Period cannot both be set");
		return -1;
	}
	if (h->nano_cpus > 0 && h->cpu_quota > 0) {
		snprintf(err, errlen,
		         "Conflicting options: Nano CPUs and CPU Quota cannot both be set");
		return -1;
	}
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	if (ncpu < 1)
		ncpu = 1;
	if (h->nano_cpus < 10000000 || h->nano_cpus > (int64_t)ncpu * 1000000000) {
		snprintf(
		    err, errlen,
		    "Range of CPUs is from 0.01 to %ld.00, as there are only %ld CPUs available",
		    ncpu, ncpu);
		return -1;
	}
	return 0;
}

static int check_cpu(const struct host_config *h, char *err, size_t errlen)
{
	if (h->cpu_shares < 0) {
		snprintf(err, errlen, "Invalid CPU shares %lld: must be a positive integer",
		         (long long)h->cpu_shares);
		return -1;
	}
	if (h->cpu_period != 0 && (h->cpu_period < 1000 || h->cpu_period > 1000000)) {
		snprintf(err, errlen,
		         "Invalid CPU period %lld: CPU cfs period can not be less than "
		         "1ms (i.e. 1000) or larger than 1s (i.e. 1000000)",
		         (long long)h->cpu_period);
		return -1;
	}
	if (h->cpu_quota != 0 && h->cpu_quota != -1 && h->cpu_quota < 1000) {
		snprintf(err, errlen,
		         "Invalid CPU quota %lld: CPU cfs quota can not be less than "
		         "1ms (i.e. 1000)",
		         (long long)h->cpu_quota);
		return -1;
	}
	if (check_nano_cpus(h, err, errlen) < 0)
		return -1;
	if (h->cpuset_cpus && check_cpuset("cpuset-cpus", h->cpuset_cpus,
	                                   "/sys/devices/system/cpu/online", err, errlen) < 0)
		return -1;
	if (h->cpuset_mems && check_cpuset("cpuset-mems", h->cpuset_mems,
	                                   "/sys/devices/system/node/online", err, errlen) < 0)
		return -1;
	return 0;
}

/* --blkio-weight, --kernel-memory and --memory-swappiness: in range, and something on this
 * host takes them. */
static int check_blkio_kmem(const struct host_config *h, char *err, size_t errlen)
{
	if (h->memory_swappiness != -1 &&
	    (h->memory_swappiness < 0 || h->memory_swappiness > 100)) {
		snprintf(err, errlen, "Invalid value: %lld, valid memory swappiness range is 0-100",
		         (long long)h->memory_swappiness);
		return -1;
	}
	if (h->memory_swappiness != -1 && !cgroup_v1_has("memory.swappiness")) {
		snprintf(err, errlen,
		         "Your kernel does not support memory swappiness (no memory.swappiness: "
		         "cgroup v2 has none): --memory-swappiness %lld cannot be applied",
		         (long long)h->memory_swappiness);
		return -1;
	}
	if (h->blkio_weight != 0 && (h->blkio_weight < 10 || h->blkio_weight > 1000)) {
		snprintf(err, errlen,
		         "Invalid blkio weight %lld: range of blkio weight is from 10 to 1000",
		         (long long)h->blkio_weight);
		return -1;
	}
	if (h->blkio_weight != 0 && !cgroup_blkio_weight_file()) {
		snprintf(err, errlen,
		         "Your kernel does not support blkio weight (no blkio.weight or "
		         "blkio.bfq.weight cgroup file): --blkio-weight cannot be applied");
		return -1;
	}
	if (h->kernel_memory < 0 || (h->kernel_memory > 0 && h->kernel_memory < MIN_MEMORY)) {
		snprintf(err, errlen,
		         "Invalid kernel memory limit %lld: minimum kernel memory limit allowed "
		         "is 4MB",
		         (long long)h->kernel_memory);
		return -1;
	}
	if (h->kernel_memory > 0 && !cgroup_kmem_supported()) {
		snprintf(err, errlen,
		         "Your kernel does not support kernel memory limit "
		         "(memory.kmem.limit_in_bytes is missing or ignores writes): "
		         "--kernel-memory cannot be applied");
		return -1;
	}
	return 0;
}

static const char *const g_ulimit_names[] = {
    "core",  "cpu", "data",   "fsize",  "locks",      "memlock", "msgqueue", "nice", "nofile",
    "nproc", "rss", "rtprio", "rttime", "sigpending", "stack",   "as",       NULL,
};

static int check_ulimits(const struct host_config *h, char *err, size_t errlen)
{
	for (size_t i = 0; i < h->n_ulimits; i++) {
		const struct ulimit *u = &h->ulimits[i];
		size_t k = 0;
		while (g_ulimit_names[k] && strcmp(g_ulimit_names[k], u->name) != 0)
			k++;
		if (!g_ulimit_names[k]) {
			snprintf(err, errlen, "Invalid ulimit type: %s", u->name);
			return -1;
		}
		if (u->soft > u->hard) {
			snprintf(err, errlen,
			         "Invalid ulimit %s: soft limit %lld must be less than or "
			         "equal to hard limit %lld",
			         u->name, (long long)u->soft, (long long)u->hard);
			return -1;
		}
	}
	return 0;
}

/* v2: memory.swap.max exists below the root wherever the memory controller is (kernels with
 * swap accounting, Debian's among them). */
static bool swap_limit_supported(void)
{
	return cgroup_is_unified() || cgroup_v1_has("memory.memsw.limit_in_bytes");
}

void resources_apply_defaults(struct host_config *h)
{
	if (h->memory > 0 && h->memory_swap == 0 && h->memory <= INT64_MAX / 2 &&
	    swap_limit_supported())
		h->memory_swap = 2 * h->memory;
}

int validate_resources(const struct host_config *h, char *err, size_t errlen)
{
	if (check_memory(h, err, errlen) < 0 || check_cpu(h, err, errlen) < 0 ||
	    check_blkio_kmem(h, err, errlen) < 0 || check_ulimits(h, err, errlen) < 0)
		return -1;
	if (h->auto_remove && h->restart.kind != RESTART_NO) {
		snprintf(err, errlen, "Conflicting options: --restart and --rm");
		return -1;
	}
	if (h->cgroup_parent && strstr(h->cgroup_parent, "..")) {
		snprintf(err, errlen, "Invalid cgroup parent '%s': must not contain ..",
		         h->cgroup_parent);
		return -1;
	}
	return 0;
}

int validate_storage(struct host_config *h, char *err, size_t errlen)
{
	struct blkio_layout l;
	blkio_layout_host(&l);
	if (blkio_config_validate(&h->blkio, &l, err, errlen) < 0 ||
	    hugetlb_config_resolve(&h->hugetlb, err, errlen) < 0 ||
	    mount_config_validate(&h->mounts, err, errlen) < 0)
		return -1;
	return 0;
}

/* 0 without a problem; else -1 with "Invalid WHAT 'VALUE': it WHY". */
static int refuse(const char *what, const char *value, const char *why, char *err, size_t errlen)
{
	if (!why)
		return 0;
	char shown[256];
	snprintf(err, errlen, "Invalid %s '%s': it %s", what,
	         lxc_conf_quote(value, shown, sizeof(shown)), why);
	return -1;
}

/* One value against the lxc config checker (key: the line it becomes; NULL: the rules every
 * line shares), answered "Invalid WHAT 'VALUE': it WHY". */
static int check_value(const char *what, const char *key, const char *value, char *err,
                       size_t errlen)
{
	return refuse(what, value, value ? lxc_conf_value_problem(key, value) : NULL, err, errlen);
}

/* A path that becomes one field of an lxc.mount.entry line. */
static int check_field(const char *what, const char *value, char *err, size_t errlen)
{
	if (check_value(what, NULL, value, err, errlen) < 0)
		return -1;
	return refuse(what, value, value ? lxc_conf_field_problem(value) : NULL, err, errlen);
}

static int check_list(const char *what, const char *key, char *const *list, char *err,
                      size_t errlen)
{
	for (size_t i = 0; list && list[i]; i++) {
		if (check_value(what, key, list[i], err, errlen) < 0)
			return -1;
	}
	return 0;
}

/* -v SRC:DST[:MODE]: both paths become fields of a mount entry. */
static int check_binds(char *const *binds, char *err, size_t errlen)
{
	for (size_t i = 0; binds && binds[i]; i++) {
		if (check_value("volume specification", NULL, binds[i], err, errlen) < 0)
			return -1;
		char *spec = strdup(binds[i]);
		if (!spec)
			return -1;
		char *save = NULL;
		char *src = strtok_r(spec, ":", &save);
		char *dst = src ? strtok_r(NULL, ":", &save) : NULL;
		int ret = 0;
		if ((src && check_field("volume source", src, err, errlen) < 0) ||
		    (dst && check_field("volume destination", dst, err, errlen) < 0))
			ret = -1;
		free(spec);
		if (ret < 0)
			return -1;
	}
	return 0;
}

int validate_config_values(const struct container *c, char *err, size_t errlen)
{
	const struct container_config *cfg = &c->config;
	const struct host_config *h = &c->host;
	const struct security_config *s = &h->sec;
	const struct sysopt_config *sys = &h->sys;
	if (check_value("hostname", "lxc.uts.name", cfg->hostname, err, errlen) < 0 ||
	    check_value("working directory", "lxc.init.cwd", cfg->workdir, err, errlen) < 0 ||
	    check_value("user", NULL, cfg->user, err, errlen) < 0 ||
	    check_list("environment variable", "lxc.environment", cfg->env, err, errlen) < 0 ||
	    check_binds(h->binds, err, errlen) < 0 ||
	    check_value("external rootfs", "lxc.rootfs.path", h->external_rootfs, err, errlen) <
	        0 ||
	    check_value("cgroup parent", "lxc.cgroup.dir.container", h->cgroup_parent, err,
	                errlen) < 0 ||
	    check_value("hook spec", NULL, h->hook_spec, err, errlen) < 0 ||
	    check_list("log option", NULL, h->log_opts, err, errlen) < 0 ||
	    check_value("log driver", NULL, h->log_type, err, errlen) < 0 ||
	    check_list("sysctl", NULL, s->sysctls, err, errlen) < 0 ||
	    check_list("DNS server", NULL, s->dns, err, errlen) < 0 ||
	    check_list("DNS option", NULL, s->dns_options, err, errlen) < 0 ||
	    check_list("DNS search domain", NULL, s->dns_search, err, errlen) < 0 ||
	    check_list("extra host", NULL, s->extra_hosts, err, errlen) < 0 ||
	    check_value("user remap", NULL, sys->user_remap, err, errlen) < 0 ||
	    check_value("ns change option", NULL, sys->ns_change_opt, err, errlen) < 0 ||
	    check_value("env target file", NULL, sys->env_target_file, err, errlen) < 0 ||
	    check_value("cpuset cpus", NULL, h->cpuset_cpus, err, errlen) < 0 ||
	    check_value("cpuset mems", NULL, h->cpuset_mems, err, errlen) < 0)
		return -1;
	if (cfg->stop_signal && signal_parse(cfg->stop_signal) <= 0) {
		snprintf(err, errlen, "Invalid signal: %s", cfg->stop_signal);
		return -1;
	}
	if (sys->channel.host_path &&
	    (check_field("host channel path on host", sys->channel.host_path, err, errlen) < 0 ||
	     check_field("host channel path in container", sys->channel.ctr_path, err, errlen) < 0))
		return -1;
	for (size_t i = 0; i < s->n_devices; i++) {
		if (check_field("device path on host", s->devices[i].host, err, errlen) < 0 ||
		    check_field("device path in container", s->devices[i].ctr, err, errlen) < 0)
			return -1;
	}
	for (size_t i = 0; i < h->mounts.n; i++) {
		const struct mount_spec *m = &h->mounts.v[i];
		if ((m->source && check_field("mount source", m->source, err, errlen) < 0) ||
		    check_field("mount target", m->target, err, errlen) < 0)
			return -1;
	}
	for (size_t i = 0; i < h->n_ulimits; i++) {
		if (check_value("ulimit name", NULL, h->ulimits[i].name, err, errlen) < 0)
			return -1;
	}
	return 0;
}
