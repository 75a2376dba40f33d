/* The NIC flows of isulad-tools add-nic, remove-nic and update-nic (see nic.h): the NIC is
 * recorded first, then changed in the running container; a failed live step is undone and the
 * record restored. */
#include <errno.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hotplug/nic.h"
#include "hotplug/route.h"

/* Puts the command's words before e's message; returns -1. */
static int prefixed(struct error *e, const char *prefix)
{
	char msg[sizeof(e->msg)];
	snprintf(msg, sizeof(msg), "%s", e->msg);
	return error_set(e, e->code, "%s%s", prefix, msg);
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

/* Checks n against the record, the other containers and the host. The caller keeps *nic_lock
 * (HOTPLUG_NIC_LOCK, taken here; -1 until then) until n is recorded. 0, or -1 with e. */
static int check_add(const struct hotplug_target *t, const struct hotplug_record *r,
                     const struct hp_nic *n, int *nic_lock, struct error *e)
{
	if (r->n_nics >= HOTPLUG_MAX_NICS)
		return error_set(e, ERR_INVALID, "Nic already reach max limit");
	if (hp_nic_conflict(r, n, (size_t)-1, e) < 0)
		return -1;
	if (strcmp(n->type, "eth") == 0 && hp_nic_count_eth(r) >= HOTPLUG_MAX_ETH_NICS)
		return error_set(
		    e, ERR_INVALID,
		    "physical Nic already reach max limit: at most %d eth NICs in a container",
		    HOTPLUG_MAX_ETH_NICS);
	if ((*nic_lock = hp_nic_lock(e)) < 0)
		return -1;
	/* The containers' directories are the siblings of this one. */
	char *lcr_buf = strdup(t->dir);
	if (!lcr_buf)
		return error_set(e, ERR_INTERNAL, "out of memory");
	int ret = hp_nic_check_other_containers(dirname(lcr_buf), t->id, n->host_name, e);
	free(lcr_buf);
	return ret < 0 ? -1 : check_host_link(n, e);
}

/* The running container's namespace and, for a physical NIC, the identities recorded. */
static int live_open(const struct hotplug_target *t, const struct hp_nic *n, struct hp_net *net,
                     struct hp_nic_ids *ids, struct error *e)
{
	memset(ids, 0, sizeof(*ids));
	if (hp_net_open_target(t, net, e) < 0)
		return -1;
	if (strcmp(n->type, "eth") == 0 && hp_nic_ids_load(t->id, ids, e) < 0) {
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
static int live_attach(const struct hotplug_target *t, const struct hp_nic *n, struct error *e)
{
	struct hp_net net;
	struct hp_nic_ids ids;
	struct hp_nic_id id;
	struct error ignored;
	bool eth = strcmp(n->type, "eth") == 0;
	if (live_open(t, n, &net, &ids, e) < 0)
		return -1;
	int pinned = eth ? ensure_pin(t->id, net.nsfd, e) : 0;
	int ret = pinned < 0 ? -1 : hp_nic_attach(&net, n, &id, e);
	if (ret == 0 && eth &&
	    (hp_nic_ids_put(&ids, &id) < 0 ? error_set(e, ERR_INTERNAL, "out of memory")
	                                   : hp_nic_ids_save(t->id, &ids, e)) < 0) {
		hp_nic_detach(&net, n, &id, &ignored);
		ret = -1;
	}
	if (ret < 0 && pinned == 1)
		hp_netns_unpin(t->id, &ignored);
	live_close(&net, &ids);
	return ret;
}

/* Removes n from the running container (r already without it): a physical NIC is found by
 * its identity; the pin goes with the last one. */
static int live_detach(const struct hotplug_target *t, const struct hotplug_record *r,
                       const struct hp_nic *n, struct error *e)
{
	struct hp_net net;
	struct hp_nic_ids ids;
	struct error ignored;
	bool eth = strcmp(n->type, "eth") == 0;
	if (live_open(t, n, &net, &ids, e) < 0)
		return -1;
	int ret = hp_nic_detach(&net, n, eth ? hp_nic_ids_find(&ids, n->host_name) : NULL, e);
	if (ret == 0 && eth) {
		/* The NIC is back: a stale identity left by a failed write matches no link. */
		hp_nic_ids_drop(&ids, n->host_name);
		hp_nic_ids_save(t->id, &ids, &ignored);
		if (hp_nic_count_eth(r) == 0)
			hp_netns_unpin(t->id, &ignored);
	}
	live_close(&net, &ids);
	return ret;
}

/* Changes the running container's NIC old into now. */
static int live_update(const struct hotplug_target *t, const struct hotplug_record *r,
                       const struct hp_nic *old, const struct hp_nic *now, struct error *e)
{
	struct hp_net net;
	struct hp_nic_ids ids;
	if (live_open(t, now, &net, &ids, e) < 0)
		return -1;
	int ret = hp_nic_update(&net, old, now, hp_nic_ids_find(&ids, now->host_name), e);
	/* The routes through the NIC went with its old address: the recorded ones come back
	 * (those still there are refused as existing, which is fine). */
	if (ret == 0 && differs(old->ip, now->ip)) {
		struct error ignored;
		for (size_t i = 0; i < r->n_routes; i++)
			hp_route_apply(&net, &r->routes[i], &ignored);
	}
	live_close(&net, &ids);
	return ret;
}

int hotplug_nic_add(const struct hotplug_target *t, struct hotplug_record *r, bool live,
                    const struct hp_nic *n, FILE *out, struct error *e)
{
	static const char prefix[] = "failed to add nic into container: ";
	int nic_lock = -1; /* held from the check of the other containers to the end */
	int ret = -1;
	struct hp_nic rec;
	if (hp_nic_validate(n, e) < 0) {
		prefixed(e, "invalid network option: ");
		goto out;
	}
	if (check_add(t, r, n, &nic_lock, e) < 0) {
		prefixed(e, prefix);
		goto out;
	}
	if (hp_nic_copy(n, &rec) < 0 ||
	    hp_array_push(&r->nics, &r->n_nics, sizeof(rec), &rec) < 0) {
		hp_nic_free(&rec);
		error_set(e, ERR_INTERNAL, "out of memory");
		goto out;
	}
	if (hotplug_record_save(t->dir, r, e) < 0 ||
	    (live && live_attach(t, n, e) < 0 && prefixed(e, prefix) < 0)) {
		struct error ignored;
		hp_nic_free(&r->nics[r->n_nics - 1]);
		r->n_nics--;
		hotplug_record_save(t->dir, r, &ignored);
		goto out;
	}
	if (out)
		fprintf(out, "Add network interface (%s) to container (%s,%s) done\n", n->host_name,
		        t->name, n->ctr_name);
	ret = 0;
out:
	hp_nic_unlock(nic_lock);
	return ret;
}

/* Puts gone back at index i of the record and saves it (best effort); frees it when it
 * cannot. */
static void reinsert(const struct hotplug_target *t, struct hotplug_record *r, size_t i,
                     struct hp_nic *gone)
{
	struct error ignored;
	if (hp_array_push(&r->nics, &r->n_nics, sizeof(*gone), gone) < 0) {
		hp_nic_free(gone);
		return;
	}
	memmove(&r->nics[i + 1], &r->nics[i], (r->n_nics - 1 - i) * sizeof(*gone));
	r->nics[i] = *gone;
	hotplug_record_save(t->dir, r, &ignored);
}

int hotplug_nic_remove(const struct hotplug_target *t, struct hotplug_record *r, bool live,
                       const char *host, const char *ctr, const char *type, FILE *out,
                       struct error *e)
{
	size_t i = hp_nic_find(r, host, ctr, type);
	if (i == (size_t)-1)
		return error_set(
		    e, ERR_NOT_FOUND,
		    "failed to remove nic from container: Network interface %s,%s with "
		    "type %s not exist in container %s",
		    host ? host : "", ctr, type ? type : "", t->name);
	struct hp_nic gone = r->nics[i];
	hp_array_remove(&r->nics, &r->n_nics, sizeof(gone), i);
	if (hotplug_record_save(t->dir, r, e) < 0) {
		reinsert(t, r, i, &gone);
		return -1;
	}
	if (live && live_detach(t, r, &gone, e) < 0) {
		prefixed(e, "failed to remove nic from container: ");
		reinsert(t, r, i, &gone); /* back in its place, and the record as it was */
		return -1;
	}
	if (out)
		fprintf(out, "Remove network interface (%s) from container (%s,%s) done\n",
		        gone.host_name, t->name, gone.ctr_name);
	hp_nic_free(&gone);
	return 0;
}

/* Replaces *field with a copy of value ("": none) when value is given. 0, or -1 (ENOMEM). */
static int take(const char *value, char **field)
{
	if (!value)
		return 0;
	free(*field);
	*field = *value ? strdup(value) : NULL;
	return *value && !*field ? -1 : 0;
}

/* The change's progress lines, one for each setting changed. */
static void print_update(FILE *out, const struct hp_nic *old, const struct hp_nic *n)
{
	if (!out)
		return;
	if (differs(old->ip, n->ip))
		fprintf(out, "Update IP address for network interface (%s,%s) done\n", n->ctr_name,
		        n->ip);
	if (differs(old->mac, n->mac))
		fprintf(out, "Update MAC address for network interface (%s,%s) done\n", n->ctr_name,
		        n->mac ? n->mac : "");
	if (differs(old->bridge, n->bridge))
		fprintf(out, "Update Bridge for network interface (%s,%s) done\n", n->ctr_name,
		        n->bridge ? n->bridge : "");
	if (old->mtu != n->mtu)
		fprintf(out, "Update Mtu for network interface (%s,%d) done\n", n->ctr_name,
		        n->mtu);
	if (old->qlen != n->qlen)
		fprintf(out, "Update Qlen for network interface (%s,%d) done\n", n->ctr_name,
		        n->qlen);
}

int hotplug_nic_update(const struct hotplug_target *t, struct hotplug_record *r, bool live,
                       const struct hp_nic_change *c, FILE *out, struct error *e)
{
	static const char prefix[] = "failed to upadte nic in container: "; /* sic */
	struct hp_nic now = {0}, old = {0};
	int ret = -1;
	size_t i = hp_nic_find(r, NULL, c->ctr_name, NULL);
	if (i == (size_t)-1 || strcmp(r->nics[i].ctr_name, c->ctr_name) != 0)
		return error_set(e, ERR_NOT_FOUND,
		                 "%sNetwork interface %s not exist in container %s", prefix,
		                 c->ctr_name, t->name);
	if (hp_nic_copy(&r->nics[i], &now) < 0 || hp_nic_copy(&r->nics[i], &old) < 0 ||
	    take(c->ip, &now.ip) < 0 || take(c->mac, &now.mac) < 0 ||
	    take(c->bridge, &now.bridge) < 0) {
		error_set(e, ERR_INTERNAL, "out of memory");
		goto out;
	}
	if (c->mtu != 0)
		now.mtu = c->mtu;
	if (c->qlen >= 0)
		now.qlen = c->qlen;
	/* A record from an older tool may lack the MTU or qlen: check with the defaults. */
	struct hp_nic check = now;
	check.mtu = now.mtu ? now.mtu : HP_NIC_DEFAULT_MTU;
	check.qlen = now.qlen >= 0 ? now.qlen : HP_NIC_DEFAULT_QLEN;
	if (strcmp(now.type, "veth") == 0 && !c->bridge && !now.bridge)
		check.bridge = "-"; /* an old record's veth without bridge stays so */
	if (hp_nic_validate(&check, e) < 0) {
		prefixed(e, "invalid network option: ");
		goto out;
	}
	if (hp_nic_conflict(r, &now, i, e) < 0) {
		prefixed(e, prefix);
		goto out;
	}
	if (!differs(old.ip, now.ip) && !differs(old.mac, now.mac) &&
	    !differs(old.bridge, now.bridge) && old.mtu == now.mtu && old.qlen == now.qlen) {
		ret = 0; /* identical settings: nothing to do */
		goto out;
	}
	hp_nic_free(&r->nics[i]);
	r->nics[i] = now;
	memset(&now, 0, sizeof(now));
	int failed = hotplug_record_save(t->dir, r, e);
	if (!failed && live && live_update(t, r, &old, &r->nics[i], e) < 0)
		failed = prefixed(e, prefix);
	if (failed) {
		struct error ignored;
		hp_nic_free(&r->nics[i]);
		r->nics[i] = old;
		memset(&old, 0, sizeof(old));
		hotplug_record_save(t->dir, r, &ignored);
		goto out;
	}
	print_update(out, &old, &r->nics[i]);
	ret = 0;
out:
	hp_nic_free(&old);
	hp_nic_free(&now);
	return ret;
}
