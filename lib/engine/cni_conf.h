/* A CNI network configuration list (a ".conflist": {"cniVersion", "name", "plugins": [...]})
 * and the stdin each of its plugins gets (its own object with the list's name and version,
 * the previous plugin's result, and the container's runtime settings). */
#ifndef LIB_ENGINE_CNI_CONF_H
#define LIB_ENGINE_CNI_CONF_H

#include <stdbool.h>
#include <stddef.h>
#include <yajl/yajl_tree.h>

#define CNI_NAME_MAX 200 /* the seed: network names are at most 200 characters */

struct cni_conflist {
	yajl_val root;
	const char *name, *version; /* inside root */
	yajl_val *plugins;          /* inside root, n of them, each an object with a "type" */
	size_t n;
};

/* A published port for the portmap plugin (runtimeConfig.portMappings). */
struct cni_port {
	int host_port, container_port;
	char proto[4];    /* "tcp" or "udp" */
	char host_ip[46]; /* "" for every address */
};

/* What the container asks of the network: a fixed address and MAC (args.cni.ips / .mac, read
 * by host-local and bridge) and published ports (to plugins with the portMappings
 * capability). Any may be absent. */
struct cni_runtime {
	const char *ip;
	const char *mac;
	const struct cni_port *ports;
	size_t n_ports;
};

/* A network name: [a-zA-Z0-9][a-zA-Z0-9_.-]*, at most CNI_NAME_MAX. */
bool cni_name_ok(const char *name);
/* Parses text: 0, or -1 with err naming what is wrong. */
int cni_conflist_parse(const char *text, struct cni_conflist *l, char *err, size_t errlen);
void cni_conflist_free(struct cni_conflist *l);
/* The JSON stdin of plugin i: malloc'd, or NULL (out of memory, or prev_result not JSON). */
char *cni_plugin_stdin(const struct cni_conflist *l, size_t i, const char *prev_result,
                       const struct cni_runtime *rt);

#endif
