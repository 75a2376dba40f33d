/* Networks: each a CNI conflist (<cni-conf-dir>/<name>.conflist) run with the standard
 * plugins (bridge + host-local, portmap). The default network "bridge" is made on first use
 * unless daemon.json "bridge" is "none". */
#ifndef ENGINE_NETWORK_H
#define ENGINE_NETWORK_H

#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"
#include "engine/cni_conf.h"

#define DEFAULT_NETWORK "bridge"
#define DEFAULT_CNI_CONF_DIR "/etc/cni/net.d"

struct network_settings {
	char *conf_dir;
	char **bin_dirs;
	bool default_off; /* daemon.json "bridge": "none" */
	char *bip;        /* daemon.json "bip": the default network's gateway/prefix */
	char *data_dir;   /* <graph>/cni: host-local's leases */
	char *netns_dir;  /* <state>/netns: the containers' network namespaces */
};
extern struct network_settings g_net;

/* What we keep about a network beside its plugins (the conflist's "isulad" object). */
struct network_info {
	char *name, *id, *subnet, *gateway, *bridge, *created;
	bool internal;
	char **labels; /* "k=v" */
};

struct network_request {
	const char *name, *driver, *subnet, *gateway;
	bool internal;
	char *const *labels; /* "k=v" */
};

void network_info_free(struct network_info *n);
/* The network named ref (or whose id starts with ref): 0 with l and info filled (either may
 * be NULL), or -1 with e (ERR_NOT_FOUND naming ref). */
int network_get(const char *ref, struct cni_conflist *l, struct network_info *info,
                struct error *e);
/* The names of every network, sorted (strv). */
char **network_names(void);
/* Creates a network: 0 with info filled (may be NULL), or -1 with e. */
int network_create(const struct network_request *rq, struct network_info *info, struct error *e);
/* Makes the default network if it does not exist yet: 0, or -1 with e. */
int network_ensure_default(struct error *e);
/* Removes a network no container uses (the caller checked): its conflist, bridge and
 * leases. 0, or -1 with e. */
int network_remove(const char *name, struct error *e);
/* At daemon start: puts back each network's masquerading rule where it is missing. */
void network_restore_all(void);
/* Whether ip (numeric) lies in info's subnet. */
bool network_contains(const struct network_info *info, const char *ip);

#endif
