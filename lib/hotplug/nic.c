/* The network part of syscontainer-hooks: NICs and routes re-applied at every start, physical
 * NICs returned to the host at stop (see nic.h). */
#include "hotplug/nic.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "host/netlink_link.h"
#include "hotplug/route.h"

/* The recorded identity of the NIC n (NULL for a veth, or when there is none). */
static const struct hp_nic_id *id_of(const struct hp_nic_ids *ids, const struct hp_nic *n)
{
	return strcmp(n->type, "eth") == 0 ? hp_nic_ids_find(ids, n->host_name) : NULL;
}

/* Undoes the first n_nics NICs and n_routes routes of r added by a failed reapply. */
static void undo(struct hp_net *net, const struct hotplug_record *r, const struct hp_nic_ids *ids,
                 size_t n_nics, size_t n_routes)
{
	struct error ignored;
	while (n_routes > 0)
		hp_route_unapply(net, &r->routes[--n_routes], &ignored);
	while (n_nics > 0) {
		const struct hp_nic *n = &r->nics[--n_nics];
		hp_nic_detach(net, n, id_of(ids, n), &ignored);
	}
}

/* Returns r's NICs from the namespace nsfd (taken) to the host, the physical ones found by
 * their identities ids. */
static int release_from(int nsfd, const struct hotplug_record *r, const struct hp_nic_ids *ids,
                        struct error *e)
{
	struct hp_net net;
	if (hp_net_open_fd(nsfd, &net, e) < 0)
		return -1;
	int ret = 0;
	for (size_t i = 0; i < r->n_nics; i++) {
		struct error one = {0};
		const struct hp_nic *n = &r->nics[i];
		if (hp_nic_detach(&net, n, id_of(ids, n), &one) < 0)
			ret = error_set(e, one.code,
			                "Failed to remove network interface (%s) from "
			                "container: %s",
			                n->host_name, one.msg);
	}
	hp_net_close(&net);
	return ret;
}

/* Takes back the NICs of a namespace still pinned by a stop whose poststop did not run, and
 * forgets it: its pin and its identities. */
static void release_stale(const char *id, const struct hotplug_record *r)
{
	struct error ignored = {0};
	struct hp_nic_ids ids = {0};
	int stale = hp_netns_pin_open(id, &ignored);
	if (stale >= 0) {
		if (hp_nic_ids_load(id, &ids, &ignored) < 0)
			memset(&ids, 0, sizeof(ids));
		release_from(stale, r, &ids, &ignored);
		hp_nic_ids_free(&ids);
	}
	hp_netns_unpin(id, &ignored);
	hp_nic_ids_save(id, &ids, &ignored); /* none: the file removed */
}

int hotplug_network_reapply(const struct hotplug_target *t, const struct hotplug_record *r,
                            struct error *e)
{
	if (t->pid <= 0)
		return error_set(e, ERR_NOT_RUNNING, "the container's init has gone");
	int nsfd = pid_pin_openat(&t->pin, "ns/net", O_RDONLY);
	if (nsfd < 0)
		return error_set(e, ERR_INTERNAL,
		                 "cannot open the container's network namespace: %s",
		                 strerror(errno));
	int self = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	struct stat a, b;
	bool shared = self >= 0 && fstat(self, &a) == 0 && fstat(nsfd, &b) == 0 &&
	              a.st_ino == b.st_ino && a.st_dev == b.st_dev;
	if (self >= 0)
		close(self);
	if (shared) {
		close(nsfd);
		if (r->n_nics || r->n_routes)
			return error_set(e, ERR_INVALID,
			                 "the container shares the host's network namespace: its "
			                 "network interfaces and routes cannot be added");
		return 0; /* nothing of its own to pin */
	}
	release_stale(t->id, r);
	/* Only a physical NIC needs the pin, to come back at stop: a veth's host end dies with
	 * the namespace, and so do the routes. */
	if (hp_nic_count_eth(r) > 0 && hp_netns_pin(t->id, nsfd, e) < 0) {
		close(nsfd);
		return -1;
	}
	struct error ignored = {0};
	struct hp_net net;
	if (hp_net_open_fd(nsfd, &net, e) < 0) {
		hp_netns_unpin(t->id, &ignored);
		return -1;
	}
	struct hp_nic_ids ids = {0};
	size_t i = 0, j = 0;
	int ret = 0;
	for (; ret == 0 && i < r->n_nics; i++) {
		struct error one = {0};
		const struct hp_nic *n = &r->nics[i];
		struct hp_nic_id id;
		if (hp_nic_attach(&net, n, &id, &one) < 0)
			ret =
			    error_set(e, one.code,
			              "Failed to add network interface (%s) to container (%s): %s",
			              n->host_name, n->ctr_name, one.msg);
		else if (strcmp(n->type, "eth") == 0 && hp_nic_ids_put(&ids, &id) < 0) {
			hp_nic_detach(&net, n, &id, &ignored);
			ret = error_set(e, ERR_INTERNAL, "out of memory");
		}
	}
	if (ret < 0)
		i--;
	for (; ret == 0 && j < r->n_routes; j++) {
		struct error one = {0};
		char buf[256];
		if (hp_route_apply(&net, &r->routes[j], &one) < 0)
			ret = error_set(e, one.code, "Failed to add route %s: %s",
			                hp_route_str(&r->routes[j], buf, sizeof(buf)), one.msg);
	}
	if (ret < 0 && j > 0)
		j--;
	if (ret == 0 && hp_nic_ids_save(t->id, &ids, e) < 0)
		ret = -1;
	if (ret < 0) {
		undo(&net, r, &ids, i, j);
		hp_netns_unpin(t->id, &ignored);
	}
	hp_nic_ids_free(&ids);
	hp_net_close(&net);
	return ret;
}

int hotplug_network_release(const char *id, const struct hotplug_record *r, struct error *e)
{
	struct error local = {0};
	struct hp_nic_ids ids = {0};
	int ret = 0;
	/* Without them no physical NIC leaves: each is refused below, naming it. */
	if (hp_nic_ids_load(id, &ids, &local) < 0)
		ret = error_set(e, local.code, "%s", local.msg);
	errno = 0;
	int fd = hp_netns_pin_open(id, &local);
	if (fd >= 0) {
		if (release_from(fd, r, &ids, e) < 0)
			ret = -1;
	} else if (errno != ENOENT) {
		ret = error_set(e, local.code, "%s", local.msg);
	} else {
		/* No pin: the namespace dies with the container, and its veths with it, but
		 * the kernel tears a namespace down later, in the background: delete the host
		 * ends now, so that a start right after this stop finds their names free. A
		 * physical NIC went back to the host under its container name, out of reach,
		 * unless it never left (recorded with --update-config-only). */
		char err[256];
		struct nl_sock *s = netlink_open(-1, err, sizeof(err));
		for (size_t i = 0; i < r->n_nics; i++) {
			const struct hp_nic *n = &r->nics[i];
			int idx = s ? netlink_link_index(s, n->host_name, err, sizeof(err)) : -1;
			char kind[32] = "";
			if (strcmp(n->type, "veth") == 0) {
				if (idx > 0 &&
				    netlink_link_kind(s, idx, kind, sizeof(kind), err,
				                      sizeof(err)) == 0 &&
				    strcmp(kind, "veth") == 0 &&
				    netlink_link_del(s, idx, err, sizeof(err)) < 0)
					ret =
					    error_set(e, ERR_INTERNAL, "%s: %s", n->host_name, err);
			} else if (idx <= 0) {
				ret = error_set(
				    e, ERR_NOT_FOUND,
				    "the network namespace of the container was not pinned: "
				    "network interface (%s) could not be returned",
				    n->host_name);
			}
		}
		netlink_close(s);
	}
	hp_nic_ids_free(&ids);
	/* The namespace ends with its pin: the identities mean nothing after it. */
	if (hp_netns_unpin(id, &local) < 0)
		ret = error_set(e, local.code, "%s", local.msg);
	ids.n = 0;
	if (hp_nic_ids_save(id, &ids, &local) < 0)
		ret = error_set(e, local.code, "%s", local.msg);
	return ret;
}
