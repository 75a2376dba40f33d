/* Fuzzes --env-target-file's merge (lib/engine/env_merge): the input is the env file found in
 * the rootfs, merged over a fixed container env. Invariants: the container's entries stay
 * first and unchanged (--env prevails); every added entry is KEY=VALUE with a valid key not
 * already set, and no key appears twice; the rendered file has one line per entry without a
 * newline and nothing else; nothing leaks. */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/strv.h"
#include "engine/env_merge.h"
#include "tests/fuzz/fuzz_input.h"

static const char *const g_base[] = {"PATH=/usr/bin:/bin", "HOME=/root", "A=1", NULL};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 64 * 1024)
		return 0;
	char *text = fuzz_cstr(data, size);
	char **env = strv_dup((char *const *)g_base);
	if (!text || !env) {
		free(text);
		strv_free(env);
		return 0;
	}
	size_t base = strv_len(env);
	int added = env_merge_file(&env, text);
	if (added < 0 || strv_len(env) != base + (size_t)added)
		abort();
	for (size_t i = 0; i < base; i++) {
		if (strcmp(env[i], g_base[i]) != 0)
			abort();
	}
	for (size_t i = 0; env[i]; i++) {
		const char *eq = strchr(env[i], '=');
		if (!eq || eq == env[i] || (!isalpha((unsigned char)env[i][0]) && env[i][0] != '_'))
			abort();
		size_t klen = (size_t)(eq - env[i]);
		for (size_t j = 0; j < i; j++) {
			if (strncmp(env[j], env[i], klen + 1) == 0)
				abort();
		}
	}
	size_t len;
	char *out = env_render(env, &len);
	if (out) {
		size_t lines = 0, want = 0;
		for (size_t i = 0; i < len; i++)
			lines += out[i] == '\n';
		for (size_t i = 0; env[i]; i++)
			want += strchr(env[i], '\n') == NULL;
		if (strlen(out) != len || lines != want || (len && out[len - 1] != '\n'))
			abort();
		free(out);
	}
	strv_free(env);
	free(text);
	return 0;
}
