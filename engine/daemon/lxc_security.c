#include "lxc_security.h"

#include <ctype.h>
#include <dirent.h>
#include <limits.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "ipc_shm.h"
#include "host/capabilities.h"
#include "host/cgroup_info.h"
#include "host/cgroup_v2.h"
#include "container_cgroup.h"
#include "core/fileutil.h"
#include "engine/lxc_conf.h"
#include "rootfs_files.h"
#include "host/seccomp_json.h"
#include "host/seccomp_profile.h"
#include "sysopt.h"
#include "core/strbuf.h"

/* iSulad's default capability list (seed 000 §1.3.4 table); system containers add SYS_BOOT. */
static const char *const g_default_caps[] = {
    "CHOWN",  "DAC_OVERRIDE", "FSETID",  "FOWNER",           "MKNOD",      "NET_RAW", "SETGID",
    "SETUID", "SETFCAP",      "SETPCAP", "NET_BIND_SERVICE", "SYS_CHROOT", "KILL",    "AUDIT_WRITE",
    NULL,
};

/* Devices every container may use (iSulad's default spec). */
static const char *const g_default_devices[] = {
    "c *:* m",   "b *:* m",   "c 1:3 rwm", "c 1:5 rwm", "c 1:7 rwm",   "c 1:8 rwm",
    "c 1:9 rwm", "c 5:0 rwm", "c 5:1 rwm", "c 5:2 rwm", "c 136:* rwm", NULL,
};

/* OCI runtime / Docker defaults: hidden (an empty read-only tmpfs over a directory, /dev/null
 * over a file), plus the two openEuler files iSulad masks. */
static const char *const g_masked_paths[] = {
    "/proc/acpi",
    "/proc/asound",
    "/proc/kcore",
    "/proc/keys",
    "/proc/latency_stats",
    "/proc/timer_list",
    "/proc/timer_stats",
    "/proc/sched_debug",
    "/proc/scsi",
    "/proc/fdthreshold",
    "/proc/fdenable",
    "/sys/firmware",
    "/sys/devices/virtual/powercap",
    NULL,
};

/* Read-only; /proc/sys and /proc/sysrq-trigger already are (lxc.mount.auto proc:mixed). */
static const char *const g_readonly_paths[] = {"/proc/bus", "/proc/fs", "/proc/irq", NULL};

static int g_last_cap;
static pthread_once_t g_last_cap_once = PTHREAD_ONCE_INIT;

static void read_last_cap(void)
{
	char *s = read_file("/proc/sys/kernel/cap_last_cap", 32, NULL);
	int n = s ? atoi(s) : CAPABILITY_LAST;
	free(s);
	g_last_cap = n > 0 ? n : CAPABILITY_LAST;
}

/* The kernel's last capability, read once: it does not change while the daemon runs, and a
 * config render asks twice (the caps it keeps, whether it may reboot). */
static int last_cap(void)
{
	pthread_once(&g_last_cap_once, read_last_cap);
	return g_last_cap;
}

static void add_caps(struct strbuf *f, uint64_t caps)
{
	char keep[1024] = "";
	size_t n = 0;
	for (int i = 0; i <= CAPABILITY_LAST; i++) {
		if (!((caps >> i) & 1))
			continue;
		for (const char *p = capability_name(i); *p && n + 2 < sizeof(keep); p++)
			keep[n++] = (char)tolower((unsigned char)*p);
		if (n + 1 < sizeof(keep))
			keep[n++] = ' ';
	}
	if (n > 0)
		n--; /* the last blank */
	keep[n] = '\0';
	lxc_conf_line(f, "lxc.cap.keep", "%s", caps == 0 ? "none" : keep);
}

/* The node of each --device, bound from the host into the container's /dev tmpfs, and its
 * device rule ("c 1:3 rwm"): a v1 devices cgroup line when cgroup_rules, and a line of
 * rules (when not NULL) for the v2 program, both from the one stat of the node. */
static int add_devices(struct strbuf *f, const struct host_config *h, bool cgroup_rules,
                       struct strbuf *rules, char *err, size_t errlen)
{
	for (size_t i = 0; i < h->sec.n_devices; i++) {
		const struct device_spec *d = &h->sec.devices[i];
		struct stat st;
		errno = 0;
		if (stat(d->host, &st) < 0 || (!S_ISCHR(st.st_mode) && !S_ISBLK(st.st_mode))) {
			snprintf(err, errlen, "Start container error: device %s: %s", d->host,
			         errno ? strerror(errno) : "not a character or block device");
			return -1;
		}
		char rule[64];
		snprintf(rule, sizeof(rule), "%c %u:%u %s", S_ISCHR(st.st_mode) ? 'c' : 'b',
		         major(st.st_rdev), minor(st.st_rdev), d->perms);
		if (cgroup_rules)
			lxc_conf_line(f, "lxc.cgroup.devices.allow", "%s", rule);
		if (rules)
			strbuf_printf(rules, "%s\n", rule);
		lxc_conf_line(f, "lxc.mount.entry", "%s %s none bind,create=file 0 0", d->host,
		              d->ctr + 1);
	}
	/* --device-cgroup-rule: access to devices the container may make itself (mknod) */
	for (size_t i = 0; h->sec.device_cgroup_rules && h->sec.device_cgroup_rules[i]; i++) {
		const char *rule = h->sec.device_cgroup_rules[i];
		if (device_cgroup_rule_check(rule, err, errlen) < 0)
			return -1;
		if (cgroup_rules)
			lxc_conf_line(f, "lxc.cgroup.devices.allow", "%s", rule);
		if (rules)
			strbuf_printf(rules, "%s\n", rule);
	}
	return 0;
}

/* liblxc's autodev makes these itself; the rest are the host's. */
static const char *const g_autodev_nodes[] = {"null", "zero",    "full", "random", "urandom",
                                              "tty",  "console", "ptmx", NULL};

static bool is_autodev_node(const char *name)
{
	for (size_t i = 0; g_autodev_nodes[i]; i++) {
		if (strcmp(name, g_autodev_nodes[i]) == 0)
			return true;
	}
	return false;
}

/* --privileged: every device node of the host's /dev (and of its direct subdirectories, such
 * as /dev/net or /dev/snd), bound into the container's /dev, as Docker does. */
static void add_host_devices(struct strbuf *f, const char *dir, int depth)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.' || (depth == 0 && is_autodev_node(e->d_name)))
			continue;
		char path[PATH_MAX];
		struct stat st;
		if (snprintf(path, sizeof(path), "%s/%s", dir, e->d_name) >= (int)sizeof(path) ||
		    lstat(path, &st) < 0 || strpbrk(path, " \t\n\\"))
			continue;
		if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode))
			lxc_conf_line(f, "lxc.mount.entry",
			              "%s %s none bind,create=file,optional 0 0", path, path + 1);
		else if (S_ISDIR(st.st_mode) && depth == 0 && strcmp(e->d_name, "pts") != 0 &&
		         strcmp(e->d_name, "shm") != 0 && strcmp(e->d_name, "mqueue") != 0)
			add_host_devices(f, path, 1);
	}
	closedir(d);
}

/* Cgroup v2 has no devices files: the container's cgroup, the default rules and the
 * --device rules add_devices made go to <state_dir>/devices, which the monitor's
 * start-host hook compiles into a BPF program on the container's v2 cgroup. With neither a v1
 * devices controller nor a cgroup2 tree the container is refused (fail closed). */
static int add_v2_devices(struct strbuf *f, const struct container *c,
                          const struct lxc_config_env *env, bool v1_devices,
                          const struct strbuf *device_rules, char *err, size_t errlen)
{
	char *mount = cgroup2_mount_point();
	if (!mount) {
		if (v1_devices)
			return 0;
		snprintf(
		    err, errlen,
		    "cannot confine the container's devices: the host has neither the cgroup v1 "
		    "devices controller nor a cgroup2 hierarchy");
		return -1;
	}
	free(mount);
	char *cg = container_cgroup_path(c, env->default_cgroup_parent);
	struct strbuf t = {0};
	/* The cgroup comes from the API (CgroupParent): it goes in the file, never on the hook's
	 * line, which liblxc runs through sh -c. */
	if (cg) {
		strbuf_printf(&t, "cgroup %s\n", cg);
		for (size_t i = 0; g_default_devices[i]; i++)
			strbuf_printf(&t, "%s\n", g_default_devices[i]);
		if (device_rules->len)
			strbuf_add(&t, device_rules->data, device_rules->len);
	}
	char *text = cg ? strbuf_take(&t) : NULL;
	if (device_rules->failed) { /* out of memory: a rule would be missing */
		free(text);
		text = NULL;
	}
	/* create refused such a parent already; the rules file is a generated config too. */
	const char *why = cg ? lxc_conf_value_problem(NULL, cg) : NULL;
	char *path = NULL;
	if (why)
		snprintf(err, errlen, "Invalid cgroup parent: it %s", why);
	else if (!text)
		snprintf(err, errlen, "out of memory");
	else if ((path = lxc_start_file(env, "devices", text, strlen(text), err, errlen)))
		lxc_conf_line(f, "lxc.hook.start-host", "%s devices-hook %s %s%s",
		              env->monitor_path, env->state_dir, path, v1_devices ? " --v1" : "");
	free(text);
	free(cg);
	if (!path)
		return -1;
	free(path);
	return 0;
}

/* Which of the masked and read-only paths this kernel has, and which are dirs: looked up
 * once (a render made 16 stats of the same /proc and /sys paths each time). */
enum { MASK_ABSENT, MASK_FILE, MASK_DIR };
static unsigned char g_masked_kind[sizeof(g_masked_paths) / sizeof(g_masked_paths[0])];
static bool g_readonly_has[sizeof(g_readonly_paths) / sizeof(g_readonly_paths[0])];
static pthread_once_t g_masks_once = PTHREAD_ONCE_INIT;

static void look_up_masks(void)
{
	for (size_t i = 0; g_masked_paths[i]; i++) {
		struct stat st;
		g_masked_kind[i] = stat(g_masked_paths[i], &st) < 0 ? MASK_ABSENT
		                   : S_ISDIR(st.st_mode)            ? MASK_DIR
		                                                    : MASK_FILE;
	}
	for (size_t i = 0; g_readonly_paths[i]; i++)
		g_readonly_has[i] = path_exists(g_readonly_paths[i]);
}

static void add_masks(struct strbuf *f)
{
	pthread_once(&g_masks_once, look_up_masks);
	for (size_t i = 0; g_masked_paths[i]; i++) {
		const char *p = g_masked_paths[i];
		/* absent: this kernel has no such file, nothing to hide */
		if (g_masked_kind[i] == MASK_DIR)
			lxc_conf_line(f, "lxc.mount.entry",
			              "tmpfs %s tmpfs ro,nosuid,nodev,noexec,optional 0 0", p + 1);
		else if (g_masked_kind[i] == MASK_FILE)
			lxc_conf_line(f, "lxc.mount.entry",
			              "/dev/null %s none bind,ro,optional 0 0", p + 1);
	}
	for (size_t i = 0; g_readonly_paths[i]; i++) {
		if (g_readonly_has[i])
			lxc_conf_line(f, "lxc.mount.entry", "%s %s none rbind,ro,optional 0 0",
			              g_readonly_paths[i], g_readonly_paths[i] + 1);
	}
}

static int write_seccomp(struct strbuf *f, uint64_t caps, const struct host_config *h,
                         const struct lxc_config_env *env, char *err, size_t errlen)
{
	/* A user-remapped container's root is nobody on the host already. */
	uid_t uid;
	gid_t gid;
	bool unconfined;
	const char *json = security_opt_seccomp(&h->sec, &unconfined);
	if (unconfined)
		return 0; /* --security-opt seccomp=unconfined */
	bool remapped = user_remap_root(h, &uid, &gid);
	struct seccomp_target t = {.caps = caps,
	                           .system_container = h->system_container,
	                           .user_namespaces = h->system_container && remapped};
	char *profile =
	    json ? seccomp_json_translate(json, &t, err, errlen)
	         : seccomp_profile_render(caps, h->system_container, remapped, err, errlen);
	if (!profile)
		return -1; /* err says why */
	/* Where users look for it (the seed: /var/lib/isulad/engines/lcr/<id>/seccomp), from the
	 * create on; the hooks' own inputs are in the state dir (lxc_start_file). */
	char *path = path_join(env->container_dir, "seccomp");
	int ret = -1;
	if (path && replace_file_if_changed(path, profile, strlen(profile), 0600) == 0) {
		lxc_conf_line(f, "lxc.seccomp.profile", "%s", path);
		ret = 0;
	} else {
		snprintf(err, errlen, "cannot write the seccomp profile %s: %s",
		         path ? path : "seccomp", strerror(errno));
	}
	free(profile);
	free(path);
	return ret;
}

/* The capabilities a confined (not privileged) container keeps: the defaults, SYS_BOOT for a
 * system container, then --cap-add and --cap-drop. */
static int container_caps(const struct host_config *h, uint64_t *caps, char *err, size_t errlen)
{
	const char *base[sizeof(g_default_caps) / sizeof(g_default_caps[0]) + 1];
	size_t n = 0;
	for (; g_default_caps[n]; n++)
		base[n] = g_default_caps[n];
	if (h->system_container)
		base[n++] = "SYS_BOOT";
	base[n] = NULL;
	return capability_set_compute(base, h->sec.cap_add, h->sec.cap_drop, last_cap(), caps, err,
	                              errlen);
}

bool lxc_security_may_reboot(const struct container *c)
{
	char err[256];
	uint64_t caps = 0;
	if (c->host.privileged || container_caps(&c->host, &caps, err, sizeof(err)) < 0)
		return true;
	return (caps >> capability_from_name("SYS_BOOT")) & 1;
}

static int add_confinement(struct strbuf *f, const struct container *c,
                           const struct lxc_config_env *env, char *err, size_t errlen)
{
	const struct host_config *h = &c->host;
	uint64_t caps;
	if (container_caps(h, &caps, err, errlen) < 0)
		return -1;
	add_caps(f, caps);
	bool v1_devices = cgroup_v1_has("devices.allow");
	if (v1_devices) {
		lxc_conf_line(f, "lxc.cgroup.devices.deny", "a");
		for (size_t i = 0; g_default_devices[i]; i++)
			lxc_conf_line(f, "lxc.cgroup.devices.allow", "%s", g_default_devices[i]);
	}
	struct strbuf rules = {0};
	int ret = add_devices(f, h, v1_devices, &rules, err, errlen) < 0 ||
	                  add_v2_devices(f, c, env, v1_devices, &rules, err, errlen) < 0
	              ? -1
	              : 0;
	strbuf_free(&rules);
	if (ret < 0)
		return -1;
	add_masks(f);
	if (security_opt_no_new_privs(&h->sec))
		lxc_conf_line(f, "lxc.no_new_privs", "1");
	return write_seccomp(f, caps, h, env, err, errlen);
}

/* liblxc's own lxc.sysctl writes after /proc/sys has gone read-only (proc:mixed), so the
 * values are written from the host by a hook that joins the container's namespaces, after
 * they exist and before the init runs. */
static int add_sysctls(struct strbuf *f, char *const *sysctls, const struct lxc_config_env *env,
                       char *err, size_t errlen)
{
	if (!sysctls || !sysctls[0])
		return 0;
	struct strbuf t = {0};
	for (size_t i = 0; sysctls[i]; i++)
		strbuf_printf(&t, "%s\n", sysctls[i]);
	int ret =
	    t.data ? lxc_hook_with_file(f, env, "sysctl-hook", "sysctl", t.data, t.len, err, errlen)
	           : -1;
	if (!t.data)
		snprintf(err, errlen, "out of memory");
	strbuf_free(&t);
	return ret;
}

char *lxc_security_config(const struct container *c, const struct lxc_config_env *env, char *err,
                          size_t errlen)
{
	const char *container_dir = env->container_dir;
	const struct host_config *h = &c->host;
	struct strbuf b = {0}, *f = &b;
	int ret = 0;
	if (h->privileged) {
		/* Every capability, every device, no seccomp filter, nothing masked. */
		if (cgroup_v1_has("devices.allow"))
			lxc_conf_line(f, "lxc.cgroup.devices.allow", "a");
		add_host_devices(f, "/dev", 0);
		ret = add_devices(f, h, false, NULL, err, errlen);
	} else {
		ret = add_confinement(f, c, env, err, errlen);
	}
	ipc_shm_lxc_config(f, c);
	if (ret == 0)
		ret = add_sysctls(f, h->sec.sysctls, env, err, errlen);
	if (h->sec.oom_kill_disable && cgroup_v1_has("memory.oom_control"))
		lxc_conf_line(f, "lxc.cgroup.memory.oom_control", "1");
	if (ret == 0)
		ret = network_files_lxc_binds(f, c, container_dir, err, errlen);
	char *out = NULL;
	if (ret == 0)
		out = strbuf_take(&b);
	else
		strbuf_free(&b);
	if (!out && ret == 0)
		snprintf(err, errlen, "out of memory");
	return out;
}
