/* Fuzzes json_parse (lib/core/json.h), the one entry for JSON from outside (API bodies, state
 * files). Invariants: a tree is never deeper than JSON_MAX_DEPTH, a refusal says why, and the tree
 * written back with jg_value (as isula and the OCI hooks do) parses again. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "tests/fuzz/fuzz_input.h"

/* Levels of arrays and objects in v, counted no further than JSON_MAX_DEPTH + 1. */
static unsigned depth(yajl_val v, unsigned at)
{
	unsigned max = at;
	if (at > JSON_MAX_DEPTH || !v || !(YAJL_IS_OBJECT(v) || YAJL_IS_ARRAY(v)))
		return at;
	size_t n = YAJL_IS_OBJECT(v) ? v->u.object.len : v->u.array.len;
	yajl_val *child = YAJL_IS_OBJECT(v) ? v->u.object.values : v->u.array.values;
	for (size_t i = 0; i < n; i++) {
		unsigned d = depth(child[i], at + 1);
		if (d > max)
			max = d;
	}
	return max == at ? at + 1 : max;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_cstr(data, size);
	if (!text)
		return 0;
	char err[256] = "";
	yajl_val tree = json_parse(text, err, sizeof(err));
	if (!tree) {
		if (!err[0])
			abort();
		free(text);
		return 0;
	}
	if (depth(tree, 0) > JSON_MAX_DEPTH)
		abort();
	yajl_gen g = yajl_gen_alloc(NULL);
	if (g) {
		jg_value(g, tree);
		char *out = jg_finish(g, NULL);
		if (out) {
			yajl_val again = json_parse(out, err, sizeof(err));
			if (!again)
				abort();
			yajl_tree_free(again);
		}
		free(out);
	}
	yajl_tree_free(tree);
	free(text);
	return 0;
}
