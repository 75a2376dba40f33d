#include "container_net.h"

#include <arpa/inet.h>
#include <errno.h>
#include <pthread.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/fileutil.h"
#include "core/json.h"
#include "core/log.h"
#include "engine/cni_exec.h"
#include "engine/cni_result.h"
#include "engine/lxc_conf.h"
#include "engine/user_remap.h"
#include "host/inet_addr.h"
#include "host/netns_file.h"
#include "network.h"
#include "store.h"

char *container_net_ns_path(const char *id)
{
	return path_join(g_net.netns_dir, id);
}

static bool same_port(const struct cni_port *a, const struct cni_port *b)
{
	return a->host_port == b->host_port && strcmp(a->proto, b->proto) == 0 &&
	       (!a->host_ip[0] || !b->host_ip[0] || strcmp(a->host_ip, b->host_ip) == 0);
}

/* Another container's claim on ip or one of the ports: its name into who. */
static bool claimed_elsewhere(const struct container *c, const char *network, char *who, size_t len,
                              const struct cni_port **port)
{
	size_t n;
	struct container **all = store_list(&n);
	bool found = false;
	store_lock();
	for (size_t i = 0; i < n && !found; i++) {
		const struct container *o = all[i];
		if (o == c || o->removed)
			continue;
		const struct net_config *on = &o->host.net;
		bool same_net = on->mode && strcmp(on->mode, network) == 0;
		if (c->host.net.ip && same_net &&
		    ((on->ip && strcmp(on->ip, c->host.net.ip) == 0) ||
		     (o->net.network && strcmp(o->net.ip, c->host.net.ip) == 0))) {
			found = true;
			*port = NULL;
		}
		for (size_t a = 0; a < c->host.net.n_ports && !found; a++) {
			for (size_t b = 0; b < on->n_ports && !found; b++) {
				if (same_port(&c->host.net.ports[a], &on->ports[b])) {
					found = true;
					*port = &c->host.net.ports[a];
				}
			}
		}
		if (found)
			snprintf(who, len, "%s", o->name);
	}
	store_unlock();
	store_put_all(all, n);
	return found;
}

/* A host process listening on the port would be shadowed by the DNAT rule. */
static bool host_port_busy(const struct cni_port *p)
{
	int s = socket(AF_INET,
	               (strcmp(p->proto, "udp") == 0 ? SOCK_DGRAM : SOCK_STREAM) | SOCK_CLOEXEC, 0);
	if (s < 0)
		return false;
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)p->host_port)};
	if (p->host_ip[0])
		inet_pton(AF_INET, p->host_ip, &sa.sin_addr);
	bool busy = bind(s, (struct sockaddr *)&sa, sizeof(sa)) < 0 && errno == EADDRINUSE;
	close(s);
	return busy;
}

static int validate_cni(struct container *c, struct error *e)
{
	struct net_config *n = &c->host.net;
	if (strcmp(n->mode, DEFAULT_NETWORK) == 0 && !g_net.default_off &&
	    network_ensure_default(e) < 0)
		return -1;
	struct cni_conflist l;
	struct network_info info;
	if (network_get(n->mode, &l, &info, e) < 0)
		return -1;
	/* The name, not an id prefix, is what the container keeps. */
	free(n->mode);
	n->mode = strdup(info.name);
	char err[1024];
	int ret = cni_check_plugins(&l, g_net.bin_dirs, err, sizeof(err));
	if (ret < 0)
		error_set(e, ERR_INVALID, "%s", err);
	struct in_addr a;
	if (ret == 0 && n->ip &&
	    (inet_pton(AF_INET, n->ip, &a) != 1 || !network_contains(&info, n->ip) ||
	     (info.gateway && strcmp(info.gateway, n->ip) == 0)))
		ret = error_set(e, ERR_INVALID,
		                "invalid --ip %s: expected an IPv4 address of the subnet %s of "
		                "network %s, not its gateway",
		                n->ip, info.subnet ? info.subnet : "?", info.name);
	char who[256];
	const struct cni_port *port = NULL;
	if (ret == 0 && claimed_elsewhere(c, info.name, who, sizeof(who), &port)) {
		if (port)
			ret = error_set(e, ERR_INVALID,
			                "host port %d/%s is already published by container %s",
			                port->host_port, port->proto, who);
		else
			ret = error_set(e, ERR_INVALID,
			                "--ip %s is already taken by container %s on network %s",
			                n->ip, who, info.name);
	}
	for (size_t i = 0; ret == 0 && i < n->n_ports; i++) {
		for (size_t j = 0; ret == 0 && j < i; j++) {
			if (same_port(&n->ports[i], &n->ports[j]))
				ret =
				    error_set(e, ERR_INVALID, "host port %d/%s is published twice",
				              n->ports[i].host_port, n->ports[i].proto);
		}
		if (ret == 0 && host_port_busy(&n->ports[i]))
			ret =
			    error_set(e, ERR_INVALID,
			              "host port %d/%s is already in use by a process of the host",
			              n->ports[i].host_port, n->ports[i].proto);
	}
	cni_conflist_free(&l);
	network_info_free(&info);
	return ret;
}

/* A --user-remap that takes effect: the container gets a user namespace of its own. */
static bool remapped(const struct host_config *h)
{
	struct user_remap r;
	char err[256];
	return h->sys.user_remap &&
	       user_remap_parse(h->sys.user_remap, &r, err, sizeof(err)) == 0 &&
	       user_remap_effective(&r);
}

int container_net_validate(struct container *c, struct error *e)
{
	struct net_config *n = &c->host.net;
	/* The kernel mounts sysfs only in a network namespace the mounting user namespace owns:
	 * one the daemon makes before the init belongs to the host's, so a remapped container
	 * cannot boot in it. Until the namespace is made inside the container's user namespace,
	 * remapped containers default to none and a network is refused. */
	bool own_userns = remapped(&c->host);
	if (!n->mode)
		n->mode = strdup(g_net.default_off || own_userns ? "none" : DEFAULT_NETWORK);
	if (!n->mode)
		return error_set(e, ERR_INTERNAL, "out of memory");
	enum net_kind kind = net_kind(n->mode);
	if (kind == NET_CNI && own_userns)
		return error_set(e, ERR_INVALID,
		                 "--net %s is not supported with --user-remap %s yet (a network "
		                 "namespace made before the init belongs to the host's user "
		                 "namespace): use --net none or host",
		                 n->mode, c->host.sys.user_remap);
	unsigned char mac[6];
	if (n->mac && mac_parse(n->mac, mac) < 0)
		return error_set(e, ERR_INVALID,
		                 "invalid --mac-address %s: expected a unicast MAC such as "
		                 "02:42:ac:11:00:02",
		                 n->mac);
	if (kind != NET_CNI && (n->ip || n->mac || n->n_ports > 0))
		return error_set(e, ERR_INVALID,
		                 "conflicting options: --ip, --mac-address and -p need a network, "
		                 "not --net %s",
		                 n->mode);
	if (kind == NET_HOST || kind == NET_CONTAINER) {
		/* The namespace is the host's or another container's: its net.* settings are not
		 * this container's to change. */
		for (size_t i = 0; c->host.sec.sysctls && c->host.sec.sysctls[i]; i++) {
			if (strncmp(c->host.sec.sysctls[i], "net.", 4) == 0)
				return error_set(
				    e, ERR_INVALID,
				    "--sysctl %s is refused with --net %s: the network "
				    "namespace is not the container's own",
				    c->host.sec.sysctls[i], n->mode);
		}
		const char *nco = c->host.sys.ns_change_opt;
		if (nco && strstr(nco, "net") && !c->host.privileged)
			return error_set(
			    e, ERR_INVALID,
			    "--ns-change-opt %s is refused with --net %s: /proc/sys/net "
			    "would be the %s's",
			    nco, n->mode, kind == NET_HOST ? "host" : "other container");
	}
	if (kind == NET_CONTAINER) {
		struct container *o = store_lookup(n->mode + 10, e);
		if (!o)
			return -1;
		store_lock();
		bool running = o->state.status == STATUS_RUNNING;
		store_unlock();
		store_put(o);
		if (!running)
			return error_set(e, ERR_INVALID, "--net %s: container %s is not running",
			                 n->mode, n->mode + 10);
		return 0;
	}
	if (kind == NET_CNI && !cni_name_ok(n->mode))
		return error_set(e, ERR_INVALID,
		                 "invalid --net %s: expected none, host, container:NAME or a "
		                 "network name",
		                 n->mode);
	return kind == NET_CNI ? validate_cni(c, e) : 0;
}

/* network.json: {"Network", "NetNS", "IfName", "Result"}. */
static int write_state(const struct container *c, const char *network, const char *ns,
                       const char *result)
{
	char *dir = store_container_dir(c->id);
	char *path = dir ? path_join(dir, NET_STATE_FILE) : NULL;
	yajl_gen g = yajl_gen_alloc(NULL);
	yajl_gen_map_open(g);
	jg_kstr(g, "Network", network);
	jg_kstr(g, "NetNS", ns);
	jg_kstr(g, "IfName", NET_IFNAME);
	if (result) {
		yajl_val r = json_parse(result, NULL, 0);
		if (r) {
			jg_key(g, "Result");
			jg_value(g, r);
			yajl_tree_free(r);
		}
	}
	yajl_gen_map_close(g);
	size_t len = 0;
	char *text = jg_finish(g, &len);
	int ret = path && text ? atomic_write_file(path, text, len, 0600) : -1;
	free(text);
	free(path);
	free(dir);
	return ret;
}

static void set_state(struct container *c, const char *network, const char *result)
{
	struct cni_result r;
	char err[256];
	const struct cni_ip *ip = NULL;
	const char *mac = "";
	if (result && cni_result_parse(result, &r, err, sizeof(err)) == 0)
		ip = cni_result_ipv4(&r, NET_IFNAME, &mac);
	store_lock();
	free(c->net.network);
	c->net.network = network ? strdup(network) : NULL;
	snprintf(c->net.ip, sizeof(c->net.ip), "%s", ip ? ip->ip : "");
	snprintf(c->net.gateway, sizeof(c->net.gateway), "%s", ip ? ip->gateway : "");
	snprintf(c->net.mac, sizeof(c->net.mac), "%s", mac);
	c->net.prefix = ip ? ip->prefix : 0;
	store_unlock();
}

static void fill_call(const struct container *c, const char *ns, struct cni_call *call)
{
	memset(call, 0, sizeof(*call));
	call->container_id = c->id;
	call->netns = ns;
	call->ifname = NET_IFNAME;
	call->bin_dirs = g_net.bin_dirs;
	call->rt.ip = c->host.net.ip;
	call->rt.mac = c->host.net.mac;
	call->rt.ports = c->host.net.ports;
	call->rt.n_ports = c->host.net.n_ports;
}

struct net_pending {
	pthread_t thread;
	struct container *c;
	struct cni_conflist l;
	struct cni_call call;
	char *ns, *result;
	int ret;
	int64_t started_ms;
	char err[1024];
};

static void *add_thread(void *arg)
{
	struct net_pending *p = arg;
	p->ret = cni_add(&p->l, &p->call, &p->result, p->err, sizeof(p->err));
	return NULL;
}

static void remove_state(const struct container *c)
{
	char *dir = store_container_dir(c->id);
	char *path = dir ? path_join(dir, NET_STATE_FILE) : NULL;
	if (path)
		unlink(path);
	free(path);
	free(dir);
}

static void pending_free(struct net_pending *p)
{
	cni_conflist_free(&p->l);
	free(p->ns);
	free(p->result);
	free(p);
}

/* --net container:X: X must run. */
static int check_joined(const char *mode, char *err, size_t errlen)
{
	return ns_modes_joined_pid("--net", mode, err, errlen) > 0 ? 0 : -1;
}

int container_net_begin(struct container *c, struct net_pending **out, char *err, size_t errlen)
{
	*out = NULL;
	const char *mode = c->host.net.mode;
	if (net_kind(mode) == NET_CONTAINER)
		return check_joined(mode, err, errlen);
	if (net_kind(mode) != NET_CNI)
		return 0;
	container_net_teardown(c); /* what an earlier run may have left */
	struct net_pending *p = calloc(1, sizeof(*p));
	struct error e;
	if (!p) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (network_get(mode, &p->l, NULL, &e) < 0) {
		snprintf(err, errlen, "%s", e.msg);
		free(p);
		return -1;
	}
	p->c = c;
	p->ns = container_net_ns_path(c->id);
	int ret = -1;
	if (!p->ns || mkdir_p(g_net.netns_dir, 0700) < 0) {
		snprintf(err, errlen, "cannot create %s: %s", g_net.netns_dir, strerror(errno));
	} else if (netns_file_create(p->ns, err, errlen) == 0) {
		/* Recorded first: a daemon killed during ADD still DELs at its next start. */
		if (write_state(c, mode, p->ns, NULL) < 0) {
			snprintf(err, errlen, "cannot write %s: %s", NET_STATE_FILE,
			         strerror(errno));
		} else {
			fill_call(c, p->ns, &p->call);
			p->started_ms = monotonic_ms();
			int rc = pthread_create(&p->thread, NULL, add_thread, p);
			if (rc == 0)
				ret = 0;
			else
				snprintf(err, errlen, "cannot start CNI ADD: %s", strerror(rc));
		}
		if (ret < 0) {
			remove_state(c);
			netns_file_remove(p->ns);
		}
	}
	if (ret < 0)
		pending_free(p);
	else
		*out = p;
	return ret;
}

int container_net_finish(struct container *c, struct net_pending *p, char *err, size_t errlen)
{
	if (!p)
		return 0;
	pthread_join(p->thread, NULL);
	LOG_DEBUG("container %s: CNI ADD on %s took %lld ms", c->id, p->l.name,
	          (long long)(monotonic_ms() - p->started_ms));
	int ret = p->ret;
	if (ret < 0)
		snprintf(err, errlen, "%s", p->err);
	if (ret == 0 && write_state(c, c->host.net.mode, p->ns, p->result) < 0) {
		snprintf(err, errlen, "cannot write %s: %s", NET_STATE_FILE, strerror(errno));
		char ignored[256];
		cni_del(&p->l, &p->call, p->result, ignored, sizeof(ignored));
		ret = -1;
	}
	if (ret < 0) {
		remove_state(c);
		netns_file_remove(p->ns);
	} else {
		set_state(c, c->host.net.mode, p->result);
	}
	pending_free(p);
	return ret;
}

static yajl_val read_state(const struct container *c, char **path_out)
{
	char *dir = store_container_dir(c->id);
	char *path = dir ? path_join(dir, NET_STATE_FILE) : NULL;
	char *text = path ? read_file(path, 1 << 20, NULL) : NULL;
	yajl_val st = text ? json_parse(text, NULL, 0) : NULL;
	free(text);
	free(dir);
	*path_out = path;
	return st;
}

void container_net_teardown(struct container *c)
{
	char *path = NULL;
	yajl_val st = read_state(c, &path);
	const char *network = json_get_str(st, "Network");
	char *ns = container_net_ns_path(c->id);
	if (st && network) {
		struct cni_conflist l;
		struct error e;
		char *result = NULL;
		yajl_val r = json_get(st, "Result");
		if (r) {
			yajl_gen g = yajl_gen_alloc(NULL);
			jg_value(g, r);
			result = jg_finish(g, NULL);
		}
		if (network_get(network, &l, NULL, &e) == 0) {
			struct cni_call call;
			char err[1024];
			fill_call(c, ns, &call);
			if (cni_del(&l, &call, result, err, sizeof(err)) < 0)
				LOG_WARN("container %s: %s", c->id, err);
			cni_conflist_free(&l);
		} else {
			LOG_WARN("container %s: cannot DEL from network %s: %s", c->id, network,
			         e.msg);
		}
		free(result);
	}
	if (st)
		yajl_tree_free(st);
	if (ns && netns_file_remove(ns) < 0)
		LOG_WARN("cannot remove %s: %s", ns, strerror(errno));
	if (path && unlink(path) < 0 && errno != ENOENT)
		LOG_WARN("cannot remove %s: %s", path, strerror(errno));
	set_state(c, NULL, NULL);
	free(path);
	free(ns);
}

void container_net_load(struct container *c)
{
	char *path = NULL;
	yajl_val st = read_state(c, &path);
	const char *network = json_get_str(st, "Network");
	yajl_val r = json_get(st, "Result");
	if (network && r) {
		yajl_gen g = yajl_gen_alloc(NULL);
		jg_value(g, r);
		char *result = jg_finish(g, NULL);
		set_state(c, network, result);
		free(result);
	}
	if (st)
		yajl_tree_free(st);
	free(path);
}

void container_net_lxc_config(struct strbuf *f, const struct container *c, const char *monitor_path,
                              const char *state_dir, int64_t limit_ms)
{
	const char *mode = c->host.net.mode;
	switch (net_kind(mode)) {
	case NET_HOST:
		lxc_conf_line(f, "lxc.net.0.type", "none");
		return;
	case NET_CNI: {
		char *ns = container_net_ns_path(c->id);
		lxc_conf_line(f, "lxc.namespace.share.net", "%s", ns ? ns : "");
		free(ns);
		/* The first start-host hook: the init waits for the daemon's ADD. */
		lxc_conf_line(f, "lxc.hook.start-host", "%s net-wait %s %lld", monitor_path,
		              state_dir, (long long)limit_ms);
		return;
	}
	case NET_CONTAINER: {
		struct error e;
		struct container *o = store_lookup(mode + 10, &e);
		char *ns = o ? container_net_ns_path(o->id) : NULL;
		store_lock();
		pid_t pid = o && o->state.status == STATUS_RUNNING ? o->state.pid : 0;
		bool own = o && o->net.network;
		store_unlock();
		if (own)
			lxc_conf_line(f, "lxc.namespace.share.net", "%s", ns);
		else
			lxc_conf_line(f, "lxc.namespace.share.net", "/proc/%d/ns/net", (int)pid);
		free(ns);
		if (o)
			store_put(o);
		return;
	}
	case NET_NONE:
		break;
	}
	lxc_conf_line(f, "lxc.net.0.type", "empty");
	/* liblxc brings lo up: the container has no CAP_NET_ADMIN to do it itself. */
	lxc_conf_line(f, "lxc.net.0.flags", "up");
}

static void gen_endpoint(yajl_gen g, const struct container_net_state *s)
{
	jg_kstr(g, "IPAddress", s->ip);
	jg_kint(g, "IPPrefixLen", s->prefix);
	jg_kstr(g, "Gateway", s->gateway);
	jg_kstr(g, "MacAddress", s->mac);
}

void container_net_gen(yajl_gen g, const struct container *c)
{
	const struct container_net_state *s = &c->net;
	yajl_gen_map_open(g);
	gen_endpoint(g, s);
	net_ports_gen(g, "Ports", &c->host.net, "0.0.0.0");
	jg_key(g, "Networks");
	yajl_gen_map_open(g);
	if (s->network) {
		jg_key(g, s->network);
		yajl_gen_map_open(g);
		gen_endpoint(g, s);
		yajl_gen_map_close(g);
	}
	yajl_gen_map_close(g);
	yajl_gen_map_close(g);
}

void container_net_gen_ports_list(yajl_gen g, const struct container *c)
{
	jg_key(g, "Ports");
	yajl_gen_array_open(g);
	for (size_t i = 0; c->net.network && i < c->host.net.n_ports; i++) {
		const struct cni_port *p = &c->host.net.ports[i];
		yajl_gen_map_open(g);
		jg_kstr(g, "IP", p->host_ip[0] ? p->host_ip : "0.0.0.0");
		jg_kint(g, "PrivatePort", p->container_port);
		jg_kint(g, "PublicPort", p->host_port);
		jg_kstr(g, "Type", p->proto);
		yajl_gen_map_close(g);
	}
	yajl_gen_array_close(g);
}

bool container_net_in_use(const char *name, char *who, size_t len)
{
	size_t n;
	struct container **all = store_list(&n);
	bool used = false;
	store_lock();
	for (size_t i = 0; i < n && !used; i++) {
		const struct container *o = all[i];
		if (!o->removed && ((o->host.net.mode && strcmp(o->host.net.mode, name) == 0) ||
		                    (o->net.network && strcmp(o->net.network, name) == 0))) {
			used = true;
			snprintf(who, len, "%s", o->name);
		}
	}
	store_unlock();
	store_put_all(all, n);
	return used;
}
