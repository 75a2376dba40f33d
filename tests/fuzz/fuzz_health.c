/* Fuzzes what health checks take from outside: a check's output, which the container writes
 * (engine/daemon/health_state.c: health_output), and State.Health read back from a state file
 * (health_state_parse). The first byte picks one (and, for the output, whether more came than
 * was read). Invariants: the kept output is valid UTF-8 without NUL bytes, within
 * HEALTH_OUTPUT_MAX bytes of input (each bad byte becoming 3) plus "..."; a parsed state
 * keeps at most HEALTH_LOG_MAX results, writes a disk form that parses back to the same
 * text; nothing leaks (ASan). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "core/utf8.h"
#include "engine/daemon/health_state.h"
#include "tests/fuzz/fuzz_input.h"

static void output(const uint8_t *data, size_t size, bool truncated)
{
	char *out = health_output((const char *)data, size, truncated);
	if (!out)
		return;
	size_t n = strlen(out);
	if (!utf8_valid(out, n) || n > 3 * HEALTH_OUTPUT_MAX + 3)
		abort();
	if ((truncated || size > HEALTH_OUTPUT_MAX) && (n < 3 || strcmp(out + n - 3, "...") != 0))
		abort();
	free(out);
}

static char *gen(const struct health_state *h)
{
	yajl_gen g = yajl_gen_alloc(NULL);
	if (!g)
		return NULL;
	yajl_gen_map_open(g);
	health_state_gen(g, h);
	yajl_gen_map_close(g);
	return jg_finish(g, NULL);
}

static void state(const uint8_t *data, size_t size)
{
	char *text = fuzz_cstr(data, size);
	if (!text)
		return;
	yajl_val node = json_parse(text, NULL, 0);
	free(text);
	if (!node)
		return;
	struct health_state h;
	health_state_parse(node, &h);
	yajl_tree_free(node);
	if (h.n_log > HEALTH_LOG_MAX || (h.status == HEALTH_NONE && h.n_log != 0))
		abort();
	char *disk = gen(&h);
	if (disk) {
		yajl_val again = json_parse(disk, NULL, 0);
		if (!again)
			abort();
		struct health_state back;
		health_state_parse(json_get(again, "Health"), &back);
		char *disk2 = gen(&back);
		if (disk2 && strcmp(disk, disk2) != 0)
			abort();
		free(disk2);
		health_state_free(&back);
		yajl_tree_free(again);
		free(disk);
	}
	health_state_free(&h);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > 64 * 1024)
		return 0;
	if (data[0] % 2 == 0)
		output(data + 1, size - 1, data[0] & 2);
	else
		state(data + 1, size - 1);
	return 0;
}
