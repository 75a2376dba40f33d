/* Fuzzes hotplug_record_parse (lib/hotplug/record.h): device_hook.json, a file a root user may
 * have edited and the hook reads at every start. Invariants: a refusal says why and leaves an
 * empty record; an accepted record renders to text that parses again to the same text (what
 * the tools save is what they load). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hotplug/record.h"
#include "tests/fuzz/fuzz_input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_cstr(data, size);
	if (!text)
		return 0;
	struct hotplug_record r;
	struct error e = {0};
	if (hotplug_record_parse(text, &r, &e) < 0) {
		if (!e.msg[0] || r.n_devices || r.n_binds || r.n_nics || r.n_routes)
			abort();
		free(text);
		return 0;
	}
	char *out = hotplug_record_render(&r);
	if (out) {
		struct hotplug_record again;
		if (hotplug_record_parse(out, &again, &e) < 0)
			abort();
		char *out2 = hotplug_record_render(&again);
		if (out2 && strcmp(out, out2) != 0)
			abort();
		free(out2);
		hotplug_record_free(&again);
	}
	free(out);
	hotplug_record_free(&r);
	free(text);
	return 0;
}
