/* Fuzzes the hook-spec parser (lib/engine/oci_hooks: what `isula create --hook-spec` and the
 * daemon's default hook spec hold) on the file's bytes, as oci_hooks_load_file reads them
 * (json_parse, then oci_hooks_parse; the program checks stat host paths and are left out).
 * Invariants: a refusal says why and leaves nothing allocated; every parsed hook has a path,
 * env entries KEY=VALUE and a timeout >= 0; the JSON form parses back to hooks whose JSON
 * form is the same text; appending a set to itself doubles every stage; nothing leaks. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "engine/oci_hooks.h"
#include "tests/fuzz/fuzz_input.h"

static char *render(const struct oci_hooks *h)
{
	yajl_gen g = yajl_gen_alloc(NULL);
	if (!g)
		return NULL;
	oci_hooks_gen(g, h);
	return jg_finish(g, NULL);
}

static void check_hooks(const struct oci_hooks *h)
{
	for (int s = 0; s < OCI_HOOK_STAGES; s++) {
		for (size_t i = 0; i < h->stage[s].n; i++) {
			const struct oci_hook *k = &h->stage[s].v[i];
			if (!k->path || !*k->path || k->timeout < 0)
				abort();
			for (size_t j = 0; k->env && k->env[j]; j++) {
				if (k->env[j][0] == '=' || !strchr(k->env[j], '='))
					abort();
			}
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 64 * 1024)
		return 0;
	char *text = fuzz_cstr(data, size);
	if (!text)
		return 0;
	char err[1024] = "";
	yajl_val root = json_parse(text, err, sizeof(err));
	free(text);
	if (!root)
		return 0;
	struct oci_hooks h;
	err[0] = '\0';
	if (oci_hooks_parse(root, &h, err, sizeof(err)) < 0) {
		if (!err[0] || !oci_hooks_empty(&h))
			abort();
		yajl_tree_free(root);
		return 0;
	}
	yajl_tree_free(root);
	check_hooks(&h);
	char *json = render(&h);
	if (json) {
		yajl_val again = json_parse(json, err, sizeof(err));
		struct oci_hooks h2;
		if (!again || oci_hooks_parse(again, &h2, err, sizeof(err)) < 0)
			abort();
		char *json2 = render(&h2);
		if (json2 && strcmp(json, json2) != 0)
			abort();
		free(json2);
		oci_hooks_free(&h2);
		yajl_tree_free(again);
		free(json);
	}
	struct oci_hooks twice = {0};
	if (oci_hooks_append(&twice, &h) == 0 && oci_hooks_append(&twice, &h) == 0) {
		for (int s = 0; s < OCI_HOOK_STAGES; s++) {
			if (twice.stage[s].n != 2 * h.stage[s].n)
				abort();
		}
	}
	oci_hooks_free(&twice);
	oci_hooks_free(&h);
	return 0;
}
