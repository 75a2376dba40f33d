#include "vfile.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cgroup_layout.h"
#include "cpu_quota.h"
#include "cpuinfo_render.h"
#include "disk_render.h"
#include "fd_cache.h"
#include "load_sampler.h"
#include "meminfo_render.h"
#include "stat_render.h"

static bool g_swap = true;
static bool g_cfs = true;

void vfile_set_swap(bool enabled)
{
	g_swap = enabled;
}

void vfile_set_cfs(bool enabled)
{
	g_cfs = enabled;
}

static const struct {
	const char *path;
	bool one_record; /* see fd_cache_read */
} host[VF_N] = {
    [VF_CPUINFO] = {"/proc/cpuinfo", false},
    [VF_MEMINFO] = {"/proc/meminfo", true},
    [VF_STAT] = {"/proc/stat", true},
    [VF_DISKSTATS] = {"/proc/diskstats", false},
    [VF_PARTITIONS] = {"/proc/partitions", false},
    [VF_SWAPS] = {"/proc/swaps", false},
    [VF_UPTIME] = {"/proc/uptime", true},
    [VF_LOADAVG] = {"/proc/loadavg", true},
    [VF_CPU_ONLINE] = {"/sys/devices/system/cpu/online", true},
    [VF_SLABINFO] = {"/proc/slabinfo", false},
    [VF_PRESSURE_CPU] = {"/proc/pressure/cpu", true},
    [VF_PRESSURE_MEMORY] = {"/proc/pressure/memory", true},
    [VF_PRESSURE_IO] = {"/proc/pressure/io", true},
};

/* Host texts reused for a moment instead of asked of the kernel at every read: /proc/cpuinfo
 * asks every cpu its clock (about 15 us a cpu here), /proc/stat and /proc/meminfo sum over
 * every cpu and zone. A container's own numbers come from its cgroup at every read; only the
 * host's lines in these files (cpu MHz, intr and ctxt counters, the host's memory) may be that
 * much older, far below the interval of any tool that samples them. */
static const long long reuse_ns[VF_N] = {
    [VF_CPUINFO] = 1000000000LL,
    [VF_STAT] = 100000000LL,
    [VF_MEMINFO] = 100000000LL,
};

static struct reused {
	pthread_mutex_t lock;
	struct strbuf text;
	long long made_ns; /* CLOCK_MONOTONIC; 0: none yet */
} g_reused[VF_N] = {
    [VF_CPUINFO] = {.lock = PTHREAD_MUTEX_INITIALIZER},
    [VF_STAT] = {.lock = PTHREAD_MUTEX_INITIALIZER},
    [VF_MEMINFO] = {.lock = PTHREAD_MUTEX_INITIALIZER},
};

static long long monotonic_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000000000LL + t.tv_nsec;
}

/* The host's file f into buf. 0, or -errno. */
static int host_file(enum vfile f, struct strbuf *buf)
{
	if (!reuse_ns[f])
		return fd_cache_read(AT_FDCWD, host[f].path, host[f].one_record, buf);
	struct reused *r = &g_reused[f];
	pthread_mutex_lock(&r->lock);
	long long now = monotonic_ns();
	int ret = 0;
	if (!r->made_ns || now - r->made_ns >= reuse_ns[f]) {
		ret = fd_cache_read(AT_FDCWD, host[f].path, host[f].one_record, &r->text);
		r->made_ns = ret == 0 ? now : 0;
	}
	if (ret == 0) {
		strbuf_reset(buf);
		strbuf_add(buf, r->text.data, r->text.len);
		ret = buf->failed ? -ENOMEM : 0;
	}
	pthread_mutex_unlock(&r->lock);
	return ret;
}

/* Scratch buffers of one rendering, freed together. */
struct scratch {
	struct strbuf a, b, c;
};

static void scratch_free(struct scratch *s)
{
	strbuf_free(&s->a);
	strbuf_free(&s->b);
	strbuf_free(&s->c);
}

/* The lowest value of a memory limit file along path and its ancestors (the root has none). */
static uint64_t mem_min_along(const char *path, const char *file)
{
	char p[PATH_MAX];
	uint64_t low = UINT64_MAX;
	snprintf(p, sizeof(p), "%s", path);
	while (p[0] && strcmp(p, "/") != 0) {
		uint64_t v;
		if (cgroup_file_u64(CG_MEMORY, p, file, &v) == 0 && v < low)
			low = v;
		char *slash = strrchr(p, '/');
		if (!slash)
			break;
		*slash = '\0';
	}
	return low;
}

/* The container's memory numbers; -1 when it has no memory cgroup of its own. Swap usage
 * is read only when swap matters (want_swap). */
static int gather_mem(const struct view *v, bool want_swap, struct mem_numbers *m,
                      struct strbuf *stat)
{
	const char *cg = view_cgroup(v, CG_MEMORY);
	if (!cg || cgroup_file(CG_MEMORY, cg, "memory.stat", stat) < 0)
		return -1;
	if (cgroup_mode(CG_MEMORY) == CG_V1) {
		uint64_t usage, memsw;
		if (cgroup_file_u64(CG_MEMORY, cg, "memory.usage_in_bytes", &usage) < 0)
			return -1;
		if (!want_swap ||
		    cgroup_file_u64(CG_MEMORY, cg, "memory.memsw.usage_in_bytes", &memsw) < 0)
			memsw = MEM_UNLIMITED;
		mem_numbers_v1(m, stat->data, usage, memsw);
		return 0;
	}
	uint64_t current, swap = 0;
	if (cgroup_file_u64(CG_MEMORY, cg, "memory.current", &current) < 0)
		return -1;
	if (want_swap)
		cgroup_file_u64(CG_MEMORY, cg, "memory.swap.current", &swap);
	mem_numbers_v2(m, stat->data, mem_min_along(cg, "memory.max"), current,
	               mem_min_along(cg, "memory.swap.max"), swap);
	return 0;
}

static int render_mem(enum vfile f, const struct view *v, struct strbuf *out)
{
	if (v->host)
		return host_file(f, out);
	struct mem_numbers m;
	struct scratch s = {0};
	int ret = host_file(VF_MEMINFO, &s.b);
	/* A host without swap: the container's swap numbers are all 0 whatever they say. */
	bool want_swap = g_swap && ret == 0 && meminfo_value(s.b.data, "SwapTotal", 0) > 0;
	/* A reader of our own namespace whose cgroup sets no limit below the host's memory. */
	if (ret == 0 && (gather_mem(v, want_swap, &m, &s.a) < 0 ||
	                 (v->shared && m.limit / 1024 >= meminfo_value(s.b.data, "MemTotal", 0)))) {
		ret = host_file(f, out);
	} else if (ret == 0) {
		strbuf_reset(out);
		if (f == VF_MEMINFO) {
			meminfo_render(s.b.data, &m, g_swap, out);
		} else {
			struct mem_summary sum;
			mem_summarize(s.b.data, &m, g_swap, &sum);
			swaps_render(&sum, out);
		}
	}
	scratch_free(&s);
	return ret;
}

/* The container's effective cpus; -1 when it has no cpuset of its own. */
static int view_cpuset(const struct view *v, struct cpuset *set)
{
	const char *cg = view_cgroup(v, CG_CPUSET);
	if (!cg)
		return -1;
	struct strbuf text = {0};
	int ret = -1;
	if (cgroup_mode(CG_CPUSET) == CG_V1) {
		ret = cgroup_file(CG_CPUSET, cg, "cpuset.effective_cpus", &text);
	} else {
		/* Where the controller is not enabled the file is absent: the parent decides. */
		char p[PATH_MAX];
		snprintf(p, sizeof(p), "%s", cg);
		while (ret < 0 && p[0] && strcmp(p, "/") != 0) {
			ret = cgroup_file(CG_CPUSET, p, "cpuset.cpus.effective", &text);
			char *slash = strrchr(p, '/');
			if (!slash)
				break;
			*slash = '\0';
		}
	}
	if (ret == 0)
		ret = cpuset_parse(text.data, set) == 0 && !cpuset_is_empty(set) ? 0 : -1;
	strbuf_free(&text);
	return ret;
}

/* The cpus a CFS quota along the view's cpu cgroup and its ancestors allows (the lowest);
 * 0 when none does, or lxcfs --disable-cfs. */
static unsigned view_quota_cpus(const struct view *v)
{
	const char *cg = g_cfs ? view_cgroup(v, CG_CPU) : NULL;
	if (!cg)
		return 0;
	bool v1 = cgroup_mode(CG_CPU) == CG_V1;
	struct scratch s = {0};
	unsigned low = 0;
	char p[PATH_MAX];
	snprintf(p, sizeof(p), "%s", cg);
	while (p[0] && strcmp(p, "/") != 0) {
		unsigned n = 0;
		if (!v1) {
			if (cgroup_file(CG_CPU, p, "cpu.max", &s.a) == 0)
				n = cfs_quota_cpus_v2(s.a.data);
		} else if (cgroup_file(CG_CPU, p, "cpu.cfs_quota_us", &s.a) == 0 &&
		           s.a.data[0] != '-' &&
		           cgroup_file(CG_CPU, p, "cpu.cfs_period_us", &s.b) == 0) {
			n = cfs_quota_cpus_v1(s.a.data, s.b.data);
		}
		if (n && (!low || n < low))
			low = n;
		char *slash = strrchr(p, '/');
		if (!slash)
			break;
		*slash = '\0';
	}
	scratch_free(&s);
	return low;
}

/* The host's online cpus. */
static int host_online(struct cpuset *set)
{
	struct strbuf text = {0};
	int ret = host_file(VF_CPU_ONLINE, &text) == 0 && cpuset_parse(text.data, set) == 0 &&
	                  !cpuset_is_empty(set)
	              ? 0
	              : -1;
	strbuf_free(&text);
	return ret;
}

/* The host cpus the view may use, renumbered from 0 by the renderers: its cpuset (or every
 * online cpu), cut to the first N when a CFS quota allows N (the smaller wins). full, when
 * given, gets the set before that cut. -1 when the host's files apply: no cpuset of its own
 * and no quota, or, for a reader of our own namespace, neither one narrower than the host. */
static int view_cpus(const struct view *v, struct cpuset *set, struct cpuset *full)
{
	bool own = view_cpuset(v, set) == 0;
	unsigned quota = view_quota_cpus(v);
	if (!own && !quota)
		return -1;
	if (!own && host_online(set) < 0)
		return -1;
	if (full)
		*full = *set;
	unsigned n = cpuset_count(set);
	if (quota && quota < n)
		cpuset_keep_first(set, quota);
	if (v->shared && (!quota || quota >= n)) {
		struct cpuset online;
		if (host_online(&online) < 0 || cpuset_is_subset(&online, set))
			return -1;
	}
	return 0;
}

int vfile_cpus(const struct view *v, struct cpuset *set)
{
	return view_cpus(v, set, NULL);
}

static int render_cpuinfo(enum vfile f, const struct view *v, struct strbuf *out)
{
	struct cpuset set;
	struct strbuf hosttext = {0};
	int ret;
	if (view_cpus(v, &set, NULL) < 0) {
		ret = host_file(VF_CPUINFO, out);
	} else if ((ret = host_file(VF_CPUINFO, &hosttext)) == 0) {
		strbuf_reset(out);
		/* A cpuset of only offline cpus shows nothing: then the host's. */
		if (cpuinfo_render(hosttext.data, &set, out) == 0)
			ret = host_file(VF_CPUINFO, out);
	}
	strbuf_free(&hosttext);
	return ret;
}

static int render_cpu_online(enum vfile f, const struct view *v, struct strbuf *out)
{
	struct cpuset set;
	if (view_cpus(v, &set, NULL) < 0)
		return host_file(VF_CPU_ONLINE, out);
	strbuf_reset(out);
	cpu_online_render(cpuset_count(&set), out);
	return 0;
}

/* The container's cpu time per host cpu; 0 entries when its cgroup does not say. */
static size_t gather_cpu_usage(const struct view *v, const struct cpuset *set, struct cpu_usage *u,
                               size_t max)
{
	const char *cg = view_cgroup(v, CG_CPUACCT);
	if (!cg)
		return 0;
	struct scratch s = {0};
	size_t n = 0;
	if (cgroup_mode(CG_CPUACCT) == CG_V2) {
		if (cgroup_file(CG_CPUACCT, cg, "cpu.stat", &s.a) == 0)
			n = cpu_stat_v2_spread(s.a.data, set, u, max);
	} else if (cgroup_file(CG_CPUACCT, cg, "cpuacct.usage_all", &s.a) == 0) {
		n = cpuacct_usage_all_parse(s.a.data, u, max);
	} else if (cgroup_file(CG_CPUACCT, cg, "cpuacct.usage_percpu_user", &s.b) == 0 &&
	           cgroup_file(CG_CPUACCT, cg, "cpuacct.usage_percpu_sys", &s.c) == 0) {
		n = cpuacct_percpu_parse(s.b.data, s.c.data, u, max);
	}
	scratch_free(&s);
	return n;
}

static int render_stat(enum vfile f, const struct view *v, struct strbuf *out)
{
	struct cpuset set, full;
	bool own_cpus = view_cpus(v, &set, &full) == 0;
	/* A reader of our own namespace whose cgroups do not limit its cpus: the host's. */
	if (!own_cpus && v->shared)
		return host_file(VF_STAT, out);
	/* No cpus of its own: the host's online ones (v2's cpu.stat is spread over them). */
	if (!own_cpus && host_online(&set) < 0)
		memset(&set, 0xff, sizeof(set));
	if (!own_cpus)
		full = set;
	struct cpu_usage *u = calloc(CPUSET_MAX, sizeof(*u));
	if (!u)
		return -ENOMEM;
	size_t n = gather_cpu_usage(v, &full, u, CPUSET_MAX);
	/* Time spent on cpus a quota hides is shown on those it leaves. */
	if (n)
		cpu_usage_fold(u, CPUSET_MAX, &full, &set);
	struct strbuf hosttext = {0};
	int ret;
	if (!own_cpus && n == 0) {
		ret = host_file(VF_STAT, out);
	} else if ((ret = host_file(VF_STAT, &hosttext)) == 0) {
		strbuf_reset(out);
		stat_render(hosttext.data, &set, n ? u : NULL, CPUSET_MAX, out);
	}
	strbuf_free(&hosttext);
	free(u);
	return ret;
}

/* Seconds of cpu the container used, or -1 when its cgroup does not say. */
static double cpu_seconds(const struct view *v)
{
	const char *cg = view_cgroup(v, CG_CPUACCT);
	if (!cg)
		return -1;
	uint64_t ns;
	if (cgroup_mode(CG_CPUACCT) == CG_V1)
		return cgroup_file_u64(CG_CPUACCT, cg, "cpuacct.usage", &ns) == 0 ? ns / 1e9 : -1;
	struct strbuf stat = {0};
	double s = -1;
	if (cgroup_file(CG_CPUACCT, cg, "cpu.stat", &stat) == 0) {
		const char *p = strstr(stat.data, "usage_usec ");
		if (p)
			s = strtoull(p + 11, NULL, 10) / 1e6;
	}
	strbuf_free(&stat);
	return s;
}

static int render_uptime(enum vfile f, const struct view *v, struct strbuf *out)
{
	/* A reader of our own namespace: the host's uptime, whatever its cgroups. */
	if (v->host || v->shared)
		return host_file(VF_UPTIME, out);
	struct timespec now;
	clock_gettime(CLOCK_BOOTTIME, &now);
	double age = now.tv_sec + now.tv_nsec / 1e9 - (double)v->init.start / sysconf(_SC_CLK_TCK);
	if (age < 0)
		age = 0;
	/* Like the host's second number: idle time summed over the cpus the container has. */
	struct cpuset set;
	long ncpu = view_cpus(v, &set, NULL) == 0 ? (long)cpuset_count(&set)
	                                          : sysconf(_SC_NPROCESSORS_ONLN);
	double used = cpu_seconds(v);
	double idle = age * (double)ncpu - (used > 0 ? used : 0);
	strbuf_reset(out);
	strbuf_printf(out, "%.2f %.2f\n", age, idle > 0 ? idle : 0);
	return 0;
}

/* A reader of our own namespace whose cgroups limit neither its memory nor its cpus: the
 * host's files, as for a reader in the root cgroup. */
static bool shared_unconfined(const struct view *v)
{
	if (!v->shared)
		return false;
	struct cpuset set;
	if (view_cpus(v, &set, NULL) == 0)
		return false;
	const char *cg = view_cgroup(v, CG_MEMORY);
	if (!cg)
		return true;
	uint64_t limit = mem_min_along(cg, cgroup_mode(CG_MEMORY) == CG_V1 ? "memory.limit_in_bytes"
	                                                                   : "memory.max");
	struct strbuf meminfo = {0};
	bool unlimited = host_file(VF_MEMINFO, &meminfo) < 0 ||
	                 limit / 1024 >= meminfo_value(meminfo.data, "MemTotal", 0);
	strbuf_free(&meminfo);
	return unlimited;
}

/* The container's block I/O counters per device. */
static void gather_disk_io(enum cg_mode mode, const char *cg, struct disk_io_table *t)
{
	struct strbuf text = {0};
	if (mode == CG_V2) {
		if (cgroup_file(CG_BLKIO, cg, "io.stat", &text) == 0)
			io_stat_v2_parse(text.data, t);
		strbuf_free(&text);
		return;
	}
	/* The scheduler's counters (CFQ, BFQ) when they count anything, else the throttle
	 * layer's: the BFQ files exist whatever the disk's scheduler, empty unless it is BFQ. */
	static const char *const prefixes[] = {"blkio.", "blkio.bfq.", "blkio.throttle."};
	static const struct {
		const char *name;
		enum blkio_file which;
	} files[] = {
	    {"io_serviced_recursive", BLKIO_SERVICED},
	    {"io_service_bytes_recursive", BLKIO_BYTES},
	    {"io_merged_recursive", BLKIO_MERGED},
	    {"io_service_time_recursive", BLKIO_SERVICE_TIME},
	    {"io_wait_time_recursive", BLKIO_WAIT_TIME},
	};
	for (size_t k = 0; k < sizeof(prefixes) / sizeof(prefixes[0]) && !disk_io_any(t); k++) {
		disk_io_table_free(t);
		for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
			char name[64];
			snprintf(name, sizeof(name), "%s%s", prefixes[k], files[i].name);
			if (cgroup_file(CG_BLKIO, cg, name, &text) == 0)
				blkio_v1_parse(text.data, files[i].which, t);
		}
	}
	strbuf_free(&text);
}

static int render_diskstats(enum vfile f, const struct view *v, struct strbuf *out)
{
	const char *cg = view_cgroup(v, CG_BLKIO);
	if (!cg || shared_unconfined(v))
		return host_file(VF_DISKSTATS, out);
	struct disk_io_table t = {0};
	gather_disk_io(cgroup_mode(CG_BLKIO), cg, &t);
	struct strbuf hosttext = {0};
	int ret = host_file(VF_DISKSTATS, &hosttext);
	if (ret == 0) {
		strbuf_reset(out);
		diskstats_render(hosttext.data, &t, out);
	}
	strbuf_free(&hosttext);
	disk_io_table_free(&t);
	return ret;
}

static int render_partitions(enum vfile f, const struct view *v, struct strbuf *out)
{
	const char *cg = view_cgroup(v, CG_DEVICES);
	struct scratch s = {0};
	int ret;
	if (!cg || shared_unconfined(v) || cgroup_file(CG_DEVICES, cg, "devices.list", &s.a) < 0) {
		ret = host_file(VF_PARTITIONS, out);
	} else if ((ret = host_file(VF_PARTITIONS, &s.b)) == 0) {
		strbuf_reset(out);
		partitions_render(s.b.data, s.a.data, out);
	}
	scratch_free(&s);
	return ret;
}

/* loadavg: the load of the container's tasks when lxcfs -l samples them, else the host's. The
 * tasks are those of its cpu cgroup (cpuacct's or memory's where it has none). */
static int render_loadavg(enum vfile f, const struct view *v, struct strbuf *out)
{
	static const enum cg_ctrl ctrls[] = {CG_CPU, CG_CPUACCT, CG_MEMORY};
	if (!load_sampler_running() || v->host || shared_unconfined(v))
		return host_file(f, out);
	for (size_t i = 0; i < sizeof(ctrls) / sizeof(ctrls[0]); i++) {
		const char *cg = view_cgroup(v, ctrls[i]);
		if (cg)
			return load_sampler_render(ctrls[i], cg, out) == 0 ? 0 : host_file(f, out);
	}
	return host_file(f, out);
}

/* slabinfo: v1's memory.kmem.slabinfo of the container's memory cgroup where the kernel has
 * it (v2 has no per-cgroup slabinfo), else the host's. */
static int render_slabinfo(enum vfile f, const struct view *v, struct strbuf *out)
{
	const char *cg = view_cgroup(v, CG_MEMORY);
	if (cg && cgroup_mode(CG_MEMORY) == CG_V1 && !shared_unconfined(v) &&
	    cgroup_file(CG_MEMORY, cg, "memory.kmem.slabinfo", out) == 0 && out->len > 0)
		return 0;
	return host_file(f, out);
}

/* pressure/{cpu,memory,io}: the container's cgroup v2 *.pressure files (every cgroup of the
 * unified hierarchy has them, whichever hierarchy holds the controllers), else the host's. */
static int render_pressure(enum vfile f, const struct view *v, struct strbuf *out)
{
	static const char *const names[VF_N] = {[VF_PRESSURE_CPU] = "cpu.pressure",
	                                        [VF_PRESSURE_MEMORY] = "memory.pressure",
	                                        [VF_PRESSURE_IO] = "io.pressure"};
	const char *cg = v->host ? NULL : v->cg.unified;
	if (cg && strcmp(cg, "/") != 0 && !shared_unconfined(v) &&
	    cgroup_v2_file(cg, names[f], out) == 0 && out->len > 0)
		return 0;
	return host_file(f, out);
}

static int (*const renderers[VF_N])(enum vfile, const struct view *, struct strbuf *) = {
    [VF_CPUINFO] = render_cpuinfo,
    [VF_MEMINFO] = render_mem,
    [VF_STAT] = render_stat,
    [VF_DISKSTATS] = render_diskstats,
    [VF_PARTITIONS] = render_partitions,
    [VF_SWAPS] = render_mem,
    [VF_UPTIME] = render_uptime,
    [VF_LOADAVG] = render_loadavg,
    [VF_CPU_ONLINE] = render_cpu_online,
    [VF_SLABINFO] = render_slabinfo,
    [VF_PRESSURE_CPU] = render_pressure,
    [VF_PRESSURE_MEMORY] = render_pressure,
    [VF_PRESSURE_IO] = render_pressure,
};

int vfile_render(enum vfile f, const struct view *v, struct strbuf *out)
{
	int ret = renderers[f](f, v, out);
	if (ret == 0 && out->failed)
		ret = -ENOMEM;
	return ret;
}
