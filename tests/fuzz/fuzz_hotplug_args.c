/* Fuzzes the parsers of isulad-tools' arguments (lib/hotplug): the first byte picks one, the
 * rest is its input. Invariants: a refusal says why (hp_route_validate's too, run on every
 * parsed rule as add-route does); an accepted binding's container path is absolute and never
 * "/", and it formats to a spec that parses to the same binding; an accepted device argument
 * has an absolute path; a weight is 0 or 10..1000. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hotplug/device.h"
#include "hotplug/nic.h"
#include "hotplug/path_spec.h"
#include "hotplug/route.h"
#include "tests/fuzz/fuzz_input.h"

static void routes(const char *text, size_t len)
{
	struct hp_route *v = NULL;
	size_t n = 7;
	struct error e = {0};
	if (hp_routes_parse(text, len, &v, &n, &e) < 0) {
		if (!e.msg[0] || v || n)
			abort();
		return;
	}
	for (size_t i = 0; i < n; i++) {
		e.msg[0] = '\0';
		if (hp_route_validate(&v[i], &e) < 0 && !e.msg[0])
			abort();
	}
	hp_routes_free(v, n);
}

static void binding(const char *text)
{
	struct hp_bind b;
	struct error e = {0};
	if (hp_bind_parse(text, &b, &e) < 0) {
		if (!e.msg[0])
			abort();
		return;
	}
	if (!b.host || b.host[0] != '/' || !b.ctr || b.ctr[0] != '/' || strcmp(b.ctr, "/") == 0)
		abort();
	char *again = hp_bind_format(&b);
	struct hp_bind c;
	if (again) {
		if (hp_bind_parse(again, &c, &e) < 0 || strcmp(c.host, b.host) != 0 ||
		    strcmp(c.ctr, b.ctr) != 0 || c.ro != b.ro || c.prop != b.prop)
			abort();
		hp_bind_free(&c);
	}
	free(again);
	hp_bind_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	char *text = fuzz_cstr(data + 1, size - 1);
	if (!text)
		return 0;
	struct error e = {0};
	switch (data[0] % 6) {
	case 0:
		routes((const char *)data + 1, size - 1);
		break;
	case 1: {
		struct hp_route f = {0};
		if (hp_route_filter_parse(text, &f, &e) == 0)
			hp_route_free(&f);
		else if (!e.msg[0])
			abort();
		break;
	}
	case 2: {
		struct hp_nic f = {0};
		if (hp_nic_filter_parse(text, &f, &e) == 0)
			hp_nic_free(&f);
		else if (!e.msg[0])
			abort();
		break;
	}
	case 3:
		binding(text);
		break;
	case 4: {
		struct hp_device_arg a;
		if (hp_device_arg_parse(text, &a, &e) == 0) {
			if ((a.host && a.host[0] != '/') || (a.ctr && a.ctr[0] != '/') ||
			    (!a.host && !a.ctr))
				abort();
			hp_device_arg_free(&a);
		} else if (!e.msg[0] || a.host || a.ctr) {
			abort();
		}
		break;
	}
	default: {
		struct hp_qos_arg q;
		enum hp_qos_kind k = (enum hp_qos_kind)(size % HP_QOS_KINDS);
		if (hp_qos_arg_parse(k, text, &q, &e) == 0) {
			if (k == HP_WEIGHT && q.value != 0 && (q.value < 10 || q.value > 1000))
				abort();
			hp_qos_arg_free(&q);
		} else if (!e.msg[0]) {
			abort();
		}
		break;
	}
	}
	free(text);
	return 0;
}
