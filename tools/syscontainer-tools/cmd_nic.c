/* isulad-tools add-nic, remove-nic, list-nic, update-nic (research/tools.md §1.6): the NIC is
 * recorded first, then added to the running container (unless --update-config-only); a failed
 * live step is undone and the record restored. */
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/cli_args.h"
#include "core/units.h"
#include "host/netlink_link.h"
#include "hotplug/netns_pin.h"
#include "hotplug/nic.h"
#include "hotplug/route.h"
#include "tool.h"

enum { O_TYPE, O_NAME, O_IP, O_MAC, O_BRIDGE, O_MTU, O_QLEN, O_CONFIG_ONLY, O_HELP, O_N };
static const struct cli_option g_add_opts[] = {
    [O_TYPE] = {"type", 0, CLI_STRING, "TYPE", "The NIC's type: veth or eth"},
    [O_NAME] = {"name", 0, CLI_STRING, "[HOST:]CTR",
                "The NIC's names on the host and in the container"},
    [O_IP] = {"ip", 0, CLI_STRING, "CIDR", "The NIC's IP address, e.g. 172.17.28.5/24"},
    [O_MAC] = {"mac", 0, CLI_STRING, "MAC", "The NIC's MAC address"},
    [O_BRIDGE] = {"bridge", 0, CLI_STRING, "BRIDGE", "The host bridge of a veth's host end"},
    [O_MTU] = {"mtu", 0, CLI_STRING, "MTU", "The NIC's MTU (default 1500)"},
    [O_QLEN] = {"qlen", 0, CLI_STRING, "QLEN", "The NIC's transmit queue length (default 1000)"},
    [O_CONFIG_ONLY] = {"update-config-only", 0, CLI_BOOL, NULL,
                       "Only record the change; it is applied at the next start"},
    [O_HELP] = {"help", 'h', CLI_BOOL, NULL, "Print usage"},
};

enum { L_PRETTY, L_FILTER, L_HELP, L_N };
static const struct cli_option g_list_opts[] = {
    [L_PRETTY] = {"pretty", 'p', CLI_BOOL, NULL, "Indent the JSON output"},
    [L_FILTER] = {"filter", 'f', CLI_STRING, "JSON", "Only the NICs matching these fields"},
    [L_HELP] = {"help", 'h', CLI_BOOL, NULL, "Print usage"},
};

/* Parses a command's flags; NULL after printing the error (or the help: *rc 0). The one
 * positional argument, the container, goes to *ctr. */
static struct cli_values *parse(const char *cmd, const struct cli_option *opts, size_t nopts,
                                int help, int argc, char **argv, const char **ctr, int *rc)
{
	char err[512];
	*rc = 1;
	struct cli_values *v = cli_parse(opts, nopts, argc, argv, false, err, sizeof(err));
	if (!v) {
		fprintf(stderr, "Incorrect Usage: %s\n", err);
		return NULL;
	}
	if (cli_bool(v, (size_t)help)) {
		char usage[128];
		snprintf(usage, sizeof(usage), "isulad-tools %s [OPTIONS] <container_id>", cmd);
		cli_print_help(stdout, usage, opts, nopts);
		*rc = 0;
	} else if (cli_npositional(v) != 1) {
		tool_fail("isulad-tools: \"%s\" must accept a container-id", cmd);
	} else if (!*(*ctr = cli_positional(v, 0))) {
		tool_fail("container-id can't be empty");
	} else {
		return v;
	}
	cli_values_free(v);
	return NULL;
}

/* An integer flag's value into *out when given. 0, or 1 after printing the error. */
static int int_flag(struct cli_values *v, size_t idx, int *out)
{
	const char *s = cli_string(v, idx);
	int64_t n;
	if (!s)
		return 0;
	if (parse_int64(s, &n) < 0 || n < INT32_MIN || n > INT32_MAX)
		return tool_fail("invalid value \"%s\" for flag --%s: expected an integer", s,
		                 g_add_opts[idx].long_name);
	*out = (int)n;
	return 0;
}

static char *dup_flag(struct cli_values *v, size_t idx)
{
	const char *s = cli_string(v, idx);
	return s && *s ? strdup(s) : NULL;
}

static bool differs(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "") != 0;
}

/* The checks made on the host whether or not the container runs: a veth's host end must not
 * exist, a physical NIC must. */
static int check_host_link(const struct hp_nic *n, struct error *e)
{
	char err[256];
	struct nl_sock *s = netlink_open(-1, err, sizeof(err));
	if (!s)
		return error_set(e, ERR_INTERNAL, "%s", err);
	int idx = netlink_link_index(s, n->host_name, err, sizeof(err));
	netlink_close(s);
	if (idx < 0)
		return error_set(e, ERR_INTERNAL, "%s", err);
	if (strcmp(n->type, "veth") == 0 && idx > 0)
		return error_set(e, ERR_EXISTS,
		                 "Host has nic with name %s, please choose another one",
		                 n->host_name);
	if (strcmp(n->type, "eth") == 0 && idx == 0)
		return error_set(e, ERR_NOT_FOUND, "HostNic(%s) not found, please check",
		                 n->host_name);
	return 0;
}

static size_t count_eth(const struct hotplug_record *r)
{
	size_t k = 0;
	for (size_t i = 0; i < r->n_nics; i++)
		k += strcmp(r->nics[i].type, "eth") == 0;
	return k;
}

/* The running container's namespace and, for a physical NIC, the identities recorded. */
static int live_open(struct tool_session *s, const struct hp_nic *n, struct hp_net *net,
                     struct hp_nic_ids *ids, struct error *e)
{
	memset(ids, 0, sizeof(*ids));
	if (hp_net_open_target(&s->t, net, e) < 0)
		return -1;
	if (strcmp(n->type, "eth") == 0 && hp_nic_ids_load(s->t.id, ids, e) < 0) {
		hp_net_close(net);
		return -1;
	}
	return 0;
}

static void live_close(struct hp_net *net, struct hp_nic_ids *ids)
{
	hp_nic_ids_free(ids);
	hp_net_close(net);
}

/* Pins the namespace when it is not yet (a container started without a physical NIC): the
 * NIC must come back at stop. 1 when pinned here, 0 when it was, -1 with e. */
static int ensure_pin(const char *id, int nsfd, struct error *e)
{
	struct error local = {0};
	errno = 0;
	int fd = hp_netns_pin_open(id, &local);
	if (fd >= 0) {
		close(fd);
		return 0;
	}
	if (errno != ENOENT)
		return error_set(e, local.code, "%s", local.msg);
	return hp_netns_pin(id, nsfd, e) < 0 ? -1 : 1;
}

/* Adds n to the running container; a physical NIC's identity is recorded. */
static int live_attach(struct tool_session *s, const struct hp_nic *n, struct error *e)
{
	struct hp_net net;
	struct hp_nic_ids ids;
	struct hp_nic_id id;
	struct error ignored;
	bool eth = strcmp(n->type, "eth") == 0;
	if (live_open(s, n, &net, &ids, e) < 0)
		return -1;
	int pinned = eth ? ensure_pin(s->t.id, net.nsfd, e) : 0;
	int ret = pinned < 0 ? -1 : hp_nic_attach(&net, n, &id, e);
	if (ret == 0 && eth &&
	    (hp_nic_ids_put(&ids, &id) < 0 ? error_set(e, ERR_INTERNAL, "out of memory")
	                                   : hp_nic_ids_save(s->t.id, &ids, e)) < 0) {
		hp_nic_detach(&net, n, &id, &ignored);
		ret = -1;
	}
	if (ret < 0 && pinned == 1)
		hp_netns_unpin(s->t.id, &ignored);
	live_close(&net, &ids);
	return ret;
}

/* Removes n from the running container (its record entry already gone): a physical NIC is
 * found by its identity; the pin goes with the last one. */
static int live_detach(struct tool_session *s, const struct hp_nic *n, struct error *e)
{
	struct hp_net net;
	struct hp_nic_ids ids;
	struct error ignored;
	bool eth = strcmp(n->type, "eth") == 0;
	if (live_open(s, n, &net, &ids, e) < 0)
		return -1;
	int ret = hp_nic_detach(&net, n, eth ? hp_nic_ids_find(&ids, n->host_name) : NULL, e);
	if (ret == 0 && eth) {
		/* The NIC is back: a stale identity left by a failed write matches no link. */
		hp_nic_ids_drop(&ids, n->host_name);
		hp_nic_ids_save(s->t.id, &ids, &ignored);
		if (count_eth(&s->r) == 0)
			hp_netns_unpin(s->t.id, &ignored);
	}
	live_close(&net, &ids);
	return ret;
}

/* Changes the running container's NIC old into now. */
static int live_update(struct tool_session *s, const struct hp_nic *old, const struct hp_nic *now,
                       struct error *e)
{
	struct hp_net net;
	struct hp_nic_ids ids;
	if (live_open(s, now, &net, &ids, e) < 0)
		return -1;
	int ret = hp_nic_update(&net, old, now, hp_nic_ids_find(&ids, now->host_name), e);
	/* The routes through the NIC went with its old address: the recorded ones come back
	 * (those still there are refused as existing, which is fine). */
	if (ret == 0 && differs(old->ip, now->ip)) {
		struct error ignored;
		for (size_t i = 0; i < s->r.n_routes; i++)
			hp_route_apply(&net, &s->r.routes[i], &ignored);
	}
	live_close(&net, &ids);
	return ret;
}

int cmd_add_nic(const struct tool *tool, int argc, char **argv)
{
	const char *ref;
	int rc;
	struct cli_values *v = parse("add-nic", g_add_opts, O_N, O_HELP, argc, argv, &ref, &rc);
	if (!v)
		return rc;
	struct hp_nic n = {.mtu = HP_NIC_DEFAULT_MTU, .qlen = HP_NIC_DEFAULT_QLEN};
	struct error e = {0};
	struct tool_session s;
	bool opened = false;
	int nic_lock = -1; /* held from the check of the other containers to the end */
	rc = 1;
	n.type = strdup(cli_string(v, O_TYPE) ? cli_string(v, O_TYPE) : "");
	n.ip = dup_flag(v, O_IP);
	n.mac = dup_flag(v, O_MAC);
	n.bridge = dup_flag(v, O_BRIDGE);
	if (!n.type || int_flag(v, O_MTU, &n.mtu) || int_flag(v, O_QLEN, &n.qlen))
		goto out;
	if (hp_nic_split_name(cli_string(v, O_NAME), &n.host_name, &n.ctr_name, &e) < 0) {
		tool_fail("%s", e.msg);
		goto out;
	}
	if (strcmp(n.type, "veth") == 0 && !n.host_name && n.ctr_name && *n.ctr_name &&
	    !(n.host_name = hp_nic_default_host_name(n.ctr_name))) {
		tool_fail("out of memory");
		goto out;
	}
	if (hp_nic_validate(&n, &e) < 0) {
		tool_fail("invalid network option: %s", e.msg);
		goto out;
	}
	if (tool_session_open(tool, ref, cli_bool(v, O_CONFIG_ONLY), &s))
		goto out;
	opened = true;
	char *lcr_buf = strdup(s.t.dir);
	const char *lcr = lcr_buf ? dirname(lcr_buf) : NULL;
	if (!lcr)
		error_set(&e, ERR_INTERNAL, "out of memory");
	else if (s.r.n_nics >= HOTPLUG_MAX_NICS)
		error_set(&e, ERR_INVALID, "Nic already reach max limit");
	if (!lcr || s.r.n_nics >= HOTPLUG_MAX_NICS ||
	    hp_nic_conflict(&s.r, &n, (size_t)-1, &e) < 0 ||
	    (strcmp(n.type, "eth") == 0 && count_eth(&s.r) >= HOTPLUG_MAX_ETH_NICS &&
	     error_set(&e, ERR_INVALID,
	               "physical Nic already reach max limit: at most %d eth NICs in a container",
	               HOTPLUG_MAX_ETH_NICS) < 0) ||
	    (nic_lock = hp_nic_lock(&e)) < 0 ||
	    hp_nic_check_other_containers(lcr, s.t.id, n.host_name, &e) < 0 ||
	    check_host_link(&n, &e) < 0) {
		free(lcr_buf);
		tool_fail("failed to add nic into container: %s", e.msg);
		goto out;
	}
	free(lcr_buf);
	struct hp_nic rec;
	if (hp_nic_copy(&n, &rec) < 0 ||
	    hp_array_push(&s.r.nics, &s.r.n_nics, sizeof(rec), &rec) < 0) {
		hp_nic_free(&rec);
		tool_fail("out of memory");
		goto out;
	}
	if (tool_session_save(&s))
		goto out;
	if (s.live && live_attach(&s, &n, &e) < 0) {
		hp_nic_free(&s.r.nics[s.r.n_nics - 1]);
		s.r.n_nics--;
		tool_session_save(&s);
		tool_fail("failed to add nic into container: %s", e.msg);
		goto out;
	}
	printf("Add network interface (%s) to container (%s,%s) done\n", n.host_name, s.t.name,
	       n.ctr_name);
	rc = 0;
out:
	hp_nic_unlock(nic_lock);
	if (opened)
		tool_session_close(&s);
	hp_nic_free(&n);
	cli_values_free(v);
	return rc;
}

int cmd_remove_nic(const struct tool *tool, int argc, char **argv)
{
	const char *ref;
	int rc;
	struct cli_values *v = parse("remove-nic", g_add_opts, O_N, O_HELP, argc, argv, &ref, &rc);
	if (!v)
		return rc;
	char *host = NULL, *ctr = NULL;
	struct error e = {0};
	struct tool_session s;
	bool opened = false;
	const char *type = cli_string(v, O_TYPE);
	rc = 1;
	if (cli_is_set(v, O_IP) || cli_is_set(v, O_MAC) || cli_is_set(v, O_BRIDGE) ||
	    cli_is_set(v, O_MTU) || cli_is_set(v, O_QLEN) || cli_is_set(v, O_CONFIG_ONLY)) {
		tool_fail("Incorrect Usage: remove-nic takes only --type and --name");
		goto out;
	}
	if (type && *type && strcmp(type, "veth") != 0 && strcmp(type, "eth") != 0) {
		tool_fail("invalid network option: unsupported type %s", type);
		goto out;
	}
	if (hp_nic_split_name(cli_string(v, O_NAME), &host, &ctr, &e) < 0) {
		tool_fail("%s", e.msg);
		goto out;
	}
	if (!*ctr) {
		tool_fail("failed to get container nic name");
		goto out;
	}
	if (tool_session_open(tool, ref, false, &s))
		goto out;
	opened = true;
	size_t i = hp_nic_find(&s.r, host, ctr, type);
	if (i == (size_t)-1) {
		tool_fail(
		    "failed to remove nic from container: Network interface %s,%s with type %s "
		    "not exist in container %s",
		    host ? host : "", ctr, type ? type : "", ref);
		goto out;
	}
	struct hp_nic gone = s.r.nics[i];
	hp_array_remove(&s.r.nics, &s.r.n_nics, sizeof(gone), i);
	int saved = tool_session_save(&s);
	if (saved == 0 && s.live && live_detach(&s, &gone, &e) < 0) {
		tool_fail("failed to remove nic from container: %s", e.msg);
		saved = 1;
	}
	if (saved) {
		/* Back in its place, and the record as it was. */
		if (hp_array_push(&s.r.nics, &s.r.n_nics, sizeof(gone), &gone) == 0) {
			memmove(&s.r.nics[i + 1], &s.r.nics[i],
			        (s.r.n_nics - 1 - i) * sizeof(gone));
			s.r.nics[i] = gone;
			tool_session_save(&s);
		} else {
			hp_nic_free(&gone);
		}
		goto out;
	}
	printf("Remove network interface (%s) from container (%s,%s) done\n", gone.host_name,
	       s.t.name, gone.ctr_name);
	hp_nic_free(&gone);
	rc = 0;
out:
	if (opened)
		tool_session_close(&s);
	free(host);
	free(ctr);
	cli_values_free(v);
	return rc;
}

int cmd_list_nic(const struct tool *tool, int argc, char **argv)
{
	const char *ref;
	int rc;
	struct cli_values *v = parse("list-nic", g_list_opts, L_N, L_HELP, argc, argv, &ref, &rc);
	if (!v)
		return rc;
	struct hp_nic f;
	struct error e = {0};
	struct tool_session s;
	const char *ftext = cli_string(v, L_FILTER);
	rc = 1;
	if (ftext && hp_nic_filter_parse(ftext, &f, &e) < 0) {
		tool_fail("%s", e.msg);
	} else {
		if (tool_session_open(tool, ref, true, &s) == 0) {
			char *out =
			    hp_nic_list_render(&s.r, ftext ? &f : NULL, cli_bool(v, L_PRETTY));
			if (!out) {
				tool_fail("out of memory");
			} else {
				fputs(out, stdout);
				rc = 0;
			}
			free(out);
			tool_session_close(&s);
		}
		if (ftext)
			hp_nic_free(&f);
	}
	cli_values_free(v);
	return rc;
}

/* Replaces *field with a copy of the flag's value when it is given. 0, or -1 (ENOMEM). */
static int take_flag(struct cli_values *v, size_t idx, char **field)
{
	if (!cli_is_set(v, idx))
		return 0;
	free(*field);
	*field = dup_flag(v, idx);
	return !*field && cli_string(v, idx) && *cli_string(v, idx) ? -1 : 0;
}

int cmd_update_nic(const struct tool *tool, int argc, char **argv)
{
	const char *ref;
	int rc;
	struct cli_values *v = parse("update-nic", g_add_opts, O_N, O_HELP, argc, argv, &ref, &rc);
	if (!v)
		return rc;
	struct error e = {0};
	struct tool_session s;
	struct hp_nic now = {0}, old = {0};
	bool opened = false, have_old = false;
	const char *name = cli_string(v, O_NAME);
	int mtu = 0, qlen = -1;
	rc = 1;
	if (cli_is_set(v, O_TYPE)) {
		tool_fail("Incorrect Usage: update-nic does not take --type");
		goto out;
	}
	if (!name || !*name) {
		tool_fail("Network interface name in container must be provided");
		goto out;
	}
	if (int_flag(v, O_MTU, &mtu) || int_flag(v, O_QLEN, &qlen))
		goto out;
	if (cli_is_set(v, O_QLEN) && qlen < 0) {
		tool_fail("invalid network option: Qlen must not be less than 0");
		goto out;
	}
	if (tool_session_open(tool, ref, cli_bool(v, O_CONFIG_ONLY), &s))
		goto out;
	opened = true;
	size_t i = hp_nic_find(&s.r, NULL, name, NULL);
	if (i == (size_t)-1 || strcmp(s.r.nics[i].ctr_name, name) != 0) {
		tool_fail("failed to upadte nic in container: Network interface %s not exist in "
		          "container %s",
		          name, ref);
		goto out;
	}
	if (hp_nic_copy(&s.r.nics[i], &now) < 0 || hp_nic_copy(&s.r.nics[i], &old) < 0) {
		tool_fail("out of memory");
		goto out;
	}
	have_old = true;
	if (take_flag(v, O_IP, &now.ip) < 0 || take_flag(v, O_MAC, &now.mac) < 0 ||
	    take_flag(v, O_BRIDGE, &now.bridge) < 0) {
		tool_fail("out of memory");
		goto out;
	}
	if (mtu != 0)
		now.mtu = mtu;
	if (cli_is_set(v, O_QLEN))
		now.qlen = qlen;
	/* A record from an older tool may lack the MTU or qlen: check with the defaults. */
	struct hp_nic check = now;
	check.mtu = now.mtu ? now.mtu : HP_NIC_DEFAULT_MTU;
	check.qlen = now.qlen >= 0 ? now.qlen : HP_NIC_DEFAULT_QLEN;
	if (strcmp(now.type, "veth") == 0 && !cli_is_set(v, O_BRIDGE) && !now.bridge)
		check.bridge = "-"; /* an old record's veth without bridge stays so */
	if (hp_nic_validate(&check, &e) < 0) {
		tool_fail("invalid network option: %s", e.msg);
		goto out;
	}
	if (hp_nic_conflict(&s.r, &now, i, &e) < 0) {
		tool_fail("failed to upadte nic in container: %s", e.msg);
		goto out;
	}
	bool ip = differs(old.ip, now.ip), mac = differs(old.mac, now.mac),
	     br = differs(old.bridge, now.bridge), m = old.mtu != now.mtu, q = old.qlen != now.qlen;
	if (!ip && !mac && !br && !m && !q) {
		rc = 0; /* identical settings: nothing to do */
		goto out;
	}
	hp_nic_free(&s.r.nics[i]);
	s.r.nics[i] = now;
	memset(&now, 0, sizeof(now));
	int failed = tool_session_save(&s);
	if (!failed && s.live && live_update(&s, &old, &s.r.nics[i], &e) < 0)
		failed = tool_fail("failed to upadte nic in container: %s", e.msg);
	if (failed) {
		hp_nic_free(&s.r.nics[i]);
		s.r.nics[i] = old;
		have_old = false;
		tool_session_save(&s);
		goto out;
	}
	const struct hp_nic *n = &s.r.nics[i];
	if (ip)
		printf("Update IP address for network interface (%s,%s) done\n", n->ctr_name,
		       n->ip);
	if (mac)
		printf("Update MAC address for network interface (%s,%s) done\n", n->ctr_name,
		       n->mac ? n->mac : "");
	if (br)
		printf("Update Bridge for network interface (%s,%s) done\n", n->ctr_name,
		       n->bridge ? n->bridge : "");
	if (m)
		printf("Update Mtu for network interface (%s,%d) done\n", n->ctr_name, n->mtu);
	if (q)
		printf("Update Qlen for network interface (%s,%d) done\n", n->ctr_name, n->qlen);
	rc = 0;
out:
	if (have_old)
		hp_nic_free(&old);
	hp_nic_free(&now);
	if (opened)
		tool_session_close(&s);
	cli_values_free(v);
	return rc;
}
