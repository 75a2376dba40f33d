/* A hot-plugged NIC's settings: their validation and conflicts (see nic.h). */
#include "hotplug/nic.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/fileutil.h"
#include "host/inet_addr.h"

#define NOT_FOUND ((size_t)-1)

bool hp_ifname_valid(const char *name)
{
	size_t n = name ? strlen(name) : 0;
	if (n == 0 || n >= IFNAMSIZ || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)name[i];
		if (c == '/' || c == ':' || isspace(c) || c < 0x20 || c >= 0x7f)
			return false;
	}
	return true;
}

int hp_nic_split_name(const char *arg, char **host, char **ctr, struct error *e)
{
	*host = *ctr = NULL;
	const char *colon = arg ? strchr(arg, ':') : NULL;
	if (colon && colon != arg)
		*host = strndup(arg, (size_t)(colon - arg));
	*ctr = strdup(colon ? colon + 1 : arg ? arg : "");
	if (!*ctr || (colon && colon != arg && !*host)) {
		free(*host);
		free(*ctr);
		*host = *ctr = NULL;
		return error_set(e, ERR_INTERNAL, "out of memory");
	}
	return 0;
}

char *hp_nic_default_host_name(const char *ctr)
{
	unsigned char rnd[3];
	if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd))
		return NULL;
	char buf[IFNAMSIZ + 8];
	snprintf(buf, sizeof(buf), "%.9s_%02x%02x%x", ctr, rnd[0], rnd[1], rnd[2] & 0xf);
	return strdup(buf);
}

static bool is(const char *s, const char *v)
{
	return s && strcmp(s, v) == 0;
}

int hp_nic_validate(const struct hp_nic *n, struct error *e)
{
	struct inet_prefix p;
	unsigned char mac[6];
	if (!is(n->type, "veth") && !is(n->type, "eth"))
		return error_set(e, ERR_INVALID, "unsupported type %s", n->type ? n->type : "");
	if (!n->ctr_name || !*n->ctr_name)
		return error_set(e, ERR_INVALID, "failed to get container nic name");
	if (!hp_ifname_valid(n->ctr_name))
		return error_set(e, ERR_INVALID,
		                 "invalid network interface name \"%s\": 1 to 15 characters, "
		                 "without '/', ':' or spaces",
		                 n->ctr_name);
	if (is(n->type, "eth") && (!n->host_name || !*n->host_name))
		return error_set(e, ERR_INVALID, "host nic name input error");
	if (n->host_name && !hp_ifname_valid(n->host_name))
		return error_set(e, ERR_INVALID,
		                 "invalid network interface name \"%s\": 1 to 15 characters, "
		                 "without '/', ':' or spaces",
		                 n->host_name);
	if (!n->ip || inet_prefix_parse(n->ip, &p) < 0)
		return error_set(e, ERR_INVALID,
		                 "invalid IP address \"%s\": expected an address with its prefix "
		                 "length, such as 172.17.28.5/24",
		                 n->ip ? n->ip : "");
	if (n->mac && *n->mac && mac_parse(n->mac, mac) < 0)
		return error_set(e, ERR_INVALID,
		                 "invalid MAC address \"%s\": expected a unicast address such as "
		                 "00:ff:48:13:0a:0b",
		                 n->mac);
	if (n->mtu < HP_NIC_MIN_MTU)
		return error_set(e, ERR_INVALID, "Mtu must not be less than %d", HP_NIC_MIN_MTU);
	if (n->mtu > HP_NIC_MAX_MTU)
		return error_set(e, ERR_INVALID, "Mtu must not be more than %d", HP_NIC_MAX_MTU);
	if (n->qlen < 0)
		return error_set(e, ERR_INVALID, "Qlen must not be less than 0");
	if (is(n->type, "veth") && (!n->bridge || !*n->bridge))
		return error_set(e, ERR_INVALID, "bridge must be specified");
	if (is(n->type, "eth") && n->bridge && *n->bridge)
		return error_set(e, ERR_INVALID, "for eth type, bridge cannot be set");
	if (n->bridge && *n->bridge && !hp_ifname_valid(n->bridge))
		return error_set(e, ERR_INVALID, "invalid bridge name \"%s\"", n->bridge);
	return 0;
}

static bool same_ip(const char *a, const char *b)
{
	struct inet_prefix pa, pb;
	if (!a || !b || !*a || !*b)
		return false;
	if (inet_prefix_parse(a, &pa) < 0 || inet_prefix_parse(b, &pb) < 0)
		return strcmp(a, b) == 0;
	return inet_addr_equal(&pa, &pb);
}

int hp_nic_conflict(const struct hotplug_record *r, const struct hp_nic *n, size_t skip,
                    struct error *e)
{
	for (size_t i = 0; i < r->n_nics; i++) {
		const struct hp_nic *o = &r->nics[i];
		if (i == skip)
			continue;
		if (is(o->ctr_name, n->ctr_name))
			return error_set(e, ERR_EXISTS, "interface name conflict: %s", n->ctr_name);
		if (n->host_name && is(o->host_name, n->host_name))
			return error_set(e, ERR_EXISTS, "interface name conflict: %s",
			                 n->host_name);
		if (n->mac && *n->mac && o->mac && strcasecmp(o->mac, n->mac) == 0)
			return error_set(e, ERR_EXISTS, "interface mac conflict: %s", n->mac);
		if (same_ip(o->ip, n->ip))
			return error_set(e, ERR_EXISTS, "interface ip conflict: %s", n->ip);
	}
	return 0;
}

int hp_nic_check_other_containers(const char *lcr, const char *self_id, const char *host_name,
                                  struct error *e)
{
	DIR *d = opendir(lcr);
	if (!d)
		return error_set(e, ERR_INTERNAL, "cannot read %s: %s", lcr, strerror(errno));
	int ret = 0;
	struct dirent *de;
	while (ret == 0 && (de = readdir(d))) {
		if (de->d_name[0] == '.' || strcmp(de->d_name, self_id) == 0)
			continue;
		char *dir = path_join(lcr, de->d_name);
		struct hotplug_record r;
		struct error ignored = {0};
		/* Read without the other container's lock (taking it here could deadlock with
		 * its own add-nic): its record is replaced atomically, and every add-nic holds
		 * hp_nic_lock from this check to its save. An unreadable one has no NIC to
		 * compare with. */
		if (dir && hotplug_record_load(dir, &r, &ignored) == 0) {
			for (size_t i = 0; i < r.n_nics && ret == 0; i++)
				if (is(r.nics[i].host_name, host_name))
					ret = error_set(e, ERR_EXISTS,
					                "network interface %s is already added to "
					                "container %.12s",
					                host_name, de->d_name);
			hotplug_record_free(&r);
		}
		free(dir);
	}
	closedir(d);
	return ret;
}

int hp_nic_lock(struct error *e)
{
	if (mkdir(HOTPLUG_RUN_DIR, 0755) < 0 && errno != EEXIST)
		return error_set(e, ERR_INTERNAL, "cannot create %s: %s", HOTPLUG_RUN_DIR,
		                 strerror(errno));
	int fd = open(HOTPLUG_NIC_LOCK, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return error_set(e, ERR_INTERNAL, "cannot open the lock %s: %s", HOTPLUG_NIC_LOCK,
		                 strerror(errno));
	int ret;
	while ((ret = flock(fd, LOCK_EX)) < 0 && errno == EINTR)
		;
	if (ret < 0) {
		int err = errno;
		close(fd);
		return error_set(e, ERR_INTERNAL, "cannot lock %s: %s", HOTPLUG_NIC_LOCK,
		                 strerror(err));
	}
	return fd;
}

void hp_nic_unlock(int fd)
{
	if (fd >= 0)
		close(fd);
}

size_t hp_nic_find(const struct hotplug_record *r, const char *host, const char *ctr,
                   const char *type)
{
	for (size_t i = 0; i < r->n_nics; i++) {
		const struct hp_nic *n = &r->nics[i];
		if (type && *type && !is(n->type, type))
			continue;
		if (host && *host) {
			if (is(n->host_name, host) && is(n->ctr_name, ctr))
				return i;
		} else if (is(n->ctr_name, ctr) || is(n->host_name, ctr)) {
			return i;
		}
	}
	return NOT_FOUND;
}

static int dup_opt(const char *s, char **out)
{
	*out = NULL;
	if (!s)
		return 0;
	*out = strdup(s);
	return *out ? 0 : -1;
}

int hp_nic_copy(const struct hp_nic *n, struct hp_nic *out)
{
	memset(out, 0, sizeof(*out));
	out->mtu = n->mtu;
	out->qlen = n->qlen;
	if (dup_opt(n->ip, &out->ip) < 0 || dup_opt(n->mac, &out->mac) < 0 ||
	    dup_opt(n->type, &out->type) < 0 || dup_opt(n->bridge, &out->bridge) < 0 ||
	    dup_opt(n->host_name, &out->host_name) < 0 ||
	    dup_opt(n->ctr_name, &out->ctr_name) < 0) {
		hp_nic_free(out);
		errno = ENOMEM;
		return -1;
	}
	return 0;
}

size_t hp_nic_count_eth(const struct hotplug_record *r)
{
	size_t k = 0;
	for (size_t i = 0; i < r->n_nics; i++)
		k += strcmp(r->nics[i].type, "eth") == 0;
	return k;
}
