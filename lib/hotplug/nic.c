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

/* Undoes the first n_nics NICs and n_routes routes of r added by a failed reapply. */
static void undo(struct hp_net *net, const struct hotplug_record *r, size_t n_nics, size_t n_routes)
{
	struct error ignored;
	while (n_routes > 0)
		hp_route_unapply(net, &r->routes[--n_routes], &ignored);
	while (n_nics > 0)
		hp_nic_detach(net, &r->nics[--n_nics], &ignored);
}

/* Returns r's NICs from the namespace nsfd (taken) to the host. */
static int release_from(int nsfd, const struct hotplug_record *r, struct error *e)
{
	struct hp_net net;
	if (hp_net_open_fd(nsfd, &net, e) < 0)
		return -1;
	int ret = 0;
	for (size_t i = 0; i < r->n_nics; i++) {
		struct error one = {0};
		if (hp_nic_detach(&net, &r->nics[i], &one) < 0)
			ret = error_set(e, one.code,
			                "Failed to remove network interface (%s) from "
			                "container: %s",
			                r->nics[i].host_name, one.msg);
	}
	hp_net_close(&net);
	return ret;
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
	/* A pin left by a stop whose poststop did not run: take its NICs back first. */
	struct error ignored = {0};
	int stale = hp_netns_pin_open(t->id, &ignored);
	if (stale >= 0)
		release_from(stale, r, &ignored);
	if (hp_netns_pin(t->id, nsfd, e) < 0) {
		close(nsfd);
		/* Only a physical NIC needs the pin (to come back at stop). */
		if (r->n_nics == 0 && r->n_routes == 0)
			return 0;
		return -1;
	}
	struct hp_net net;
	if (hp_net_open_fd(nsfd, &net, e) < 0) {
		hp_netns_unpin(t->id, &ignored);
		return -1;
	}
	size_t i = 0, j = 0;
	int ret = 0;
	for (; ret == 0 && i < r->n_nics; i++) {
		struct error one = {0};
		const struct hp_nic *n = &r->nics[i];
		if (hp_nic_attach(&net, n, &one) < 0)
			ret =
			    error_set(e, one.code,
			              "Failed to add network interface (%s) to container (%s): %s",
			              n->host_name, n->ctr_name, one.msg);
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
	if (ret < 0) {
		if (j > 0)
			j--;
		undo(&net, r, i, j);
		hp_netns_unpin(t->id, &ignored);
	}
	hp_net_close(&net);
	return ret;
}

int hotplug_network_release(const char *id, const struct hotplug_record *r, struct error *e)
{
	struct error local = {0};
	errno = 0;
	int fd = hp_netns_pin_open(id, &local);
	int ret = 0;
	if (fd >= 0) {
		ret = release_from(fd, r, e);
	} else if (errno != ENOENT) {
		ret = error_set(e, local.code, "%s", local.msg);
	} else {
		/* No pin: the namespace died with the container. The veths died with it; a
		 * physical NIC went back to the host under its container name, out of reach. */
		for (size_t i = 0; i < r->n_nics; i++)
			if (strcmp(r->nics[i].type, "eth") == 0)
				ret = error_set(
				    e, ERR_NOT_FOUND,
				    "the network namespace of the container was not pinned: "
				    "network interface (%s) could not be returned",
				    r->nics[i].host_name);
	}
	if (hp_netns_unpin(id, &local) < 0)
		ret = error_set(e, local.code, "%s", local.msg);
	return ret;
}
