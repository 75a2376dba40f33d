#include "host/kernel_modules.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/strv.h"

#define KEY "KERNEL_MODULES="
#define MODULE_NAME_MAX 55 /* the kernel's MODULE_NAME_LEN less its NUL */

static int valid_name(const char *s, size_t len)
{
	if (len == 0 || len > MODULE_NAME_MAX)
		return 0;
	for (size_t i = 0; i < len; i++) {
		if (!isalnum((unsigned char)s[i]) && s[i] != '_' && s[i] != '-')
			return 0;
	}
	return 1;
}

int kernel_modules_from_env(char *const *env, char ***names, char *err, size_t errlen)
{
	*names = NULL;
	int idx = -1; /* the last one wins, as for any repeated -e */
	for (size_t i = 0; env && env[i]; i++) {
		if (strncmp(env[i], KEY, strlen(KEY)) == 0)
			idx = (int)i;
	}
	if (idx < 0)
		return 0;
	const char *p = env[idx] + strlen(KEY);
	while (*p) {
		size_t len = strcspn(p, ",");
		if (len > 0 && !valid_name(p, len)) {
			snprintf(err, errlen,
			         "Invalid KERNEL_MODULES entry '%.*s': a module name is 1 to %d "
			         "letters, digits, '-' or '_'",
			         (int)(len > 200 ? 200 : len), p, MODULE_NAME_MAX);
			strv_free(*names);
			*names = NULL;
			return -1;
		}
		if (len > 0) {
			char name[MODULE_NAME_MAX + 1];
			snprintf(name, sizeof(name), "%.*s", (int)len, p);
			strv_push(names, name);
		}
		p += len;
		if (*p == ',')
			p++;
	}
	return 0;
}

void kernel_module_sysfs_name(const char *name, char *buf, size_t len)
{
	snprintf(buf, len, "%s", name);
	for (char *c = buf; *c; c++) {
		if (*c == '-')
			*c = '_';
	}
}
