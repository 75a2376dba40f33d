/* Hot-plugged network interfaces, through netlink (libnl-3): a veth pair with one end in the
 * container (the host end on a Linux bridge), or a host link ("eth": a physical NIC) moved in
 * and renamed; IP, MAC, MTU and queue length applied. The rules and messages are the original
 * tools' (research/tools.md §1.6). */
#ifndef LIB_HOTPLUG_NIC_H
#define LIB_HOTPLUG_NIC_H
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "core/error.h"
#include "host/netlink_link.h"
#include "hotplug/netns_pin.h"
#include "hotplug/record.h"
#include "hotplug/target.h"

#define HP_NIC_DEFAULT_MTU 1500
#define HP_NIC_DEFAULT_QLEN 1000
#define HP_NIC_MIN_MTU 68
#define HP_NIC_MAX_MTU 65535

/* The physical NICs' identities while they are in containers: one file per container,
 * <id>.json, written by whoever holds the container's record lock. */
#define HOTPLUG_NIC_ID_DIR HOTPLUG_RUN_DIR "/nic"
/* The lock every add-nic holds from its check that no other container has the NIC to the NIC
 * in its own record (and in the container). */
#define HOTPLUG_NIC_LOCK HOTPLUG_RUN_DIR "/nic.lock"

/* ---- the NIC's settings (nic_check.c) */

/* Whether name can be a link's name (the kernel's rule: 1 to 15 bytes, no '/', ':' or white
 * space, not "." or ".."). */
bool hp_ifname_valid(const char *name);
/* "--name [host:]ctr" into *host (NULL when absent) and *ctr (malloc'd). 0, or -1 with e. */
int hp_nic_split_name(const char *arg, char **host, char **ctr, struct error *e);
/* A veth's host end when none is given: ctr[:9] + "_" + 5 random hex digits (malloc'd). */
char *hp_nic_default_host_name(const char *ctr);
/* Checks a NIC's settings alone: type, names, IP (a CIDR), MAC, MTU (68 to 65535), qlen,
 * bridge (required for veth, refused for eth). 0, or -1 with e (ERR_INVALID). */
int hp_nic_validate(const struct hp_nic *n, struct error *e);
/* Checks n against the record's NICs but entry skip ((size_t)-1: none): the same name, MAC
 * or IP address is a conflict ("interface name conflict: %s"...). 0, or -1 with e. */
int hp_nic_conflict(const struct hotplug_record *r, const struct hp_nic *n, size_t skip,
                    struct error *e);
/* Checks that no other container of the engine directory lcr (the parent of the containers'
 * directories) has host_name recorded; self_id is skipped. Call it holding hp_nic_lock, and
 * keep it until the NIC is in the caller's record: two add-nic must not both find it free.
 * 0, or -1 with e naming it. */
int hp_nic_check_other_containers(const char *lcr, const char *self_id, const char *host_name,
                                  struct error *e);
/* The index of the record's NIC named by "--name [host:]ctr" (the original's matching): with
 * host, the entry with both names; without, the entry whose container name or host name is
 * ctr. type ("veth"/"eth", NULL: any) must match too. (size_t)-1 when none does. */
size_t hp_nic_find(const struct hotplug_record *r, const char *host, const char *ctr,
                   const char *type);
/* A deep copy of n into out. 0, or -1 (ENOMEM). */
int hp_nic_copy(const struct hp_nic *n, struct hp_nic *out);
/* How many of the record's NICs are physical ("eth"). */
size_t hp_nic_count_eth(const struct hotplug_record *r);

/* Takes the lock HOTPLUG_NIC_LOCK (created 0600), waiting for another holder. Taken after a
 * container's record lock, never before. The fd for hp_nic_unlock, or -1 with e. */
int hp_nic_lock(struct error *e);
void hp_nic_unlock(int fd);

/* ---- a physical NIC's identity (nic_identity.c)
 *
 * The container owns its network namespace: it may rename the NIC it was given and make a
 * link of its own under that name. What the tools and the hook move back to the host is the
 * link that is the NIC given, told by what the container cannot forge: its kind (none for a
 * physical NIC; a link the container makes always has one), its permanent hardware address
 * and parent device (a physical NIC's, set by its driver and bus), else (a virtual link
 * standing in for a NIC) its index in the container's namespace. */
struct hp_nic_id {
	char host_name[16];
	struct netlink_link_ident link; /* as it was in the container when it went in */
};
struct hp_nic_ids {
	struct hp_nic_id *v;
	size_t n;
};

/* Whether the link l is the one recorded as want: the same kind and parent device, then the
 * same permanent address when want has one, else the same index. */
bool hp_nic_link_is(const struct netlink_link_ident *want, const struct netlink_link_ident *l);
/* The identities as the file holds them: {"<host name>":{"ctr":...,"ifindex":N,"kind":...,
 * "perm":"aa:bb:..","parent":...,"bus":...},...} with a newline. malloc'd, or NULL. */
char *hp_nic_ids_render(const struct hp_nic_ids *ids);
/* Parses that text (bounded: at most HOTPLUG_MAX_NICS entries, each field checked). 0, or -1
 * with e. */
int hp_nic_ids_parse(const char *text, struct hp_nic_ids *ids, struct error *e);
/* HOTPLUG_NIC_ID_DIR/<id>.json (none: empty). 0, or -1 with e. */
int hp_nic_ids_load(const char *id, struct hp_nic_ids *ids, struct error *e);
/* Writes it atomically (0600; its directory 0700); no identity left removes the file. 0, or
 * -1 with e. */
int hp_nic_ids_save(const char *id, const struct hp_nic_ids *ids, struct error *e);
const struct hp_nic_id *hp_nic_ids_find(const struct hp_nic_ids *ids, const char *host_name);
/* Adds id, replacing the entry of the same host name. 0, or -1 (ENOMEM). */
int hp_nic_ids_put(struct hp_nic_ids *ids, const struct hp_nic_id *id);
void hp_nic_ids_drop(struct hp_nic_ids *ids, const char *host_name);
void hp_nic_ids_free(struct hp_nic_ids *ids);

/* ---- list-nic (nic_list.c) */

/* Parses a list-nic filter (a JSON object of the record's keys, matched case-insensitively:
 * {"ip":"1.2.3.4/24","Mtu":1500}) into f; absent fields match anything (mtu 0, qlen -1).
 * 0, or -1 with e. */
int hp_nic_filter_parse(const char *text, struct hp_nic *f, struct error *e);
bool hp_nic_filter_match(const struct hp_nic *f, const struct hp_nic *n);
/* The NICs matching f (NULL: all) as the original prints them: a JSON array with the keys
 * Ip, Mac, Mtu, Qlen, Type, Bridge, HostNicName, CtrNicName, indented when pretty, with a
 * newline; "" when none matches. malloc'd, NULL when out of memory. */
char *hp_nic_list_render(const struct hotplug_record *r, const struct hp_nic *f, bool pretty);

/* ---- live changes, in a running container (nic_link.c) */

/* Adds n to the container (a veth pair, or the host link moved in) configured and up; for a
 * host link ("eth") its identity goes to *id (id may be NULL for a veth). On failure nothing
 * is left: no veth, the host link back under its own name. 0, or -1 with e. */
int hp_nic_attach(struct hp_net *net, const struct hp_nic *n, struct hp_nic_id *id,
                  struct error *e);
/* Removes n: the veth deleted (already gone is fine), a physical NIC (the link of identity
 * id, whatever its name now) moved back to the host and renamed to its host name. No
 * identity, or no link of that identity in the container: refused, nothing moved. 0, or -1
 * with e. */
int hp_nic_detach(struct hp_net *net, const struct hp_nic *n, const struct hp_nic_id *id,
                  struct error *e);
/* Changes the live NIC old into now (same type and names): IP, MAC, MTU, qlen, bridge. A
 * physical NIC is the link of identity id (NULL: the link of its container name). On failure
 * the old settings are put back. 0, or -1 with e. */
int hp_nic_update(struct hp_net *net, const struct hp_nic *old, const struct hp_nic *now,
                  const struct hp_nic_id *id, struct error *e);

/* ---- isulad-tools' commands (nic_ops.c)
 *
 * Each records first, then, when live, changes the running container; a failed live step is
 * undone and the previous record saved back. Their error messages are whole lines in the
 * original tools' words ("failed to add nic into container: ..."), their progress lines go to
 * out (NULL: none); t->name is the container as the user named it. */

/* add-nic: n (hp_nic_validate's rules, a veth's host name given) is checked against the
 * record (HOTPLUG_MAX_NICS, conflicts, HOTPLUG_MAX_ETH_NICS), the other containers (under
 * HOTPLUG_NIC_LOCK, held until it is recorded) and the host (a veth's host end must not exist,
 * a physical NIC must), recorded, then added to the container; a physical NIC's identity is
 * recorded and the namespace pinned. 0, or -1 with e. */
int hotplug_nic_add(const struct hotplug_target *t, struct hotplug_record *r, bool live,
                    const struct hp_nic *n, FILE *out, struct error *e);
/* remove-nic: the record's NIC named by "[host:]ctr" of type (hp_nic_find) leaves the record,
 * then the container (a physical NIC back to the host; the pin goes with the last one). */
int hotplug_nic_remove(const struct hotplug_target *t, struct hotplug_record *r, bool live,
                       const char *host, const char *ctr, const char *type, FILE *out,
                       struct error *e);
/* update-nic's settings: NULL strings and mtu 0, qlen -1 are left as recorded; "" clears. */
struct hp_nic_change {
	const char *ctr_name; /* the NIC's name in the container */
	const char *ip, *mac, *bridge;
	int mtu, qlen;
};
/* update-nic: the recorded NIC changed (checked with hp_nic_validate and against the other
 * NICs), then the live one; after a new IP the recorded routes are added again. Settings equal
 * to the recorded ones: nothing done, nothing printed. 0, or -1 with e. */
int hotplug_nic_update(const struct hotplug_target *t, struct hotplug_record *r, bool live,
                       const struct hp_nic_change *c, FILE *out, struct error *e);

/* ---- the hook (nic.c) */

/* At a (re)start: pins the container's network namespace on HOTPLUG_NETNS_DIR/<id> when it
 * has physical NICs (only they must come back at stop; a veth's host end dies with the
 * namespace), then adds every recorded NIC, records the physical ones' identities, then adds
 * every recorded route. On failure what this call added is undone and the pin removed. 0, or
 * -1 with e naming the NIC or route. */
int hotplug_network_reapply(const struct hotplug_target *t, const struct hotplug_record *r,
                            struct error *e);
/* At stop (syscontainer-hooks poststop, the container's processes gone): through the pinned
 * namespace, returns the recorded physical NICs (found by their identities) to the host under
 * their host names and deletes the host ends of the veths, then removes the pin and the
 * identities. Goes on past a failure; 0, or -1 with e naming the last one. */
int hotplug_network_release(const char *id, const struct hotplug_record *r, struct error *e);
#endif
