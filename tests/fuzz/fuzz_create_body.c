/* Fuzzes the container create body's parsers (engine/daemon: container_config_parse,
 * host_config_parse with its security, sysopt and network parts, net_config_parse over the
 * whole body) as route_container_create runs them, with the check of Config.Healthcheck
 * (healthcheck_validate) (the checks after them read host state,
 * and the lxc config checker they use has its own target). Invariants: a refusal says why; what was
 * accepted, written in its disk form (config.v2.json / hostconfig.json), parses again, and the
 * second disk form is the same text (a container that cannot be read back after a restart is lost);
 * nothing leaks. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "engine/daemon/container.h"
#include "engine/healthcheck.h"
#include "tests/fuzz/fuzz_input.h"

static char *disk_form(const struct container *c)
{
	yajl_gen g = yajl_gen_alloc(NULL);
	if (!g)
		return NULL;
	yajl_gen_map_open(g);
	jg_key(g, "Config");
	container_config_gen(g, &c->config);
	jg_key(g, "HostConfig");
	host_config_gen(g, &c->host);
	yajl_gen_map_close(g);
	return jg_finish(g, NULL);
}

/* route_container_create's new_container, without the id and clock. NULL with err set. */
static struct container *parse_body(yajl_val body, char *err, size_t errlen)
{
	struct container *c =
	    container_new("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
	if (!c)
		return NULL;
	if (container_config_parse(body, &c->config, err, errlen) < 0 ||
	    host_config_parse(json_get(body, "HostConfig"), &c->host, err, errlen) < 0) {
		container_free(c);
		return NULL;
	}
	net_config_free(&c->host.net);
	if (net_config_parse(json_get(body, "HostConfig"), body, &c->host.net, err, errlen) < 0) {
		container_free(c);
		return NULL;
	}
	return c;
}

/* The daemon's reload: each part from its own file. */
static struct container *parse_disk(yajl_val disk, char *err, size_t errlen)
{
	struct container *c = container_new(NULL);
	if (!c)
		return NULL;
	if (container_config_parse(json_get(disk, "Config"), &c->config, err, errlen) < 0 ||
	    host_config_parse(json_get(disk, "HostConfig"), &c->host, err, errlen) < 0) {
		container_free(c);
		return NULL;
	}
	return c;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 64 * 1024)
		return 0;
	char *text = fuzz_cstr(data, size);
	if (!text)
		return 0;
	char err[1024] = "";
	yajl_val body = json_parse(text, err, sizeof(err));
	free(text);
	if (!body)
		return 0;
	if (!YAJL_IS_OBJECT(body)) { /* route_json_object refuses it */
		yajl_tree_free(body);
		return 0;
	}
	err[0] = '\0';
	struct container *c = parse_body(body, err, sizeof(err));
	yajl_tree_free(body);
	if (!c) {
		if (!err[0])
			abort();
		return 0;
	}
	if (healthcheck_validate(c->config.healthcheck, err, sizeof(err)) < 0 && !err[0])
		abort();
	char *disk = disk_form(c);
	if (disk) {
		yajl_val again = json_parse(disk, err, sizeof(err));
		if (!again)
			abort();
		struct container *d = parse_disk(again, err, sizeof(err));
		if (!d)
			abort();
		char *disk2 = disk_form(d);
		if (disk2 && strcmp(disk, disk2) != 0)
			abort();
		free(disk2);
		container_free(d);
		yajl_tree_free(again);
		free(disk);
	}
	container_free(c);
	return 0;
}
