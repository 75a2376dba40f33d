#include "network.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include "core/fileutil.h"
#include "core/idgen.h"
#include "core/json.h"
#include "core/log.h"
#include "core/proc_spawn.h"
#include "core/strv.h"
#include "core/timeutil.h"
#include "engine/cni_exec.h"
#include "engine/lxc_conf.h"
#include "host/inet_addr.h"

struct network_settings g_net;

/* Serialises creations and removals in this daemon; the flock below does it across daemons
 * (two daemons must not take the same free subnet). */
static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;
#define SUBNET_LOCK "/run/lock/isulad-cni-subnets.lock"
#define CONFLIST_SUFFIX ".conflist"

void network_info_free(struct network_info *n)
{
	free(n->name);
	free(n->id);
	free(n->subnet);
	free(n->gateway);
	free(n->bridge);
	free(n->created);
	strv_free(n->labels);
	memset(n, 0, sizeof(*n));
}

static char *conflist_path(const char *name)
{
	char file[CNI_NAME_MAX + sizeof(CONFLIST_SUFFIX) + 1];
	snprintf(file, sizeof(file), "%s%s", name, CONFLIST_SUFFIX);
	return path_join(g_net.conf_dir, file);
}

static char *dup_str(const char *s)
{
	return s ? strdup(s) : NULL;
}

static void info_from(const struct cni_conflist *l, struct network_info *info)
{
	memset(info, 0, sizeof(*info));
	yajl_val meta = json_get(l->root, "isulad");
	info->name = strdup(l->name);
	info->id = dup_str(json_get_str(meta, "id"));
	if (!info->id)
		info->id = strdup(l->name);
	info->created = dup_str(json_get_str(meta, "created"));
	info->internal = json_get_bool(meta, "internal", false);
	yajl_val labels = json_get(meta, "labels");
	for (size_t i = 0; labels && YAJL_IS_OBJECT(labels) && i < labels->u.object.len; i++) {
		const char *v = YAJL_IS_STRING(labels->u.object.values[i])
		                    ? YAJL_GET_STRING(labels->u.object.values[i])
		                    : "";
		strv_pushf(&info->labels, "%s=%s", labels->u.object.keys[i], v);
	}
	/* The subnet, gateway and bridge are read from the plugins themselves. */
	for (size_t i = 0; i < l->n; i++) {
		yajl_val p = l->plugins[i];
		if (!info->bridge && json_get_str(p, "bridge"))
			info->bridge = strdup(json_get_str(p, "bridge"));
		yajl_val ranges = json_get(json_get(p, "ipam"), "ranges");
		if (!info->subnet && ranges && YAJL_IS_ARRAY(ranges) && ranges->u.array.len > 0) {
			yajl_val set = ranges->u.array.values[0];
			yajl_val r = YAJL_IS_ARRAY(set) && set->u.array.len > 0
			                 ? set->u.array.values[0]
			                 : NULL;
			info->subnet = dup_str(json_get_str(r, "subnet"));
			info->gateway = dup_str(json_get_str(r, "gateway"));
		}
	}
}

static int load_file(const char *name, struct cni_conflist *l, struct network_info *info,
                     struct error *e)
{
	char *path = conflist_path(name);
	char *text = path ? read_file(path, 1 << 20, NULL) : NULL;
	if (!text) {
		int saved = errno;
		free(path);
		if (saved == ENOENT)
			return error_set(e, ERR_NOT_FOUND, "network %s not found", name);
		return error_set(e, ERR_INTERNAL, "cannot read the network %s: %s", name,
		                 strerror(saved));
	}
	struct cni_conflist tmp;
	char err[512];
	int ret = cni_conflist_parse(text, &tmp, err, sizeof(err));
	if (ret < 0)
		error_set(e, ERR_INTERNAL, "%s: %s", path, err);
	free(text);
	free(path);
	if (ret < 0)
		return -1;
	if (info)
		info_from(&tmp, info);
	if (l)
		*l = tmp;
	else
		cni_conflist_free(&tmp);
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char **network_names(void)
{
	char **names = NULL;
	DIR *d = opendir(g_net.conf_dir);
	struct dirent *de;
	while (d && (de = readdir(d))) {
		size_t len = strlen(de->d_name), sl = strlen(CONFLIST_SUFFIX);
		if (len <= sl || strcmp(de->d_name + len - sl, CONFLIST_SUFFIX) != 0)
			continue;
		char name[256];
		snprintf(name, sizeof(name), "%.*s", (int)(len - sl), de->d_name);
		if (cni_name_ok(name))
			strv_push(&names, name);
	}
	if (d)
		closedir(d);
	if (names)
		qsort(names, strv_len(names), sizeof(char *), cmp_str);
	return names;
}

int network_get(const char *ref, struct cni_conflist *l, struct network_info *info, struct error *e)
{
	if (!ref || !*ref)
		return error_set(e, ERR_NOT_FOUND, "network name is empty");
	if (cni_name_ok(ref) && load_file(ref, l, info, e) == 0)
		return 0;
	/* An id prefix (docker network inspect ID). */
	char **names = network_names();
	char *match = NULL;
	int found = 0;
	for (size_t i = 0; names && names[i]; i++) {
		struct network_info ni;
		struct error ignore;
		if (load_file(names[i], NULL, &ni, &ignore) == 0 &&
		    strncmp(ni.id, ref, strlen(ref)) == 0) {
			found++;
			free(match);
			match = strdup(names[i]);
		}
		network_info_free(&ni);
	}
	strv_free(names);
	int ret;
	if (found == 1)
		ret = load_file(match, l, info, e);
	else if (found > 1)
		ret = error_set(e, ERR_INVALID, "network %s is ambiguous", ref);
	else
		ret = error_set(e, ERR_NOT_FOUND, "network %s not found", ref);
	free(match);
	return ret;
}

/* IPv4 prefix as host-order network/mask. */
struct v4net {
	uint32_t net, mask;
};

static int v4_parse(const char *cidr, struct v4net *out)
{
	struct inet_prefix p;
	if (inet_prefix_parse(cidr, &p) < 0 || p.family != AF_INET)
		return -1;
	uint32_t a;
	memcpy(&a, p.addr, 4);
	out->mask = p.len == 0 ? 0 : 0xffffffffu << (32 - p.len);
	out->net = ntohl(a) & out->mask;
	return 0;
}

static bool v4_overlap(struct v4net a, struct v4net b)
{
	uint32_t m = a.mask & b.mask;
	return (a.net & m) == (b.net & m);
}

bool network_contains(const struct network_info *info, const char *ip)
{
	struct v4net n;
	struct in_addr a;
	if (!info->subnet || v4_parse(info->subnet, &n) < 0 || inet_pton(AF_INET, ip, &a) != 1)
		return false;
	return (ntohl(a.s_addr) & n.mask) == n.net;
}

/* What a new subnet must not overlap: the host's routes (but the default one) and every
 * network's subnet. The route or network it overlaps is written into what. */
static bool subnet_taken(struct v4net s, char *what, size_t whatlen)
{
	FILE *f = fopen("/proc/net/route", "re");
	char line[512];
	bool taken = false;
	while (f && !taken && fgets(line, sizeof(line), f)) {
		char ifname[64];
		unsigned dest, gw, flags, refcnt, use, metric, mask;
		if (sscanf(line, "%63s %x %x %x %u %u %u %x", ifname, &dest, &gw, &flags, &refcnt,
		           &use, &metric, &mask) != 8 ||
		    mask == 0)
			continue;
		struct v4net r = {ntohl(dest) & ntohl(mask), ntohl(mask)};
		if (v4_overlap(s, r)) {
			struct in_addr a = {.s_addr = dest};
			snprintf(what, whatlen, "the route %s of %s", inet_ntoa(a), ifname);
			taken = true;
		}
	}
	if (f)
		fclose(f);
	char **names = network_names();
	for (size_t i = 0; !taken && names && names[i]; i++) {
		struct network_info ni;
		struct error ignore;
		struct v4net other;
		if (load_file(names[i], NULL, &ni, &ignore) == 0 && ni.subnet &&
		    v4_parse(ni.subnet, &other) == 0 && v4_overlap(s, other)) {
			snprintf(what, whatlen, "network %s (%s)", ni.name, ni.subnet);
			taken = true;
		}
		network_info_free(&ni);
	}
	strv_free(names);
	return taken;
}

static void v4_text(uint32_t host_order, char *out, size_t len)
{
	struct in_addr a = {.s_addr = htonl(host_order)};
	inet_ntop(AF_INET, &a, out, (socklen_t)len);
}

/* A free subnet, Docker's pools: 172.17-31.0.0/16, then 192.168.N.0/20. */
static int pick_subnet(char *subnet, size_t len)
{
	char what[128];
	for (int i = 0; i < 31; i++) {
		struct v4net s;
		if (i < 15)
			s = (struct v4net){(172u << 24) | ((17u + i) << 16), 0xffff0000u};
		else
			s = (struct v4net){(192u << 24) | (168u << 16) | ((unsigned)(i - 15) << 12),
			                   0xfffff000u};
		if (subnet_taken(s, what, sizeof(what)))
			continue;
		char net[32];
		v4_text(s.net, net, sizeof(net));
		snprintf(subnet, len, "%s/%d", net, i < 15 ? 16 : 20);
		return 0;
	}
	return -1;
}

/* A bridge name of at most 15 characters that two daemons with other conf dirs never share. */
static void bridge_name(const char *name, char *out, size_t len)
{
	uint32_t h = 2166136261u;
	for (const char *s = g_net.conf_dir; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	h = (h ^ '/') * 16777619u;
	for (const char *s = name; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	snprintf(out, len, "isl%08x", h);
}

/* Runs argv[0] (ip, iptables) found in PATH: 0, or -1 with its output in err. */
static int run_ip(char *const argv[], char *err, size_t errlen)
{
	struct spawn_capture cap;
	if (spawn_capture(argv[0], argv, SPAWN_SEARCH_PATH | SPAWN_STDERR_TO_OUT, 4096, 0, &cap) <
	    0) {
		snprintf(err, errlen, "cannot run %s: %s", argv[0], strerror(errno));
		return -1;
	}
	int ret = cap.status == 0 ? 0 : -1;
	if (ret < 0)
		snprintf(err, errlen, "%s %s %s: %s", argv[0], argv[1], argv[2], cap.out);
	spawn_capture_free(&cap);
	return ret;
}

/* The bridge with its gateway address, made now so that the subnet shows in the host's routes
 * (another daemon picking a subnet sees it taken). */
static int bridge_up(const char *dev, const char *gw_cidr, char *err, size_t errlen)
{
	char *add[] = {"ip", "link", "add", (char *)dev, "type", "bridge", NULL};
	char *addr[] = {"ip", "addr", "add", (char *)gw_cidr, "dev", (char *)dev, NULL};
	char *up[] = {"ip", "link", "set", (char *)dev, "up", NULL};
	if (run_ip(add, err, errlen) < 0)
		return -1;
	if ((gw_cidr && run_ip(addr, err, errlen) < 0) || run_ip(up, err, errlen) < 0) {
		char *del[] = {"ip", "link", "del", (char *)dev, NULL};
		char ignored[256];
		run_ip(del, ignored, sizeof(ignored));
		return -1;
	}
	return 0;
}

/* One masquerading rule per network (traffic from its subnet leaving by another link), not
 * one per container as the bridge plugin's ipMasq makes: that costs each ADD and DEL several
 * iptables runs. op: "-A", "-D" or "-C". */
static int masquerade(const char *op, const char *subnet, const char *dev, char *err, size_t errlen)
{
	char *argv[] = {"iptables",     "-w", "-t", "nat",       (char *)op, "POSTROUTING", "-s",
	                (char *)subnet, "!",  "-o", (char *)dev, "-j",       "MASQUERADE",  NULL};
	return run_ip(argv, err, errlen);
}

static void bridge_del(const char *dev)
{
	char *del[] = {"ip", "link", "del", (char *)dev, NULL};
	char err[512];
	if (run_ip(del, err, sizeof(err)) < 0 && !strstr(err, "Cannot find device"))
		LOG_WARN("%s", err);
}

static char *render_conflist(const struct network_request *rq, const char *id, const char *subnet,
                             const char *gateway, const char *dev)
{
	yajl_gen g = yajl_gen_alloc(NULL);
	yajl_gen_config(g, yajl_gen_beautify, 1);
	yajl_gen_map_open(g);
	jg_kstr(g, "cniVersion", "1.0.0");
	jg_kstr(g, "name", rq->name);
	jg_key(g, "plugins");
	yajl_gen_array_open(g);
	yajl_gen_map_open(g);
	jg_kstr(g, "type", "bridge");
	jg_kstr(g, "bridge", dev);
	jg_kbool(g, "isGateway", !rq->internal);
	jg_kbool(g, "ipMasq", false); /* network_create's one rule instead */
	jg_kbool(g, "hairpinMode", true);
	jg_key(g, "ipam");
	yajl_gen_map_open(g);
	jg_kstr(g, "type", "host-local");
	jg_key(g, "ranges");
	yajl_gen_array_open(g);
	yajl_gen_array_open(g);
	yajl_gen_map_open(g);
	jg_kstr(g, "subnet", subnet);
	jg_kstr(g, "gateway", gateway);
	yajl_gen_map_close(g);
	yajl_gen_array_close(g);
	yajl_gen_array_close(g);
	jg_key(g, "routes");
	yajl_gen_array_open(g);
	if (!rq->internal) {
		yajl_gen_map_open(g);
		jg_kstr(g, "dst", "0.0.0.0/0");
		yajl_gen_map_close(g);
	}
	yajl_gen_array_close(g);
	jg_kstr(g, "dataDir", g_net.data_dir);
	yajl_gen_map_close(g);
	yajl_gen_map_close(g);
	yajl_gen_map_open(g);
	jg_kstr(g, "type", "portmap");
	jg_key(g, "capabilities");
	yajl_gen_map_open(g);
	jg_kbool(g, "portMappings", true);
	yajl_gen_map_close(g);
	jg_kbool(g, "snat", true);
	yajl_gen_map_close(g);
	yajl_gen_array_close(g);
	jg_key(g, "isulad");
	yajl_gen_map_open(g);
	jg_kstr(g, "id", id);
	char created[64];
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	time_format_rfc3339(&now, created, sizeof(created));
	jg_kstr(g, "created", created);
	jg_kbool(g, "internal", rq->internal);
	jg_kmap_from_kv(g, "labels", rq->labels);
	yajl_gen_map_close(g);
	yajl_gen_map_close(g);
	return jg_finish(g, NULL);
}

/* Subnet and gateway of rq, checked, or chosen: 0, or -1 with e. */
static int plan_addresses(const struct network_request *rq, char *subnet, char *gateway, size_t len,
                          struct error *e)
{
	struct v4net s;
	char what[160];
	if (rq->subnet) {
		if (v4_parse(rq->subnet, &s) < 0 || s.mask == 0 || s.mask > 0xfffffffcu)
			return error_set(e, ERR_INVALID,
			                 "invalid subnet %s: expected an IPv4 CIDR such as "
			                 "172.30.0.0/16 (prefix 1 to 30)",
			                 rq->subnet);
		if (subnet_taken(s, what, sizeof(what)))
			return error_set(e, ERR_INVALID,
			                 "subnet %s overlaps %s: choose another with --subnet",
			                 rq->subnet, what);
		char net[32];
		v4_text(s.net, net, sizeof(net));
		snprintf(subnet, len, "%s/%s", net, strchr(rq->subnet, '/') + 1);
	} else if (pick_subnet(subnet, len) < 0) {
		return error_set(e, ERR_INTERNAL,
		                 "no free subnet left for network %s: give one with --subnet",
		                 rq->name);
	} else {
		v4_parse(subnet, &s);
	}
	if (rq->gateway) {
		struct in_addr a;
		uint32_t h;
		if (inet_pton(AF_INET, rq->gateway, &a) != 1 ||
		    ((h = ntohl(a.s_addr)) & s.mask) != s.net || h == s.net ||
		    h == (s.net | ~s.mask))
			return error_set(e, ERR_INVALID,
			                 "invalid gateway %s: expected an address of the subnet %s",
			                 rq->gateway, subnet);
		snprintf(gateway, len, "%s", rq->gateway);
	} else {
		v4_text(s.net + 1, gateway, len);
	}
	return 0;
}

static int create_locked(const struct network_request *rq, struct network_info *info,
                         struct error *e)
{
	if (!cni_name_ok(rq->name))
		return error_set(e, ERR_INVALID,
		                 "invalid network name %s: expected [a-zA-Z0-9][a-zA-Z0-9_.-]*, at "
		                 "most %d characters",
		                 rq->name ? rq->name : "", CNI_NAME_MAX);
	if (rq->driver && *rq->driver && strcmp(rq->driver, "bridge") != 0)
		return error_set(e, ERR_INVALID, "invalid driver %s: only bridge is supported",
		                 rq->driver);
	for (size_t i = 0; rq->labels && rq->labels[i]; i++) {
		/* The conflist is a generated config: the one checker of their values (§8). */
		const char *why = lxc_conf_value_problem(NULL, rq->labels[i]);
		char q[128];
		if (rq->labels[i][0] == '=' || !strchr(rq->labels[i], '=') || why)
			return error_set(e, ERR_INVALID, "invalid label %s: %s",
			                 lxc_conf_quote(rq->labels[i], q, sizeof(q)),
			                 why ? why : "expected KEY=VALUE");
	}
	char *path = conflist_path(rq->name);
	bool exists = path && path_exists(path);
	if (exists) {
		free(path);
		return error_set(e, ERR_EXISTS, "network with name %s already exists", rq->name);
	}
	int lock = open(SUBNET_LOCK, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (lock >= 0)
		flock(lock, LOCK_EX);
	char subnet[64], gateway[64], dev[16], id[CONTAINER_ID_LEN + 1], gw_cidr[80];
	int ret = plan_addresses(rq, subnet, gateway, sizeof(subnet), e);
	char *text = NULL;
	char err[512];
	if (ret == 0) {
		bridge_name(rq->name, dev, sizeof(dev));
		idgen_random_hex(id);
		snprintf(gw_cidr, sizeof(gw_cidr), "%s/%s", gateway, strchr(subnet, '/') + 1);
		text = render_conflist(rq, id, subnet, gateway, dev);
		if (!text)
			ret = error_set(e, ERR_INTERNAL, "out of memory");
	}
	if (ret == 0 && mkdir_p(g_net.conf_dir, 0755) < 0)
		ret = error_set(e, ERR_INTERNAL, "cannot create %s: %s", g_net.conf_dir,
		                strerror(errno));
	if (ret == 0 && bridge_up(dev, rq->internal ? NULL : gw_cidr, err, sizeof(err)) < 0)
		ret = error_set(e, ERR_INTERNAL, "network %s: cannot create the bridge %s: %s",
		                rq->name, dev, err);
	if (ret == 0 && !rq->internal && masquerade("-A", subnet, dev, err, sizeof(err)) < 0) {
		ret = error_set(e, ERR_INTERNAL, "network %s: cannot add its masquerading rule: %s",
		                rq->name, err);
		bridge_del(dev);
	}
	if (ret == 0 && atomic_write_file(path, text, strlen(text), 0644) < 0) {
		ret = error_set(e, ERR_INTERNAL, "cannot write %s: %s", path, strerror(errno));
		if (!rq->internal)
			masquerade("-D", subnet, dev, err, sizeof(err));
		bridge_del(dev);
	}
	if (lock >= 0)
		close(lock);
	if (ret == 0 && info)
		ret = load_file(rq->name, NULL, info, e);
	if (ret == 0)
		LOG_INFO("network %s created: %s on %s", rq->name, subnet, dev);
	free(text);
	free(path);
	return ret;
}

int network_create(const struct network_request *rq, struct network_info *info, struct error *e)
{
	pthread_mutex_lock(&g_lock);
	int ret = create_locked(rq, info, e);
	pthread_mutex_unlock(&g_lock);
	return ret;
}

int network_ensure_default(struct error *e)
{
	if (g_net.default_off)
		return error_set(e, ERR_INVALID,
		                 "the default network is off (daemon.json \"bridge\": \"none\")");
	pthread_mutex_lock(&g_lock);
	char *path = conflist_path(DEFAULT_NETWORK);
	int ret = 0;
	if (!path || !path_exists(path)) {
		char subnet[64] = "", gateway[64] = "";
		struct network_request rq = {.name = DEFAULT_NETWORK};
		if (g_net.bip) {
			/* "bip" is the bridge's address with the prefix: 172.26.0.1/16. */
			struct v4net s;
			const char *slash = strchr(g_net.bip, '/');
			if (slash && v4_parse(g_net.bip, &s) == 0) {
				char net[32];
				v4_text(s.net, net, sizeof(net));
				snprintf(subnet, sizeof(subnet), "%s%s", net, slash);
				snprintf(gateway, sizeof(gateway), "%.*s", (int)(slash - g_net.bip),
				         g_net.bip);
				rq.subnet = subnet;
				if (strcmp(gateway, net) != 0)
					rq.gateway = gateway;
			}
		}
		ret = create_locked(&rq, NULL, e);
	}
	free(path);
	pthread_mutex_unlock(&g_lock);
	return ret;
}

int network_remove(const char *name, struct error *e)
{
	pthread_mutex_lock(&g_lock);
	struct network_info info;
	int ret = load_file(name, NULL, &info, e);
	if (ret == 0) {
		char *path = conflist_path(name);
		if (!path || unlink(path) < 0)
			ret = error_set(e, ERR_INTERNAL, "cannot remove the network %s: %s", name,
			                strerror(errno));
		free(path);
	}
	if (ret == 0) {
		char err[512];
		if (info.bridge && info.subnet && !info.internal &&
		    masquerade("-D", info.subnet, info.bridge, err, sizeof(err)) < 0)
			LOG_WARN("network %s: %s", name, err);
		if (info.bridge)
			bridge_del(info.bridge);
		char *leases = path_join(g_net.data_dir, name);
		if (leases)
			remove_tree(leases);
		free(leases);
		LOG_INFO("network %s removed", name);
	}
	if (ret == 0 || info.name)
		network_info_free(&info);
	pthread_mutex_unlock(&g_lock);
	return ret;
}

void network_restore_all(void)
{
	char **names = network_names();
	for (size_t i = 0; names && names[i]; i++) {
		struct network_info ni;
		struct error e;
		char err[512];
		if (network_get(names[i], NULL, &ni, &e) < 0)
			continue;
		/* Made by us (an "isulad" id), with a gateway: its rule, gone after a host reboot
		 * or an iptables flush, comes back. */
		if (!ni.internal && ni.subnet && ni.bridge && ni.id &&
		    strcmp(ni.id, ni.name) != 0 &&
		    masquerade("-C", ni.subnet, ni.bridge, err, sizeof(err)) < 0 &&
		    masquerade("-A", ni.subnet, ni.bridge, err, sizeof(err)) < 0)
			LOG_WARN("network %s: cannot restore its masquerading rule: %s", ni.name,
			         err);
		network_info_free(&ni);
	}
	strv_free(names);
}
