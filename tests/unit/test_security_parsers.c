#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host/capabilities.h"
#include "engine/device_spec.h"
#include "engine/daemon/net_files.h"
#include "host/seccomp_json.h"
#include "host/seccomp_profile.h"
#include "engine/sysctl_policy.h"
#include "core/units.h"

static char g_err[512];

/* ------------------------------------------------------------------------- capabilities */

static void test_cap_names(void **state)
{
	assert_int_equal(capability_from_name("NET_ADMIN"), 12);
	assert_int_equal(capability_from_name("net_admin"), 12);
	assert_int_equal(capability_from_name("CAP_NET_ADMIN"), 12);
	assert_int_equal(capability_from_name("cap_sys_boot"), 22);
	assert_int_equal(capability_from_name("CHOWN"), 0);
	assert_int_equal(capability_from_name("CHECKPOINT_RESTORE"), 40);
	assert_int_equal(capability_from_name("ALL"), -1);
	assert_int_equal(capability_from_name("NOPE"), -1);
	assert_int_equal(capability_from_name("CAP_"), -1);
	assert_int_equal(capability_from_name(""), -1);
	assert_string_equal(capability_name(21), "SYS_ADMIN");
	assert_null(capability_name(41));
	assert_null(capability_name(-1));
	assert_true(capability_is_all("all"));
	assert_true(capability_is_all("CAP_ALL"));
	assert_false(capability_is_all("ALLX"));
}

static void test_cap_list_check(void **state)
{
	char *ok[] = {"ALL", "chown", "CAP_KILL", NULL};
	char *bad[] = {"chown", "CAP_FOO", NULL};
	assert_int_equal(capability_list_check(ok, "--cap-add", g_err, sizeof(g_err)), 0);
	assert_int_equal(capability_list_check(NULL, "--cap-add", g_err, sizeof(g_err)), 0);
	assert_int_equal(capability_list_check(bad, "--cap-drop", g_err, sizeof(g_err)), -1);
	assert_non_null(strstr(g_err, "\"CAP_FOO\" in --cap-drop"));
}

static uint64_t caps(const char *const *base, char **add, char **drop, int last)
{
	uint64_t m = 0;
	if (capability_set_compute(base, add, drop, last, &m, g_err, sizeof(g_err)) != 0)
		fail_msg("capability_set_compute: %s", g_err);
	return m;
}

static void test_cap_compute(void **state)
{
	const char *base[] = {"CHOWN", "KILL", "NET_RAW", NULL};
	char *none[] = {NULL};
	char *add_admin[] = {"sys_admin", NULL};
	char *drop_kill[] = {"CAP_KILL", NULL};
	char *all[] = {"all", NULL};
	char *drop_admin[] = {"SYS_ADMIN", NULL};
	assert_int_equal(caps(base, none, none, 40), (1 << 0) | (1 << 5) | (1 << 13));
	assert_int_equal(caps(base, add_admin, drop_kill, 40), (1 << 0) | (1 << 13) | (1 << 21));
	/* ALL in add wins; drops still apply. */
	assert_int_equal(caps(base, all, drop_admin, 40), ((2ULL << 40) - 1) & ~(1ULL << 21));
	assert_int_equal(caps(base, all, none, 37), (2ULL << 37) - 1);
	/* ALL in drop leaves only the added ones. */
	assert_int_equal(caps(base, add_admin, all, 40), 1 << 21);
	assert_int_equal(caps(base, none, all, 40), 0);
	/* The same name added and dropped: added (Docker drops first, then adds). */
	assert_int_equal(caps(base, drop_kill, drop_kill, 40), (1 << 0) | (1 << 5) | (1 << 13));
	uint64_t m;
	char *bad[] = {"BOGUS", NULL};
	assert_int_equal(capability_set_compute(base, bad, none, 40, &m, g_err, sizeof(g_err)), -1);
	assert_non_null(strstr(g_err, "BOGUS"));
}

/* ------------------------------------------------------------------------------ sysctl */

static const struct sysctl_context g_own = {true, true, true};

static int sysctl(const char *k, const char *v, const struct sysctl_context *c)
{
	return sysctl_check(k, v, c, g_err, sizeof(g_err));
}

static void test_sysctl_whitelist(void **state)
{
	const char *ok[] = {"kernel.msgmax",        "kernel.msgmnb",
	                    "kernel.msgmni",        "kernel.sem",
	                    "kernel.shmall",        "kernel.shmmax",
	                    "kernel.shmmni",        "kernel.shm_rmid_forced",
	                    "kernel.pid_max",       "net.ipv4.ip_forward",
	                    "net.core.somaxconn",   "fs.mqueue.msg_max",
	                    "fs.mqueue.queues_max", NULL};
	for (size_t i = 0; ok[i]; i++) {
		if (sysctl(ok[i], "1", &g_own) != 0)
			fail_msg("%s refused: %s", ok[i], g_err);
	}
	const char *refused[] = {"kernel.domainname",
	                         "kernel.hostname",
	                         "vm.swappiness",
	                         "fs.file-max",
	                         "kernel.msgmax2",
	                         "kernel.shm",
	                         "netx.a",
	                         "fs.mqueue",
	                         "kernel.core_pattern",
	                         NULL};
	for (size_t i = 0; refused[i]; i++) {
		if (sysctl(refused[i], "1", &g_own) == 0)
			fail_msg("%s accepted", refused[i]);
	}
	assert_int_equal(sysctl("vm.swappiness", "10", &g_own), -1);
	assert_non_null(strstr(g_err, "Sysctl vm.swappiness=10 is not allowed"));
	assert_non_null(strstr(g_err, "net.*"));
}

static void test_sysctl_namespaces(void **state)
{
	struct sysctl_context host_net = {false, true, true};
	struct sysctl_context host_ipc = {true, false, true};
	struct sysctl_context old_kernel = {true, true, false};
	assert_int_equal(sysctl("net.ipv4.ip_forward", "1", &host_net), -1);
	assert_non_null(strstr(g_err, "network namespace"));
	assert_int_equal(sysctl("kernel.msgmax", "1", &host_net), 0);
	assert_int_equal(sysctl("kernel.shmmax", "1", &host_ipc), -1);
	assert_int_equal(sysctl("fs.mqueue.msg_max", "1", &host_ipc), -1);
	assert_non_null(strstr(g_err, "IPC namespace"));
	assert_int_equal(sysctl("kernel.pid_max", "5000", &old_kernel), -1);
	assert_non_null(strstr(g_err, "not namespaced"));
}

static void test_sysctl_malformed(void **state)
{
	const char *bad_keys[] = {"",         ".",       "net.",    ".net.a", "net..a",
	                          "net/../x", "net.a b", "net.a=b", NULL};
	for (size_t i = 0; bad_keys[i]; i++) {
		if (sysctl(bad_keys[i], "1", &g_own) == 0)
			fail_msg("key \"%s\" accepted", bad_keys[i]);
	}
	assert_int_equal(sysctl("net.ipv4.conf.all.forwarding", "1\n", &g_own), -1);
	assert_int_equal(sysctl("kernel.sem", "250 32000 100 128", &g_own), 0);
}

static void test_sysctl_split(void **state)
{
	char *buf;
	const char *k, *v;
	assert_int_equal(sysctl_split("kernel.sem=1 2=3", &buf, &k, &v, g_err, sizeof(g_err)), 0);
	assert_string_equal(k, "kernel.sem");
	assert_string_equal(v, "1 2=3");
	free(buf);
	assert_int_equal(sysctl_split("a=", &buf, &k, &v, g_err, sizeof(g_err)), 0);
	assert_string_equal(v, "");
	free(buf);
	assert_int_equal(sysctl_split("noequals", &buf, &k, &v, g_err, sizeof(g_err)), -1);
	assert_int_equal(sysctl_split("=1", &buf, &k, &v, g_err, sizeof(g_err)), -1);
	assert_non_null(strstr(g_err, "expected KEY=VALUE"));
}

static void test_pid_max_release(void **state)
{
	assert_true(sysctl_pid_max_namespaced_release("6.14.0"));
	assert_true(sysctl_pid_max_namespaced_release("6.18.44-fc-v769"));
	assert_true(sysctl_pid_max_namespaced_release("7.0"));
	assert_false(sysctl_pid_max_namespaced_release("6.13.9"));
	assert_false(sysctl_pid_max_namespaced_release("6.1.0-18-amd64"));
	assert_false(sysctl_pid_max_namespaced_release("5.19"));
	assert_false(sysctl_pid_max_namespaced_release("garbage"));
}

/* ------------------------------------------------------------------------------ devices */

static void expect_device(const char *spec, const char *host, const char *ctr, const char *p)
{
	struct device_spec d;
	if (device_spec_parse(spec, &d, g_err, sizeof(g_err)) != 0)
		fail_msg("\"%s\" refused: %s", spec, g_err);
	assert_string_equal(d.host, host);
	assert_string_equal(d.ctr, ctr);
	assert_string_equal(d.perms, p);
	device_spec_free(&d);
}

static void test_device_spec(void **state)
{
	expect_device("/dev/sda", "/dev/sda", "/dev/sda", "rwm");
	expect_device("/dev/sda:/dev/xvda", "/dev/sda", "/dev/xvda", "rwm");
	expect_device("/dev/sda:r", "/dev/sda", "/dev/sda", "r");
	expect_device("/dev/sda:mw", "/dev/sda", "/dev/sda", "wm");
	expect_device("/dev/sda:/dev/xvda:rw", "/dev/sda", "/dev/xvda", "rw");
	expect_device("/dev/net/tun:/dev/net/tun:mrw", "/dev/net/tun", "/dev/net/tun", "rwm");
	/* "rw" as a second part is permissions, not a path. */
	expect_device("/dev/kmsg:rw", "/dev/kmsg", "/dev/kmsg", "rw");
}

static void test_device_spec_rejects(void **state)
{
	const char *bad[] = {"",
	                     "dev/sda",
	                     "/dev/sda:/dev/x:rwx",
	                     "/dev/sda:/dev/x:rr",
	                     "/dev/sda:/dev/x:r:w",
	                     "/dev/sda:xvda",
	                     "/dev/sda:/etc/passwd",
	                     "/dev/../etc/shadow",
	                     "/dev/sda:/dev/../etc/x",
	                     "/dev/sd a",
	                     "/dev//sda",
	                     "/dev/sda:/dev",
	                     NULL};
	for (size_t i = 0; bad[i]; i++) {
		struct device_spec d;
		if (device_spec_parse(bad[i], &d, g_err, sizeof(g_err)) == 0)
			fail_msg("\"%s\" accepted", bad[i]);
	}
	struct device_spec d;
	assert_int_equal(device_spec_parse("/dev/a:/dev/b:rwx", &d, g_err, sizeof(g_err)), -1);
	assert_non_null(strstr(g_err, "Invalid device permissions \"rwx\""));
	assert_int_equal(device_spec_from_parts("/dev/a", NULL, NULL, &d, g_err, sizeof(g_err)), 0);
	assert_string_equal(d.ctr, "/dev/a");
	assert_string_equal(d.perms, "rwm");
	device_spec_free(&d);
	assert_int_equal(device_spec_from_parts(NULL, NULL, NULL, &d, g_err, sizeof(g_err)), -1);
}

/* -------------------------------------------------------------------- dns and hosts */

static void test_device_cgroup_rule(void **state)
{
	(void)state;
	char err[256];
	const char *good[] = {"c 1:3 rwm",   "b *:* m",  "a *:* rwm",       "c 33:* rm",
	                      "b 11:22 rmw", "c *:23 r", "c 4294967295:0 w"};
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		if (device_cgroup_rule_check(good[i], err, sizeof(err)) != 0)
			fail_msg("refused \"%s\": %s", good[i], err);
	}
	const char *bad[] = {"",          "a",          "b *:*",    "d *:* r",
	                     "c 1:3",     "c 1:3 rwmx", "c 1:3 rr", "c 1:x r",
	                     "c 1 3 r",   "c  1:3 r",   "c 1:3 r ", "c 4294967296:0 r",
	                     "c -1:3 r",  "c 1:3 rw\n", "C 1:3 r",  "c **:3 r",
	                     "c 1:3:4 r", "c 1: r",     "c :3 r",   "c 12345678901:0 r"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		if (device_cgroup_rule_check(bad[i], err, sizeof(err)) != -1)
			fail_msg("accepted \"%s\"", bad[i]);
		assert_non_null(strstr(err, "for --device-cgroup-rule"));
	}
	assert_int_equal(device_cgroup_rule_check(NULL, err, sizeof(err)), -1);
}

static void test_extra_host(void **state)
{
	char *h, *ip;
	assert_int_equal(extra_host_parse("db:10.0.0.5", &h, &ip, g_err, sizeof(g_err)), 0);
	assert_string_equal(h, "db");
	assert_string_equal(ip, "10.0.0.5");
	free(h);
	free(ip);
	assert_int_equal(extra_host_parse("v6:fe80::1", &h, &ip, g_err, sizeof(g_err)), 0);
	assert_string_equal(ip, "fe80::1");
	free(h);
	free(ip);
	assert_int_equal(extra_host_parse("v6:[::1]", &h, &ip, g_err, sizeof(g_err)), 0);
	assert_string_equal(ip, "::1");
	free(h);
	free(ip);
	const char *bad[] = {
	    "nocolon",    ":1.2.3.4",       "h:", "h:999.1.1.1", "h:1.2.3", "h b:1.2.3.4",
	    "h:1.2.3.4 ", "h:host-gateway", NULL};
	for (size_t i = 0; bad[i]; i++) {
		if (extra_host_parse(bad[i], &h, &ip, g_err, sizeof(g_err)) == 0)
			fail_msg("\"%s\" accepted", bad[i]);
		assert_null(h);
		assert_null(ip);
	}
	extra_host_parse("h:999.1.1.1", &h, &ip, g_err, sizeof(g_err));
	assert_non_null(strstr(g_err, "\"999.1.1.1\" is not an IP address"));
}

static void test_dns_checks(void **state)
{
	assert_int_equal(dns_server_check("8.8.8.8", g_err, sizeof(g_err)), 0);
	assert_int_equal(dns_server_check("2001:db8::1", g_err, sizeof(g_err)), 0);
	assert_int_equal(dns_server_check("8.8.8", g_err, sizeof(g_err)), -1);
	assert_int_equal(dns_server_check("dns.google", g_err, sizeof(g_err)), -1);
	assert_int_equal(dns_search_check("example.com", g_err, sizeof(g_err)), 0);
	assert_int_equal(dns_search_check("a-b.c1", g_err, sizeof(g_err)), 0);
	assert_int_equal(dns_search_check(".", g_err, sizeof(g_err)), 0);
	assert_int_equal(dns_search_check("bad_domain", g_err, sizeof(g_err)), -1);
	assert_int_equal(dns_search_check("-a.com", g_err, sizeof(g_err)), -1);
	assert_int_equal(dns_search_check("a..com", g_err, sizeof(g_err)), -1);
	assert_int_equal(dns_search_check("", g_err, sizeof(g_err)), -1);
	char long_label[80];
	memset(long_label, 'a', 64);
	strcpy(long_label + 64, ".com");
	assert_int_equal(dns_search_check(long_label, g_err, sizeof(g_err)), -1);
	assert_int_equal(dns_option_check("ndots:2", g_err, sizeof(g_err)), 0);
	assert_int_equal(dns_option_check("ndots 2", g_err, sizeof(g_err)), -1);
	assert_int_equal(dns_option_check("", g_err, sizeof(g_err)), -1);
}

static void test_resolv_render(void **state)
{
	const char *host = "# comment\nnameserver 127.0.0.53\nsearch host.lan\noptions edns0\n";
	char *servers[] = {"10.0.0.1", "::1", NULL};
	char *search[] = {"a.test", "b.test", NULL};
	char *opts[] = {"ndots:3", NULL};
	char *dot[] = {".", NULL};
	char *t = resolv_conf_render(host, NULL, NULL, NULL);
	assert_string_equal(t, host);
	free(t);
	t = resolv_conf_render(host, servers, NULL, NULL);
	assert_string_equal(t, "# comment\nsearch host.lan\noptions edns0\nnameserver 10.0.0.1\n"
	                       "nameserver ::1\n");
	free(t);
	t = resolv_conf_render(host, NULL, search, opts);
	assert_string_equal(t, "# comment\nnameserver 127.0.0.53\nsearch a.test b.test\n"
	                       "options ndots:3\n");
	free(t);
	t = resolv_conf_render(host, NULL, dot, NULL);
	assert_string_equal(t, "# comment\nnameserver 127.0.0.53\noptions edns0\n");
	free(t);
	t = resolv_conf_render(NULL, servers, NULL, NULL);
	assert_string_equal(t, "nameserver 10.0.0.1\nnameserver ::1\n");
	free(t);
}

static void test_hosts_render(void **state)
{
	char *extra[] = {"db:10.0.0.5", "v6:[fe80::1]", NULL};
	char *t = hosts_render("myhost", extra);
	assert_non_null(strstr(t, "127.0.0.1\tlocalhost\n"));
	assert_non_null(strstr(t, "127.0.1.1\tmyhost\n10.0.0.5\tdb\nfe80::1\tv6\n"));
	free(t);
}

/* ------------------------------------------------------------------------ seccomp */

static bool has_line(const char *text, const char *line)
{
	size_t n = strlen(line);
	for (const char *p = text; (p = strstr(p, line)); p++) {
		if ((p == text || p[-1] == '\n') && (p[n] == '\n' || p[n] == '\0'))
			return true;
	}
	return false;
}

static void test_seccomp_profile(void **state)
{
	uint64_t defaults = (1 << 0) | (1 << 1) | (1 << 13) | (1 << 27);
	char err[256];
	char *p = seccomp_profile_render(defaults, false, false, err, sizeof(err));
	assert_true(strncmp(p, "2\ndenylist\n", 11) == 0);
	assert_true(has_line(p, "keyctl errno 1"));
	assert_true(has_line(p, "kexec_load errno 1"));
	assert_true(has_line(p, "mount errno 1"));
	assert_true(has_line(p, "unshare errno 1"));
	assert_true(has_line(p, "reboot errno 1"));
	assert_true(has_line(p, "clone3 errno 38"));
	assert_true(has_line(p, "clone errno 1 [0,268435456,SCMP_CMP_MASKED_EQ,268435456]"));
	assert_false(has_line(p, "umount2 errno 13 [1,1,SCMP_CMP_MASKED_EQ,1]"));
	free(p);

	/* A system container keeps what systemd needs, never kexec or keyrings. */
	uint64_t sys = defaults | (1 << 22);
	p = seccomp_profile_render(sys, true, false, err, sizeof(err));
	const char *allowed[] = {"mount",  "umount2",    "unshare", "reboot", "name_to_handle_at",
	                         "fsopen", "move_mount", NULL};
	char line[64];
	for (size_t i = 0; allowed[i]; i++) {
		snprintf(line, sizeof(line), "%s errno 1", allowed[i]);
		if (has_line(p, line))
			fail_msg("system container: %s blocked", allowed[i]);
	}
	assert_true(has_line(p, "kexec_load errno 1"));
	assert_true(has_line(p, "keyctl errno 1"));
	/* ... and no user namespace: clone and unshare refuse only that flag. */
	assert_true(has_line(p, "clone errno 1 [0,268435456,SCMP_CMP_MASKED_EQ,268435456]"));
	assert_true(has_line(p, "unshare errno 1 [0,268435456,SCMP_CMP_MASKED_EQ,268435456]"));
	assert_true(has_line(p, "clone3 errno 38"));
	assert_null(strstr(p, "clone errno 1 [0,131072"));
	/* liblxc's reject_force_umount: no umount -f of a mount shared with the host. */
	assert_true(has_line(p, "umount2 errno 13 [1,1,SCMP_CMP_MASKED_EQ,1]"));
	free(p);

	/* A user-remapped system container, or one with CAP_SYS_ADMIN, may make them. */
	p = seccomp_profile_render(sys, true, true, err, sizeof(err));
	assert_null(strstr(p, "clone"));
	assert_null(strstr(p, "unshare"));
	free(p);
	p = seccomp_profile_render(sys | (1ULL << 21), true, false, err, sizeof(err));
	assert_null(strstr(p, "clone"));
	assert_null(strstr(p, "unshare"));
	free(p);

	/* A capability given back lets its syscalls through. */
	p = seccomp_profile_render(defaults | (1ULL << 25) | (1ULL << 21), false, false, err,
	                           sizeof(err));
	assert_false(has_line(p, "clock_settime errno 1"));
	assert_false(has_line(p, "mount errno 1"));
	assert_false(has_line(p, "bpf errno 1"));
	assert_null(strstr(p, "clone"));
	assert_true(has_line(p, "keyctl errno 1"));
	free(p);
}

/* The daemon's default profile: a file's JSON in place of the compiled-in one, checked. */
static void test_seccomp_default_file(void **state)
{
	char err[256] = "";
	const char *nomkdir = "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":"
	                      "[\"mkdir\",\"mkdirat\"],\"action\":\"SCMP_ACT_ERRNO\"}]}";
	assert_int_equal(seccomp_profile_set_default(nomkdir, err, sizeof(err)), 0);
	char *p = seccomp_profile_render(0, false, false, err, sizeof(err));
	assert_string_equal(p, "2\ndenylist\nmkdir errno 1\nmkdirat errno 1\n");
	free(p);
	/* A bad one is refused and the one in place stays. */
	assert_int_equal(
	    seccomp_profile_set_default("{\"defaultAction\":\"SCMP_ACT_NOPE\"}", err, sizeof(err)),
	    -1);
	assert_non_null(strstr(err, "unsupported defaultAction SCMP_ACT_NOPE"));
	assert_int_equal(seccomp_profile_set_default("{\"defaultAction\":\"SCMP_ACT_ALLOW\","
	                                             "\"syscalls\":[{\"names\":[\"x\"],"
	                                             "\"action\":\"SCMP_ACT_ERRNO\",\"excludes\":"
	                                             "{\"userNamespaces\":1}}]}",
	                                             err, sizeof(err)),
	                 -1);
	assert_non_null(strstr(err, "excludes.userNamespaces must be true or false"));
	p = seccomp_profile_render(0, false, false, err, sizeof(err));
	assert_non_null(strstr(p, "mkdir errno 1"));
	free(p);
	/* NULL: the compiled-in one again. */
	assert_int_equal(seccomp_profile_set_default(NULL, err, sizeof(err)), 0);
	p = seccomp_profile_render(0, false, false, err, sizeof(err));
	assert_null(strstr(p, "mkdir"));
	assert_true(has_line(p, "keyctl errno 1"));
	free(p);
}

/* Renders are kept: the same text again (a copy of its own), and what a translation gives,
 * however many kinds were rendered in between. */
static void test_seccomp_render_kept(void **state)
{
	char err[256] = "";
	char *a = seccomp_profile_render(0, false, false, err, sizeof(err));
	char *b = seccomp_profile_render(0, false, false, err, sizeof(err));
	assert_non_null(a);
	assert_non_null(b);
	assert_ptr_not_equal(a, b);
	assert_string_equal(a, b);
	free(b);
	for (int i = 0; i < 20; i++)
		free(seccomp_profile_render(1ULL << i, i % 2, i % 3 == 0, err, sizeof(err)));
	b = seccomp_profile_render(0, false, false, err, sizeof(err));
	assert_string_equal(a, b);
	struct seccomp_target t = {.caps = 0};
	char *fresh = seccomp_json_translate(seccomp_default_json, &t, err, sizeof(err));
	assert_string_equal(a, fresh);
	free(fresh);
	free(a);
	free(b);
	/* Each kind its own text: a system container keeps mount. */
	a = seccomp_profile_render(0, true, false, err, sizeof(err));
	b = seccomp_profile_render(0, false, false, err, sizeof(err));
	assert_string_not_equal(a, b);
	free(a);
	free(b);
}

/* -------------------------------------------------------------------------- shm-size */

static void test_shm_size_units(void **state)
{
	/* --shm-size takes Docker's units and must be > 0 (the client refuses 0). */
	int64_t v;
	assert_int_equal(parse_byte_size("64m", &v), 0);
	assert_int_equal(v, 64LL << 20);
	assert_int_equal(parse_byte_size("1g", &v), 0);
	assert_int_equal(v, 1LL << 30);
	assert_int_equal(parse_byte_size("512k", &v), 0);
	assert_int_equal(v, 512LL << 10);
	assert_int_equal(parse_byte_size("4096b", &v), 0);
	assert_int_equal(v, 4096);
	assert_int_equal(parse_byte_size("-1", &v), -1);
	assert_int_equal(parse_byte_size("12x", &v), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_cap_names),
	    cmocka_unit_test(test_cap_list_check),
	    cmocka_unit_test(test_cap_compute),
	    cmocka_unit_test(test_sysctl_whitelist),
	    cmocka_unit_test(test_sysctl_namespaces),
	    cmocka_unit_test(test_sysctl_malformed),
	    cmocka_unit_test(test_sysctl_split),
	    cmocka_unit_test(test_pid_max_release),
	    cmocka_unit_test(test_device_spec),
	    cmocka_unit_test(test_device_spec_rejects),
	    cmocka_unit_test(test_device_cgroup_rule),
	    cmocka_unit_test(test_extra_host),
	    cmocka_unit_test(test_dns_checks),
	    cmocka_unit_test(test_resolv_render),
	    cmocka_unit_test(test_hosts_render),
	    cmocka_unit_test(test_seccomp_profile),
	    cmocka_unit_test(test_seccomp_default_file),
	    cmocka_unit_test(test_seccomp_render_kept),
	    cmocka_unit_test(test_shm_size_units),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
