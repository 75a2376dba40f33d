#include "engine/cni_result.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"

/* "10.1.0.5/16" into ip and prefix; 0 or -1. */
static int parse_cidr(const char *s, struct cni_ip *out)
{
	const char *slash = strchr(s, '/');
	size_t len = slash ? (size_t)(slash - s) : 0;
	if (!slash || len == 0 || len >= sizeof(out->ip))
		return -1;
	memcpy(out->ip, s, len);
	out->ip[len] = '\0';
	unsigned char buf[16];
	if (inet_pton(AF_INET, out->ip, buf) == 1)
		out->v6 = false;
	else if (inet_pton(AF_INET6, out->ip, buf) == 1)
		out->v6 = true;
	else
		return -1;
	char *end = NULL;
	long p = strtol(slash + 1, &end, 10);
	if (end == slash + 1 || *end || p < 0 || p > (out->v6 ? 128 : 32))
		return -1;
	out->prefix = (int)p;
	return 0;
}

static bool mac_ok(const char *s)
{
	if (strlen(s) != 17)
		return false;
	for (int i = 0; i < 17; i++) {
		bool hex = (s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f') ||
		           (s[i] >= 'A' && s[i] <= 'F');
		if (i % 3 == 2 ? s[i] != ':' : !hex)
			return false;
	}
	return true;
}

static int parse_ifaces(yajl_val arr, struct cni_result *r, char *err, size_t errlen)
{
	for (size_t i = 0; arr && YAJL_IS_ARRAY(arr) && i < arr->u.array.len; i++) {
		yajl_val v = arr->u.array.values[i];
		const char *name = json_get_str(v, "name");
		const char *mac = json_get_str(v, "mac");
		if (!YAJL_IS_OBJECT(v) || !name || !*name ||
		    strlen(name) >= sizeof(r->ifaces[0].name) || (mac && *mac && !mac_ok(mac))) {
			snprintf(err, errlen, "CNI result: interface %zu is malformed", i);
			return -1;
		}
		if (r->n_ifaces == CNI_RESULT_MAX)
			continue;
		struct cni_iface *f = &r->ifaces[r->n_ifaces++];
		snprintf(f->name, sizeof(f->name), "%s", name);
		snprintf(f->mac, sizeof(f->mac), "%s", mac ? mac : "");
		const char *sb = json_get_str(v, "sandbox");
		f->in_sandbox = sb && *sb;
	}
	return 0;
}

static int parse_ips(yajl_val arr, struct cni_result *r, char *err, size_t errlen)
{
	for (size_t i = 0; arr && YAJL_IS_ARRAY(arr) && i < arr->u.array.len; i++) {
		yajl_val v = arr->u.array.values[i];
		const char *addr = json_get_str(v, "address");
		const char *gw = json_get_str(v, "gateway");
		struct cni_ip ip = {.iface = -1};
		unsigned char buf[16];
		if (!YAJL_IS_OBJECT(v) || !addr || parse_cidr(addr, &ip) < 0 ||
		    (gw && (strlen(gw) >= sizeof(ip.gateway) ||
		            inet_pton(ip.v6 ? AF_INET6 : AF_INET, gw, buf) != 1))) {
			snprintf(err, errlen, "CNI result: address %zu is malformed", i);
			return -1;
		}
		snprintf(ip.gateway, sizeof(ip.gateway), "%s", gw ? gw : "");
		yajl_val idx = json_get(v, "interface");
		if (idx && YAJL_IS_INTEGER(idx) && YAJL_GET_INTEGER(idx) >= 0 &&
		    YAJL_GET_INTEGER(idx) < (long long)r->n_ifaces)
			ip.iface = (int)YAJL_GET_INTEGER(idx);
		if (r->n_ips < CNI_RESULT_MAX)
			r->ips[r->n_ips++] = ip;
	}
	return 0;
}

int cni_result_parse(const char *text, struct cni_result *r, char *err, size_t errlen)
{
	memset(r, 0, sizeof(*r));
	char perr[256] = "";
	yajl_val root = text ? json_parse(text, perr, sizeof(perr)) : NULL;
	if (!root || !YAJL_IS_OBJECT(root)) {
		snprintf(err, errlen, "CNI result is not a JSON object");
		if (root)
			yajl_tree_free(root);
		return -1;
	}
	int ret = parse_ifaces(json_get(root, "interfaces"), r, err, errlen);
	if (ret == 0)
		ret = parse_ips(json_get(root, "ips"), r, err, errlen);
	yajl_tree_free(root);
	return ret;
}

const struct cni_ip *cni_result_ipv4(const struct cni_result *r, const char *ifname,
                                     const char **mac)
{
	for (size_t i = 0; i < r->n_ips; i++) {
		const struct cni_ip *ip = &r->ips[i];
		const struct cni_iface *f = ip->iface >= 0 ? &r->ifaces[ip->iface] : NULL;
		if (ip->v6 || (f && ifname && (!f->in_sandbox || strcmp(f->name, ifname) != 0)))
			continue;
		if (mac)
			*mac = f ? f->mac : "";
		return ip;
	}
	return NULL;
}

/* Copies s into out (at most outlen - 1 bytes), control characters as spaces. */
static void copy_clean(char *out, size_t outlen, size_t *pos, const char *s)
{
	for (; s && *s && *pos + 1 < outlen; s++)
		out[(*pos)++] = (unsigned char)*s < 0x20 || *s == 0x7f ? ' ' : *s;
	out[*pos] = '\0';
}

void cni_error_text(const char *out, char *msg, size_t msglen)
{
	if (msglen == 0)
		return;
	size_t pos = 0;
	msg[0] = '\0';
	yajl_val root = out && *out ? json_parse(out, NULL, 0) : NULL;
	const char *m = json_get_str(root, "msg");
	if (m) {
		copy_clean(msg, msglen, &pos, m);
		const char *d = json_get_str(root, "details");
		if (d && *d) {
			copy_clean(msg, msglen, &pos, ": ");
			copy_clean(msg, msglen, &pos, d);
		}
	} else {
		copy_clean(msg, msglen, &pos, out ? out + strspn(out, " \t\r\n") : "");
		while (pos > 0 && msg[pos - 1] == ' ')
			msg[--pos] = '\0';
	}
	if (root)
		yajl_tree_free(root);
}
