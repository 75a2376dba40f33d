/* Fuzzes the translation of a Docker JSON seccomp profile (--security-opt seccomp=...) into
 * liblxc's text. Invariants: a translation starts with liblxc's version line and a policy
 * line, and every later line is "name action..." with a name of [a-z0-9_] only: nothing in
 * the profile can add a line of its own; nothing leaks (ASan). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_input.h"
#include "host/seccomp_json.h"

static void check(const char *t)
{
	if (strncmp(t, "2\n", 2) != 0)
		abort();
	const char *line = strchr(t, '\n') + 1;
	if (strncmp(line, "denylist", 8) != 0 && strncmp(line, "allowlist", 9) != 0)
		abort();
	for (line = strchr(line, '\n'); line && line[1]; line = strchr(line + 1, '\n')) {
		const char *p = line + 1;
		size_t n = strspn(p, "abcdefghijklmnopqrstuvwxyz0123456789_");
		if (n == 0 || p[n] != ' ')
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 8 || size > 64 * 1024)
		return 0;
	uint64_t caps;
	memcpy(&caps, data, sizeof(caps));
	char *json = fuzz_cstr(data + 8, size - 8);
	if (!json)
		return 0;
	char err[256];
	/* The capability mask's two top bits (no capability has them) pick the conditions. */
	struct seccomp_target target = {.caps = caps & ~(3ULL << 62),
	                                .system_container = (caps >> 63) & 1,
	                                .user_namespaces = (caps >> 62) & 1};
	char *t = seccomp_json_translate(json, &target, err, sizeof(err));
	if (t)
		check(t);
	free(t);
	free(json);
	return 0;
}
