/* Fuzzes the list and events filters (lib/engine/list_filter): the first byte picks the side.
 * 0: the text is ?filters= as the daemon gets it, checked against `ps`'s and `events`' keys
 * and matched against fixed items; 1: each line is a client -f KEY=VALUE flag. Invariants:
 * a refusal says why; an accepted filter has only known keys; the client's JSON parses to an
 * object holding every flag's value once under its key; nothing leaks (ASan). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "engine/list_filter.h"
#include "tests/fuzz/fuzz_input.h"

static const char *const g_ps_keys[] = {"status", "name", "id", "label", NULL};
static const char *const g_event_keys[] = {"container", "event", "type", "image", NULL};

static bool prefix_of(const void *item, const char *want)
{
	return strncmp((const char *)item, want, strlen(want)) == 0;
}

static void daemon_side(const char *text, const char *const *known)
{
	char err[512] = "";
	yajl_val f = list_filters_parse(text, known, err, sizeof(err));
	if (!f) {
		if (!err[0])
			abort();
		return;
	}
	if (!YAJL_IS_OBJECT(f))
		abort();
	for (size_t i = 0; i < f->u.object.len; i++) {
		size_t k = 0;
		while (known[k] && strcmp(known[k], f->u.object.keys[i]) != 0)
			k++;
		if (!known[k])
			abort();
		list_filter_any(f, known[k], prefix_of, "4a7e0f3c1b2d web running");
		list_filter_any(f, known[k], prefix_of, "");
	}
	yajl_tree_free(f);
}

static void client_side(char *text)
{
	char *flags[64];
	size_t n = 0;
	for (char *line = text; line && n < 64;) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl++ = '\0';
		flags[n++] = line;
		line = nl;
	}
	char err[512] = "";
	char *json = list_filters_from_flags(flags, n, err, sizeof(err));
	if (!json) {
		if (!err[0])
			abort();
		return;
	}
	yajl_val v = json_parse(json, err, sizeof(err));
	if (!v || !YAJL_IS_OBJECT(v))
		abort();
	size_t values = 0;
	for (size_t i = 0; i < v->u.object.len; i++) {
		yajl_val a = v->u.object.values[i];
		if (!YAJL_IS_ARRAY(a) || a->u.array.len == 0 || !*v->u.object.keys[i])
			abort();
		values += a->u.array.len;
	}
	if (values != n)
		abort();
	yajl_tree_free(v);
	free(json);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > 16 * 1024)
		return 0;
	char *text = fuzz_cstr(data + 1, size - 1);
	if (!text)
		return 0;
	if (data[0] & 1) {
		client_side(text);
	} else {
		daemon_side(text, g_ps_keys);
		daemon_side(text, g_event_keys);
	}
	free(text);
	return 0;
}
