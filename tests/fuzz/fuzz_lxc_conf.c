/* Fuzzes the lxc config line checker (lib/engine/lxc_conf.h): byte 0 picks the key, byte 1 the
 * quote buffer's size, the rest is the value. Invariants: an accepted value has no control
 * character and no outer blank; lxc_conf_quote's output has no control character and fits its
 * buffer. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "engine/lxc_conf.h"

static const char *const g_keys[] = {NULL, "lxc.mount.entry", "lxc.hook.start-host",
                                     "lxc.uts.name"};

static int has_control(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p < 0x20 || *p == 0x7f)
			return 1;
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2)
		return 0;
	const char *key = g_keys[data[0] % 4];
	size_t qlen = data[1];
	char *value = malloc(size - 2 + 1);
	if (!value)
		return 0;
	memcpy(value, data + 2, size - 2);
	value[size - 2] = '\0';
	size_t len = strlen(value);

	if (!lxc_conf_value_problem(key, value)) {
		if (has_control(value) || (len && (value[0] == ' ' || value[len - 1] == ' ')))
			abort();
		/* A mount entry: six fields, one blank between each. */
		if (key && strcmp(key, "lxc.mount.entry") == 0) {
			int blanks = 0;
			for (size_t i = 0; i < len; i++)
				blanks += value[i] == ' ';
			if (blanks != 5 || strstr(value, "  ") || strchr(value, '\\'))
				abort();
		}
	}
	if (!lxc_conf_field_problem(value)) {
		if (!len || has_control(value) || strpbrk(value, " \\"))
			abort();
	}
	/* Exactly qlen bytes, so that ASan sees a write past them. */
	char *buf = malloc(qlen ? qlen : 1);
	if (buf) {
		if (lxc_conf_quote(value, buf, qlen) != buf)
			abort();
		if (qlen > 0 && (strnlen(buf, qlen) == qlen || has_control(buf)))
			abort();
		free(buf);
	}
	free(value);
	return 0;
}
