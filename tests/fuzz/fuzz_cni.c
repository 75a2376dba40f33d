/* Fuzzes the CNI parsers (lib/engine/cni_result, cni_conf, port_spec) on raw bytes: a plugin's
 * result, its error object, a conflist and the stdin built from it, a -p spec.
 * Invariants: every kept address is numeric and its prefix in range; an error text is
 * NUL-terminated, within its buffer and free of control characters; a plugin's stdin built
 * from a parsed conflist is JSON that parses again. */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "engine/cni_conf.h"
#include "engine/cni_result.h"
#include "engine/port_spec.h"
#include "fuzz_input.h"

static void check_result(const char *s)
{
	struct cni_result r;
	char err[128];
	if (cni_result_parse(s, &r, err, sizeof(err)) < 0)
		return;
	if (r.n_ips > CNI_RESULT_MAX || r.n_ifaces > CNI_RESULT_MAX)
		abort();
	for (size_t i = 0; i < r.n_ips; i++) {
		unsigned char buf[16];
		if (inet_pton(r.ips[i].v6 ? AF_INET6 : AF_INET, r.ips[i].ip, buf) != 1 ||
		    r.ips[i].prefix < 0 || r.ips[i].prefix > (r.ips[i].v6 ? 128 : 32) ||
		    r.ips[i].iface >= (int)r.n_ifaces)
			abort();
	}
	const char *mac = NULL;
	const struct cni_ip *ip = cni_result_ipv4(&r, "eth0", &mac);
	if (ip && (ip->v6 || !mac))
		abort();
}

static void check_error(const char *s)
{
	char msg[64];
	memset(msg, 'x', sizeof(msg));
	cni_error_text(s, msg, sizeof(msg));
	size_t n = strnlen(msg, sizeof(msg));
	if (n == sizeof(msg))
		abort();
	for (size_t i = 0; i < n; i++) {
		if ((unsigned char)msg[i] < 0x20 || msg[i] == 0x7f)
			abort();
	}
}

static void check_conflist(const char *s)
{
	struct cni_conflist l;
	char err[128];
	if (cni_conflist_parse(s, &l, err, sizeof(err)) < 0)
		return;
	struct cni_port port = {.host_port = 8080, .container_port = 80, .proto = "tcp"};
	struct cni_runtime rt = {
	    .ip = "10.0.0.2", .mac = "02:00:00:00:00:01", .ports = &port, .n_ports = 1};
	for (size_t i = 0; i < l.n; i++) {
		char *in = cni_plugin_stdin(&l, i, "{\"cniVersion\":\"1.0.0\",\"ips\":[]}", &rt);
		if (!in)
			abort();
		yajl_val v = json_parse(in, NULL, 0);
		if (!v || !json_get_str(v, "type"))
			abort();
		yajl_tree_free(v);
		free(in);
	}
	cni_conflist_free(&l);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstr(data, size);
	if (!s)
		return 0;
	check_result(s);
	check_error(s);
	check_conflist(s);
	struct cni_port p;
	char err[256];
	if (port_spec_parse(s, &p, err, sizeof(err)) == 0 &&
	    (p.host_port < 1 || p.host_port > 65535 || p.container_port < 1 ||
	     p.container_port > 65535 ||
	     (strcmp(p.proto, "tcp") != 0 && strcmp(p.proto, "udp") != 0)))
		abort();
	free(s);
	return 0;
}
