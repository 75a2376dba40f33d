/* What a CNI plugin prints: a result (spec 0.4.0/1.0.0: interfaces, ips, routes, dns) or an
 * error object ({"code", "msg", "details"}). Plugin output is outside input: bounded, and
 * every address is checked before it is kept. */
#ifndef LIB_ENGINE_CNI_RESULT_H
#define LIB_ENGINE_CNI_RESULT_H

#include <stdbool.h>
#include <stddef.h>

#define CNI_RESULT_MAX 8 /* interfaces and ips kept; more are ignored */

struct cni_ip {
	char ip[46];      /* numeric address */
	int prefix;       /* prefix length */
	char gateway[46]; /* "" when none */
	int iface;        /* index into interfaces, -1 when absent */
	bool v6;
};

struct cni_iface {
	char name[16];   /* IFNAMSIZ */
	char mac[18];    /* "aa:bb:cc:dd:ee:ff" or "" */
	bool in_sandbox; /* has "sandbox": the container's side */
};

struct cni_result {
	struct cni_iface ifaces[CNI_RESULT_MAX];
	size_t n_ifaces;
	struct cni_ip ips[CNI_RESULT_MAX];
	size_t n_ips;
};

/* Parses a result: 0, or -1 with err saying what is wrong (not JSON, a bad address). */
int cni_result_parse(const char *text, struct cni_result *r, char *err, size_t errlen);
/* The container's first IPv4 address (on the sandbox interface ifname when it is named),
 * or NULL; *mac (may be NULL) gets that interface's MAC or "". */
const struct cni_ip *cni_result_ipv4(const struct cni_result *r, const char *ifname,
                                     const char **mac);
/* A plugin's error output as one line: "msg: details" (or the raw text, cut, without control
 * characters, when it is not an error object). Always NUL-terminated. */
void cni_error_text(const char *out, char *msg, size_t msglen);

#endif
