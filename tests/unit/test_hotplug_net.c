/* The pure parts of hot-plugged NICs and routes: address parsing, a NIC's validation and
 * conflicts, list-nic's filter and output, route rules' parsing (bounded), checks, matching
 * and listing; the commands' record flows on a stopped container (live false: only the record
 * file changes). The live parts run on real links in tests/integration/test_hotplug_nic.sh. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "host/inet_addr.h"
#include "hotplug/nic.h"
#include "hotplug/route.h"

static void test_inet_prefix(void **state)
{
	struct inet_prefix p;
	assert_int_equal(inet_prefix_parse("172.17.28.5/24", &p), 0);
	assert_int_equal(p.family, AF_INET);
	assert_int_equal(p.len, 24);
	inet_prefix_mask(&p);
	char buf[64];
	assert_string_equal(inet_ntop(AF_INET, p.addr, buf, sizeof(buf)), "172.17.28.0");
	assert_int_equal(inet_prefix_parse("10.1.2.3/0", &p), 0);
	inet_prefix_mask(&p);
	assert_string_equal(inet_ntop(AF_INET, p.addr, buf, sizeof(buf)), "0.0.0.0");
	assert_int_equal(inet_prefix_parse("10.1.2.255/25", &p), 0);
	inet_prefix_mask(&p);
	assert_string_equal(inet_ntop(AF_INET, p.addr, buf, sizeof(buf)), "10.1.2.128");
	assert_int_equal(inet_prefix_parse("fd00::5/64", &p), 0);
	assert_int_equal(p.family, AF_INET6);
	assert_int_equal(p.len, 64);
	const char *bad[] = {"172.17.28.5",
	                     "172.17.28.5/33",
	                     "172.17.28.5/",
	                     "172.17.28.5/-1",
	                     "172.17.28.5/024",
	                     "172.17.28.300/24",
	                     "1.2.3/8",
	                     "/24",
	                     "",
	                     "fd00::5/129",
	                     "172.17.28.5/24 ",
	                     " 172.17.28.5/24",
	                     "a/b"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (inet_prefix_parse(bad[i], &p) == 0)
			fail_msg("accepted \"%s\"", bad[i]);
	assert_int_equal(inet_prefix_parse(NULL, &p), -1);
	assert_int_equal(inet_addr_parse("10.0.0.1", &p), 0);
	assert_int_equal(p.len, 32);
	assert_int_equal(inet_addr_parse("10.0.0.1/8", &p), -1);
	struct inet_prefix a, b;
	inet_prefix_parse("10.0.0.1/8", &a);
	inet_prefix_parse("10.0.0.1/24", &b);
	assert_true(inet_addr_equal(&a, &b));
}

static void test_mac(void **state)
{
	unsigned char m[6];
	assert_int_equal(mac_parse("02:42:ac:1E:01:02", m), 0);
	assert_int_equal(m[3], 0x1e);
	assert_int_equal(mac_parse("02-42-ac-1e-01-02", m), 0);
	const char *bad[] = {
	    "01:00:5e:00:00:01", "00:00:00:00:00:00",    "02:42:ac:1e:01", "02:42:ac:1e:01:0g",
	    "02:42-ac:1e:01:02", "02:42:ac:1e:01:02:03", "0242ac1e0102",   "",
	    "00:ff:48:13:xx:xx"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (mac_parse(bad[i], m) == 0)
			fail_msg("accepted \"%s\"", bad[i]);
}

static void test_ifname(void **state)
{
	assert_true(hp_ifname_valid("eth0"));
	assert_true(hp_ifname_valid("abcdefghijklmno")); /* 15 */
	assert_false(hp_ifname_valid("abcdefghijklmnop"));
	assert_false(hp_ifname_valid(""));
	assert_false(hp_ifname_valid("."));
	assert_false(hp_ifname_valid(".."));
	assert_false(hp_ifname_valid("a/b"));
	assert_false(hp_ifname_valid("a:b"));
	assert_false(hp_ifname_valid("a b"));
	assert_false(hp_ifname_valid("a\nb"));
	assert_false(hp_ifname_valid(NULL));
}

static void test_split_and_default_name(void **state)
{
	char *h, *c;
	struct error e;
	assert_int_equal(hp_nic_split_name("abc2:bcd2", &h, &c, &e), 0);
	assert_string_equal(h, "abc2");
	assert_string_equal(c, "bcd2");
	free(h);
	free(c);
	assert_int_equal(hp_nic_split_name("eth1", &h, &c, &e), 0);
	assert_null(h);
	assert_string_equal(c, "eth1");
	free(c);
	assert_int_equal(hp_nic_split_name(":eth1", &h, &c, &e), 0);
	assert_null(h);
	assert_string_equal(c, "eth1");
	free(c);
	assert_int_equal(hp_nic_split_name(NULL, &h, &c, &e), 0);
	assert_string_equal(c, "");
	free(c);
	char *d = hp_nic_default_host_name("eth1234567890");
	assert_non_null(d);
	assert_int_equal(strlen(d), 15);
	assert_memory_equal(d, "eth123456_", 10);
	assert_true(hp_ifname_valid(d));
	free(d);
}

static struct hp_nic nic(char *type, char *host, char *ctr, char *ip, char *mac, char *bridge,
                         int mtu, int qlen)
{
	return (struct hp_nic){.type = type,
	                       .host_name = host,
	                       .ctr_name = ctr,
	                       .ip = ip,
	                       .mac = mac,
	                       .bridge = bridge,
	                       .mtu = mtu,
	                       .qlen = qlen};
}

static void expect_invalid(struct hp_nic n, const char *msg)
{
	struct error e = {0};
	assert_int_equal(hp_nic_validate(&n, &e), -1);
	if (!strstr(e.msg, msg))
		fail_msg("expected \"%s\" in \"%s\"", msg, e.msg);
}

static void test_nic_validate(void **state)
{
	struct error e = {0};
	struct hp_nic ok =
	    nic("veth", "h1", "eth1", "10.0.0.2/24", "02:00:00:00:00:01", "br0", 1500, 1000);
	assert_int_equal(hp_nic_validate(&ok, &e), 0);
	struct hp_nic eth =
	    nic("eth", "enp4s0", "eth123", "172.17.28.6/24", NULL, NULL, 1300, 2100);
	assert_int_equal(hp_nic_validate(&eth, &e), 0);
	expect_invalid(nic("", "h", "c", "10.0.0.2/24", NULL, "b", 1500, 0), "unsupported type ");
	expect_invalid(nic("vlan", "h", "c", "10.0.0.2/24", NULL, "b", 1500, 0),
	               "unsupported type vlan");
	expect_invalid(nic("veth", "h", "", "10.0.0.2/24", NULL, "b", 1500, 0),
	               "failed to get container nic name");
	expect_invalid(nic("eth", NULL, "c", "10.0.0.2/24", NULL, NULL, 1500, 0),
	               "host nic name input error");
	expect_invalid(nic("veth", "h", "c", "10.0.0.2", NULL, "b", 1500, 0), "invalid IP address");
	expect_invalid(nic("veth", "h", "c", NULL, NULL, "b", 1500, 0), "invalid IP address");
	expect_invalid(nic("veth", "h", "c", "10.0.0.2/24", "zz", "b", 1500, 0),
	               "invalid MAC address");
	expect_invalid(nic("veth", "h", "c", "10.0.0.2/24", NULL, "b", 67, 0),
	               "Mtu must not be less than 68");
	expect_invalid(nic("veth", "h", "c", "10.0.0.2/24", NULL, "b", 65536, 0),
	               "Mtu must not be more");
	expect_invalid(nic("veth", "h", "c", "10.0.0.2/24", NULL, "b", 1500, -1),
	               "Qlen must not be less than 0");
	expect_invalid(nic("veth", "h", "c", "10.0.0.2/24", NULL, NULL, 1500, 0),
	               "bridge must be specified");
	expect_invalid(nic("eth", "h", "c", "10.0.0.2/24", NULL, "b", 1500, 0),
	               "for eth type, bridge cannot be set");
	expect_invalid(nic("veth", "h", "a/b", "10.0.0.2/24", NULL, "b", 1500, 0),
	               "invalid network interface name");
	expect_invalid(nic("veth", "waytoolonghostname", "c", "10.0.0.2/24", NULL, "b", 1500, 0),
	               "invalid network interface name");
}

static void test_nic_conflict_and_find(void **state)
{
	struct hp_nic nics[2] = {
	    nic("veth", "h1", "eth1", "10.0.0.2/24", "02:00:00:00:00:01", "br0", 1500, 1000),
	    nic("eth", "enp4s0", "eth2", "10.0.1.2/24", NULL, NULL, 1500, 1000),
	};
	struct hotplug_record r = {.nics = nics, .n_nics = 2};
	struct error e = {0};
	struct hp_nic n = nic("veth", "h9", "eth1", "10.0.9.2/24", NULL, "br0", 1500, 1000);
	assert_int_equal(hp_nic_conflict(&r, &n, (size_t)-1, &e), -1);
	assert_string_equal(e.msg, "interface name conflict: eth1");
	assert_int_equal(hp_nic_conflict(&r, &n, 0, &e), 0); /* itself skipped */
	n = nic("veth", "enp4s0", "eth9", "10.0.9.2/24", NULL, "br0", 1500, 1000);
	assert_int_equal(hp_nic_conflict(&r, &n, (size_t)-1, &e), -1);
	assert_string_equal(e.msg, "interface name conflict: enp4s0");
	n = nic("veth", "h9", "eth9", "10.0.9.2/24", "02:00:00:00:00:01", "br0", 1500, 1000);
	assert_int_equal(hp_nic_conflict(&r, &n, (size_t)-1, &e), -1);
	assert_string_equal(e.msg, "interface mac conflict: 02:00:00:00:00:01");
	n = nic("veth", "h9", "eth9", "10.0.1.2/16", NULL, "br0", 1500, 1000);
	assert_int_equal(hp_nic_conflict(&r, &n, (size_t)-1, &e), -1);
	assert_string_equal(e.msg, "interface ip conflict: 10.0.1.2/16");
	n = nic("veth", "h9", "eth9", "10.0.9.2/24", NULL, "br0", 1500, 1000);
	assert_int_equal(hp_nic_conflict(&r, &n, (size_t)-1, &e), 0);

	assert_int_equal(hp_nic_find(&r, NULL, "eth2", NULL), 1);
	assert_int_equal(hp_nic_find(&r, NULL, "enp4s0", NULL), 1); /* by its host name */
	assert_int_equal(hp_nic_find(&r, "enp4s0", "eth2", "eth"), 1);
	assert_int_equal(hp_nic_find(&r, "enp4s0", "eth2", "veth"), (size_t)-1);
	assert_int_equal(hp_nic_find(&r, "h1", "eth2", NULL), (size_t)-1);
	assert_int_equal(hp_nic_find(&r, NULL, "eth1", ""), 0);
	assert_int_equal(hp_nic_find(&r, NULL, "eth7", NULL), (size_t)-1);
}

static void test_nic_list(void **state)
{
	struct hp_nic nics[2] = {
	    nic("veth", "h1", "eth1", "10.0.0.2/24", "02:00:00:00:00:01", "br0", 1500, 1000),
	    nic("eth", "enp4s0", "eth2", "10.0.1.2/24", NULL, NULL, 1300, 2100),
	};
	struct hotplug_record r = {.nics = nics, .n_nics = 2};
	char *out = hp_nic_list_render(&r, NULL, false);
	assert_string_equal(out,
	                    "[{\"Ip\":\"10.0.0.2/24\",\"Mac\":\"02:00:00:00:00:01\",\"Mtu\":1500,"
	                    "\"Qlen\":1000,\"Type\":\"veth\",\"Bridge\":\"br0\",\"HostNicName\":"
	                    "\"h1\",\"CtrNicName\":\"eth1\"},{\"Ip\":\"10.0.1.2/24\",\"Mac\":\"\","
	                    "\"Mtu\":1300,\"Qlen\":2100,\"Type\":\"eth\",\"Bridge\":\"\","
	                    "\"HostNicName\":\"enp4s0\",\"CtrNicName\":\"eth2\"}]\n");
	free(out);
	struct hp_nic f;
	struct error e = {0};
	assert_int_equal(hp_nic_filter_parse("{\"ip\":\"10.0.1.2/24\", \"MTU\":1300}", &f, &e), 0);
	out = hp_nic_list_render(&r, &f, true);
	assert_non_null(strstr(out, "\"CtrNicName\": \"eth2\""));
	assert_null(strstr(out, "eth1"));
	assert_int_equal(out[strlen(out) - 1], '\n');
	free(out);
	hp_nic_free(&f);
	assert_int_equal(hp_nic_filter_parse("{\"qlen\":7}", &f, &e), 0);
	out = hp_nic_list_render(&r, &f, false);
	assert_string_equal(out, ""); /* none: nothing, as the original */
	free(out);
	hp_nic_free(&f);
	assert_int_equal(hp_nic_filter_parse("{\"ip\":", &f, &e), -1);
	assert_non_null(strstr(e.msg, "failed to parse filter"));
	assert_int_equal(hp_nic_filter_parse("[]", &f, &e), -1);
	assert_int_equal(hp_nic_filter_parse("{\"Mtu\":\"x\"}", &f, &e), -1);
	assert_int_equal(hp_nic_filter_parse("{\"Ip\":1}", &f, &e), -1);
	assert_int_equal(hp_nic_filter_parse("{\"colour\":\"red\"}", &f, &e), -1);
	assert_non_null(strstr(e.msg, "unknown key"));
}

static void parse_ok(const char *text, size_t want)
{
	struct hp_route *v;
	size_t n;
	struct error e = {0};
	if (hp_routes_parse(text, strlen(text), &v, &n, &e) < 0)
		fail_msg("rejected %s: %s", text, e.msg);
	assert_int_equal(n, want);
	hp_routes_free(v, n);
}

static void parse_bad(const char *text, size_t len, const char *msg)
{
	struct hp_route *v = (void *)1;
	size_t n = 7;
	struct error e = {0};
	assert_int_equal(hp_routes_parse(text, len, &v, &n, &e), -1);
	assert_null(v);
	assert_int_equal(n, 0);
	if (!strstr(e.msg, msg))
		fail_msg("expected \"%s\" in \"%s\"", msg, e.msg);
}

static void test_routes_parse(void **state)
{
	struct hp_route *v;
	size_t n;
	struct error e = {0};
	const char *t = "[{\"dest\":\"default\", \"gw\":\"192.168.10.1\"},"
	                "{\"DEST\":\"192.168.0.0/16\",\"dev\":\"eth0\",\"Src\":\"192.168.1.2\"}]";
	assert_int_equal(hp_routes_parse(t, strlen(t), &v, &n, &e), 0);
	assert_int_equal(n, 2);
	assert_string_equal(v[0].dest, "default");
	assert_string_equal(v[0].gw, "192.168.10.1");
	assert_null(v[0].src);
	assert_null(v[0].dev);
	assert_string_equal(v[1].dest, "192.168.0.0/16");
	assert_string_equal(v[1].src, "192.168.1.2");
	hp_routes_free(v, n);
	parse_ok("[{\"dest\":\"\",\"gw\":\"1.2.3.4\",\"src\":null}]", 1);
	/* The length bounds the text: what follows is not read. */
	assert_int_equal(hp_routes_parse("[{\"dev\":\"eth0\"}]garbage", 16, &v, &n, &e), 0);
	hp_routes_free(v, n);

	parse_bad("", 0, "rule can't be empty");
	parse_bad(NULL, 0, "rule can't be empty");
	parse_bad("[]", 2, "rule can't be empty");
	parse_bad("[{\"dest\":", 9, "malformed rule format");
	parse_bad("{\"dest\":\"default\"}", 18, "expected a JSON array");
	parse_bad("[1]", 3, "expected an object");
	parse_bad("[{\"dest\":1}]", 12, "\"dest\" is not a string");
	parse_bad("[{\"gateway\":\"1.2.3.4\"}]", 23, "unknown key \"gateway\"");
	parse_bad("[{\"dev\":\"a\\u0001\"}]", 19, "control character");
	parse_bad("[{\"dev\":\"eth0\"}]\0x", 18, "NUL byte");
	char deep[300];
	memset(deep, '[', sizeof(deep));
	parse_bad(deep, sizeof(deep), "malformed rule format");
	/* Too many rules, too long a field, too long a text. */
	size_t cap = 40 * (HOTPLUG_MAX_ROUTES + 2);
	char *many = malloc(cap), *p = many;
	*p++ = '[';
	for (int i = 0; i <= HOTPLUG_MAX_ROUTES; i++)
		p += sprintf(p, "%s{\"dev\":\"e%d\"}", i ? "," : "", i);
	*p++ = ']';
	parse_bad(many, (size_t)(p - many), "more than");
	free(many);
	char longf[200];
	snprintf(longf, sizeof(longf), "[{\"dev\":\"%0100d\"}]", 0);
	parse_bad(longf, strlen(longf), "longer than");
	char *huge = calloc(1, HP_ROUTE_TEXT_MAX + 2);
	memset(huge, ' ', HP_ROUTE_TEXT_MAX + 1);
	parse_bad(huge, HP_ROUTE_TEXT_MAX + 1, "longer than");
	free(huge);
}

static void route_bad(struct hp_route r, const char *msg)
{
	struct error e = {0};
	assert_int_equal(hp_route_validate(&r, &e), -1);
	if (!strstr(e.msg, msg))
		fail_msg("expected \"%s\" in \"%s\"", msg, e.msg);
}

static void test_route_validate(void **state)
{
	struct error e = {0};
	struct hp_route ok[] = {
	    {.dest = "default", .gw = "192.168.10.1"},
	    {.gw = "192.168.10.1"},
	    {.dest = "192.168.0.0/16", .dev = "eth0", .src = "192.168.1.2"},
	    {.dest = "172.17.28.5/24", .dev = "eth0"},
	    {.dest = "fd00::/64", .gw = "fd00::1"},
	};
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		if (hp_route_validate(&ok[i], &e) < 0)
			fail_msg("rule %zu: %s", i, e.msg);
	route_bad((struct hp_route){.dest = "10.0.0.0/8"}, "src or gw or dev name is required");
	route_bad((struct hp_route){.dest = "10.0.0.0/33", .dev = "eth0"},
	          "failed to parse dest \"10.0.0.0/33\" of route rule");
	route_bad((struct hp_route){.dest = "10.0.0.0", .dev = "eth0"}, "failed to parse dest");
	route_bad((struct hp_route){.gw = "10.0.0.x"}, "failed to parse gw \"10.0.0.x\"");
	route_bad((struct hp_route){.src = "10.0.0.1/8", .dev = "eth0"}, "failed to parse src");
	route_bad((struct hp_route){.dest = "10.0.0.0/8", .gw = "fd00::1"}, "mixes IPv4 and IPv6");
	route_bad((struct hp_route){.dev = "a/b"}, "invalid dev");
}

static void test_route_match_and_list(void **state)
{
	struct hp_route routes[] = {
	    {.dest = "default", .gw = "192.168.10.1"},
	    {.dest = "192.168.0.0/16", .dev = "eth0", .src = "192.168.1.2"},
	};
	struct hotplug_record r = {.routes = routes, .n_routes = 2};
	assert_true(hp_route_match(&(struct hp_route){.dest = "default"}, &routes[0]));
	assert_true(hp_route_match(&(struct hp_route){.gw = "192.168.10.1"}, &routes[0]));
	assert_true(hp_route_match(&(struct hp_route){.dest = ""}, &routes[1]));
	assert_true(hp_route_match(&(struct hp_route){.dev = "eth0"}, &routes[1]));
	assert_false(hp_route_match(&(struct hp_route){.dest = "default"}, &routes[1]));
	assert_false(hp_route_match(&(struct hp_route){.dev = "eth1"}, &routes[1]));
	assert_true(hp_route_match(&(struct hp_route){.dest = "default"},
	                           &(struct hp_route){.gw = "1.1.1.1"})); /* "" is default */
	char buf[128];
	assert_string_equal(hp_route_str(&routes[1], buf, sizeof(buf)),
	                    "{dest:192.168.0.0/16,src:192.168.1.2,gw:,dev:eth0}");
	char *out = hp_route_list_render(&r, NULL, false);
	assert_string_equal(out,
	                    "[{\"dest\":\"default\",\"src\":\"\",\"gw\":\"192.168.10.1\","
	                    "\"dev\":\"\"},{\"dest\":\"192.168.0.0/16\",\"src\":\"192.168.1.2\","
	                    "\"gw\":\"\",\"dev\":\"eth0\"}]\n");
	free(out);
	struct hp_route f;
	struct error e = {0};
	assert_int_equal(hp_route_filter_parse("{\"Dev\":\"eth0\"}", &f, &e), 0);
	out = hp_route_list_render(&r, &f, false);
	assert_null(strstr(out, "default"));
	free(out);
	hp_route_free(&f);
	assert_int_equal(hp_route_filter_parse("[{}]", &f, &e), -1);
	assert_non_null(strstr(e.msg, "malformed filter format"));
	assert_int_equal(hp_route_filter_parse("{", &f, &e), -1);
	struct hotplug_record empty = {0};
	out = hp_route_list_render(&empty, NULL, true);
	assert_string_equal(out, "");
	free(out);
}

static struct netlink_link_ident link_of(int idx, const char *kind, const char *perm,
                                         const char *parent)
{
	struct netlink_link_ident l;
	memset(&l, 0, sizeof(l));
	l.ifindex = idx;
	snprintf(l.kind, sizeof(l.kind), "%s", kind);
	if (perm) { /* 6 bytes, zeros among them */
		l.perm_len = 6;
		memcpy(l.perm, perm, l.perm_len);
	}
	if (parent) {
		snprintf(l.parent, sizeof(l.parent), "%s", parent);
		snprintf(l.parent_bus, sizeof(l.parent_bus), "pci");
	}
	return l;
}

/* What tells the NIC given from a link the container made under its name. */
static void test_nic_link_is(void **state)
{
	(void)state;
	/* A physical NIC: no kind, a permanent address and a parent, whatever its index. */
	struct netlink_link_ident nic = link_of(7, "", "\x02\x42\xac\x11\x00\x02", "0000:00:03.0");
	struct netlink_link_ident l = nic;
	assert_true(hp_nic_link_is(&nic, &l));
	l.ifindex = 9; /* moved out and in again */
	assert_true(hp_nic_link_is(&nic, &l));
	l = link_of(7, "macvlan", "\x02\x42\xac\x11\x00\x02", "0000:00:03.0");
	assert_false(hp_nic_link_is(&nic, &l)); /* the same index and address, another kind */
	l = link_of(7, "", "\x02\x42\xac\x11\x00\x03", "0000:00:03.0");
	assert_false(hp_nic_link_is(&nic, &l)); /* another NIC */
	l = link_of(7, "", "\x02\x42\xac\x11\x00\x02", "0000:00:04.0");
	assert_false(hp_nic_link_is(&nic, &l));
	l = link_of(7, "", NULL, NULL);
	assert_false(hp_nic_link_is(&nic, &l)); /* lo renamed: no address, no parent */
	/* A virtual link standing in for one: its kind and index. */
	struct netlink_link_ident ifb = link_of(12, "ifb", NULL, NULL);
	l = ifb;
	assert_true(hp_nic_link_is(&ifb, &l));
	l.ifindex = 13; /* another ifb made under its name */
	assert_false(hp_nic_link_is(&ifb, &l));
	l = link_of(12, "bridge", NULL, NULL);
	assert_false(hp_nic_link_is(&ifb, &l));
	l = link_of(12, "ifb", "\x02\x00\x00\x00\x00\x01", NULL);
	assert_false(hp_nic_link_is(&ifb, &l));
}

static void test_nic_ids_file(void **state)
{
	(void)state;
	struct hp_nic_ids ids = {0}, back;
	struct hp_nic_id a = {.host_name = "enp3s0"}, b = {.host_name = "hpd1a"};
	struct error e = {0};
	a.link = link_of(7, "", "\x02\x42\xac\x11\x00\x02", "0000:00:03.0");
	snprintf(a.link.name, sizeof(a.link.name), "eth1");
	b.link = link_of(12, "ifb", NULL, NULL);
	snprintf(b.link.name, sizeof(b.link.name), "eth2");
	assert_int_equal(hp_nic_ids_put(&ids, &a), 0);
	assert_int_equal(hp_nic_ids_put(&ids, &b), 0);
	b.link.ifindex = 14;
	assert_int_equal(hp_nic_ids_put(&ids, &b), 0); /* replaces */
	assert_int_equal(ids.n, 2);
	char *text = hp_nic_ids_render(&ids);
	assert_non_null(text);
	assert_string_equal(text,
	                    "{\"enp3s0\":{\"ctr\":\"eth1\",\"ifindex\":7,\"kind\":\"\",\"perm\":"
	                    "\"02:42:ac:11:00:02\",\"parent\":\"0000:00:03.0\",\"bus\":\"pci\"},"
	                    "\"hpd1a\":{\"ctr\":\"eth2\",\"ifindex\":14,\"kind\":\"ifb\",\"perm\":"
	                    "\"\",\"parent\":\"\",\"bus\":\"\"}}\n");
	assert_int_equal(hp_nic_ids_parse(text, &back, &e), 0);
	free(text);
	assert_int_equal(back.n, 2);
	const struct hp_nic_id *got = hp_nic_ids_find(&back, "enp3s0");
	assert_non_null(got);
	assert_memory_equal(&got->link, &a.link, sizeof(a.link));
	got = hp_nic_ids_find(&back, "hpd1a");
	assert_non_null(got);
	assert_memory_equal(&got->link, &b.link, sizeof(b.link));
	hp_nic_ids_drop(&back, "enp3s0");
	assert_int_equal(back.n, 1);
	assert_null(hp_nic_ids_find(&back, "enp3s0"));
	hp_nic_ids_free(&back);
	hp_nic_ids_free(&ids);

	const char *bad[] = {
	    "[]",
	    "{\"a\":1}",
	    "{\"a\":{\"ctr\":\"eth1\",\"ifindex\":0,\"kind\":\"\",\"perm\":\"\",\"parent\":\"\","
	    "\"bus\":\"\"}}",
	    "{\"a/b\":{\"ctr\":\"eth1\",\"ifindex\":3,\"kind\":\"\",\"perm\":\"\",\"parent\":\"\","
	    "\"bus\":\"\"}}",
	    "{\"a\":{\"ctr\":\"eth1\",\"ifindex\":3,\"kind\":\"\",\"perm\":\"0g\",\"parent\":\"\","
	    "\"bus\":\"\"}}",
	    "{\"a\":{\"ctr\":\"eth1\",\"ifindex\":3,\"kind\":\"\",\"perm\":\"01:\",\"parent\":\"\","
	    "\"bus\":\"\"}}",
	    "{\"a\":{\"ctr\":\"eth1\",\"ifindex\":3,\"kind\":\"x\\n\",\"perm\":\"\",\"parent\":"
	    "\"\",\"bus\":\"\"}}",
	    "{\"a\":{\"ctr\":\"eth1\",\"ifindex\":3,\"kind\":\"\",\"perm\":\"\",\"parent\":\"\"}}",
	    "{\"a\":{\"ctr\":\"eth1\",\"ifindex\":3,\"kind\":\"\",\"perm\":\"\",\"parent\":\"\","
	    "\"bus\":\"\"},\"a\":{\"ctr\":\"eth2\",\"ifindex\":4,\"kind\":\"\",\"perm\":\"\","
	    "\"parent\":\"\",\"bus\":\"\"}}",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct error be = {0};
		assert_int_equal(hp_nic_ids_parse(bad[i], &back, &be), -1);
		assert_int_equal(back.n, 0);
		assert_null(back.v);
	}
}

/* A stopped container whose record lives in a fresh directory. */
static void stopped_target(struct hotplug_target *t, char *dir)
{
	assert_non_null(mkdtemp(dir));
	memset(t, 0, sizeof(*t));
	t->id = "0123abcd";
	t->name = "c1";
	t->dir = dir;
	t->pin.pidfd = -1;
}

static void remove_record(const char *dir)
{
	char path[256];
	snprintf(path, sizeof(path), "%s/" HOTPLUG_RECORD_FILE, dir);
	unlink(path);
	rmdir(dir);
}

static void test_route_ops_record(void **state)
{
	char dir[] = "/tmp/hp-route-XXXXXX";
	struct hotplug_target t;
	struct hotplug_record r = {0}, back = {0};
	struct hp_route *rules;
	size_t n;
	struct error e = {0};
	char *text = NULL;
	size_t len = 0;
	stopped_target(&t, dir);
	const char *json = "[{\"dest\":\"10.9.0.0/16\",\"gw\":\"10.0.0.1\"},"
	                   "{\"dest\":\"default\",\"dev\":\"eth1\"}]";
	assert_int_equal(hp_routes_parse(json, strlen(json), &rules, &n, &e), 0);
	assert_int_equal(hp_routes_check(rules, n, &e), 0);
	FILE *out = open_memstream(&text, &len);
	assert_int_equal(hotplug_routes_add(&t, &r, false, rules, n, out, &e), 0);
	fclose(out);
	assert_string_equal(text,
	                    "Add route to container c1, route: "
	                    "{dest:10.9.0.0/16,src:,gw:10.0.0.1,dev:} done\n"
	                    "Add route to container c1, route: {dest:default,src:,gw:,dev:eth1} "
	                    "done\n");
	free(text);
	assert_int_equal(hotplug_record_load(dir, &back, &e), 0);
	assert_int_equal(back.n_routes, 2);
	hotplug_record_free(&back);
	/* Again: refused, the record as it was. */
	assert_int_equal(hotplug_routes_add(&t, &r, false, rules, 1, NULL, &e), -1);
	assert_string_equal(e.msg, "failed to add route: route "
	                           "{dest:10.9.0.0/16,src:,gw:10.0.0.1,dev:} alread exist");
	assert_int_equal(r.n_routes, 2);
	hp_routes_free(rules, n);

	const char *dup = "[{\"dev\":\"eth2\"},{\"dest\":\"10.1.0.0/16\",\"dev\":\"eth2\"}]";
	assert_int_equal(hp_routes_parse(dup, strlen(dup), &rules, &n, &e), 0);
	assert_int_equal(hp_routes_check(rules, n, &e), -1);
	assert_string_equal(e.msg, "failed to add route: route "
	                           "{dest:10.1.0.0/16,src:,gw:,dev:eth2} alread exist");
	hp_routes_free(rules, n);

	const char *rm = "[{\"dev\":\"eth1\"}]";
	assert_int_equal(hp_routes_parse(rm, strlen(rm), &rules, &n, &e), 0);
	out = open_memstream(&text, &len);
	assert_int_equal(hotplug_routes_remove(&t, &r, false, rules, n, out, &e), 0);
	fclose(out);
	assert_string_equal(text, "Remove route from container c1, route: "
	                          "{dest:default,src:,gw:,dev:eth1} done\n");
	free(text);
	assert_int_equal(r.n_routes, 1);
	assert_int_equal(hotplug_routes_remove(&t, &r, false, rules, n, NULL, &e), -1);
	assert_string_equal(e.msg,
	                    "failed to remove route: Route({dest:,src:,gw:,dev:eth1}) is not "
	                    "added by isulad-tools, can not remove it, please check input "
	                    "parameter.");
	assert_int_equal(hotplug_record_load(dir, &back, &e), 0);
	assert_int_equal(back.n_routes, 1);
	assert_string_equal(back.routes[0].dest, "10.9.0.0/16");
	hotplug_record_free(&back);
	hp_routes_free(rules, n);
	hotplug_record_free(&r);
	remove_record(dir);
}

static void test_nic_ops_record(void **state)
{
	char dir[] = "/tmp/hp-nic-XXXXXX";
	struct hotplug_target t;
	struct hotplug_record r = {0}, back = {0};
	struct error e = {0};
	char *text = NULL;
	size_t len = 0;
	stopped_target(&t, dir);
	assert_int_equal(
	    hotplug_record_parse(
	        "{\"networkInterfaces\":[{\"Ip\":\"10.0.0.2/24\",\"Mtu\":1500,\"Qlen\":1000,"
	        "\"Type\":\"veth\",\"Bridge\":\"br0\",\"HostNicName\":\"veth_h\",\"CtrNicName\":"
	        "\"eth1\"},{\"Ip\":\"10.0.1.2/24\",\"Mtu\":1500,\"Qlen\":1000,\"Type\":\"eth\","
	        "\"HostNicName\":\"dummy0\",\"CtrNicName\":\"eth2\"}]}",
	        &r, &e),
	    0);
	assert_int_equal(hp_nic_count_eth(&r), 1);

	struct hp_nic_change c = {"eth1", "10.0.0.3/24", NULL, NULL, 9000, -1};
	FILE *out = open_memstream(&text, &len);
	assert_int_equal(hotplug_nic_update(&t, &r, false, &c, out, &e), 0);
	fclose(out);
	assert_string_equal(text,
	                    "Update IP address for network interface (eth1,10.0.0.3/24) done\n"
	                    "Update Mtu for network interface (eth1,9000) done\n");
	free(text);
	assert_int_equal(hotplug_record_load(dir, &back, &e), 0);
	assert_string_equal(back.nics[0].ip, "10.0.0.3/24");
	assert_int_equal(back.nics[0].mtu, 9000);
	hotplug_record_free(&back);
	/* The same settings: nothing to do, nothing said. */
	out = open_memstream(&text, &len);
	assert_int_equal(hotplug_nic_update(&t, &r, false, &c, out, &e), 0);
	fclose(out);
	assert_string_equal(text, "");
	free(text);
	/* Another NIC's address, an unknown NIC, a bad MTU: refused, the record unchanged. */
	struct hp_nic_change taken = {"eth1", "10.0.1.2/24", NULL, NULL, 0, -1};
	assert_int_equal(hotplug_nic_update(&t, &r, false, &taken, NULL, &e), -1);
	assert_string_equal(
	    e.msg, "failed to upadte nic in container: interface ip conflict: 10.0.1.2/24");
	struct hp_nic_change unknown = {"eth9", NULL, NULL, NULL, 0, 5};
	assert_int_equal(hotplug_nic_update(&t, &r, false, &unknown, NULL, &e), -1);
	assert_string_equal(e.msg, "failed to upadte nic in container: Network interface eth9 not "
	                           "exist in container c1");
	struct hp_nic_change bad_mtu = {"eth1", NULL, NULL, NULL, 50, -1};
	assert_int_equal(hotplug_nic_update(&t, &r, false, &bad_mtu, NULL, &e), -1);
	assert_int_equal(strncmp(e.msg, "invalid network option: ", 24), 0);
	assert_string_equal(r.nics[0].ip, "10.0.0.3/24");
	assert_int_equal(r.nics[0].mtu, 9000);

	out = open_memstream(&text, &len);
	assert_int_equal(hotplug_nic_remove(&t, &r, false, NULL, "eth1", "veth", out, &e), 0);
	fclose(out);
	assert_string_equal(text,
	                    "Remove network interface (veth_h) from container (c1,eth1) done\n");
	free(text);
	assert_int_equal(hotplug_nic_remove(&t, &r, false, NULL, "eth2", "veth", NULL, &e), -1);
	assert_string_equal(e.msg, "failed to remove nic from container: Network interface ,eth2 "
	                           "with type veth not exist in container c1");
	assert_int_equal(hotplug_record_load(dir, &back, &e), 0);
	assert_int_equal(back.n_nics, 1);
	assert_int_equal(hp_nic_count_eth(&back), 1);
	hotplug_record_free(&back);
	hotplug_record_free(&r);
	remove_record(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_inet_prefix),      cmocka_unit_test(test_mac),
	    cmocka_unit_test(test_ifname),           cmocka_unit_test(test_split_and_default_name),
	    cmocka_unit_test(test_nic_validate),     cmocka_unit_test(test_nic_conflict_and_find),
	    cmocka_unit_test(test_nic_list),         cmocka_unit_test(test_routes_parse),
	    cmocka_unit_test(test_route_validate),   cmocka_unit_test(test_route_match_and_list),
	    cmocka_unit_test(test_nic_link_is),      cmocka_unit_test(test_nic_ids_file),
	    cmocka_unit_test(test_route_ops_record), cmocka_unit_test(test_nic_ops_record),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
