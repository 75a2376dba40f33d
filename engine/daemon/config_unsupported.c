#include "config_unsupported.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static const char NO_IMAGES[] = "this engine has no images: containers run from "
                                "--external-rootfs (isula run --external-rootfs DIR none init)";
static const char NO_REGISTRY[] = "this engine pulls no images, so it talks to no registry: "
                                  "containers run from --external-rootfs";
static const char NO_CRI[] = "this engine has no CRI (Kubernetes) service";

static const struct {
	const char *key;  /* daemon.json, or NULL (a flag alone) */
	const char *flag; /* long flag, or NULL */
	char short_flag;
	const char *only; /* the one value there is, or NULL */
	const char *why;
} g_unsupported[] = {
    {"engine", "engine", 'e', "lcr", "the only engine is lcr (liblxc), the default"},
    {"default-runtime", NULL, 0, "lcr", "the only runtime is lcr (liblxc), the default"},
    {"runtimes", NULL, 0, NULL,
     "the only runtime is lcr (liblxc): kata-runtime and other runtimes cannot be added"},
    {"storage-driver", "storage-driver", 0, NULL, NO_IMAGES},
    {"storage-opts", "storage-opt", 's', NULL, NO_IMAGES},
    {"image-opt-timeout", "image-opt-timeout", 0, NULL, NO_IMAGES},
    {"image-layer-check", "image-layer-check", 0, NULL, NO_IMAGES},
    {"registry-mirrors", "registry-mirrors", 0, NULL, NO_REGISTRY},
    {"insecure-registries", "insecure-registry", 0, NULL, NO_REGISTRY},
    {"use-decrypted-key", "use-decrypted-key", 0, NULL, NO_REGISTRY},
    {"insecure-skip-verify-enforce", "insecure-skip-verify-enforce", 0, NULL, NO_REGISTRY},
    {"pod-sandbox-image", "pod-sandbox-image", 0, NULL, NO_CRI},
    {"websocket-server-listening-port", "websocket-server-listening-port", 0, NULL, NO_CRI},
    {"native.umask", "native.umask", 0, NULL,
     "a container's processes get the umask its own init sets (systemd: UMask= in a unit)"},
    {"default-ulimits", "default-ulimit", 0, NULL,
     "set limits per container with isula run --ulimit NAME=SOFT[:HARD]"},
    {NULL, "authorization-plugin", 0, NULL,
     "set it in daemon.json: \"authorization-plugin\": \"authz-broker\""},
    {"selinux-enabled", "selinux-enabled", 0, NULL,
     "this engine sets no SELinux labels (containers are confined by capabilities, "
     "seccomp and device rules)"},
};
#define N_UNSUPPORTED (sizeof(g_unsupported) / sizeof(g_unsupported[0]))

static bool configures_nothing(yajl_val v, const char *only)
{
	if (YAJL_IS_STRING(v)) {
		const char *s = v->u.string;
		return !*s || (only && strcmp(s, only) == 0);
	}
	if (YAJL_IS_ARRAY(v))
		return v->u.array.len == 0;
	if (YAJL_IS_OBJECT(v))
		return v->u.object.len == 0;
	return YAJL_IS_FALSE(v) || YAJL_IS_NULL(v);
}

int config_unsupported_key(const char *file, const char *key, yajl_val value, char *err,
                           size_t errlen)
{
	for (size_t i = 0; i < N_UNSUPPORTED; i++) {
		if (!g_unsupported[i].key || strcmp(g_unsupported[i].key, key) != 0)
			continue;
		if (configures_nothing(value, g_unsupported[i].only))
			return 0;
		snprintf(err, errlen, "%s: key \"%s\" is not supported: %s; remove it%s%s%s", file,
		         key, g_unsupported[i].why, g_unsupported[i].only ? " or set it to \"" : "",
		         g_unsupported[i].only ? g_unsupported[i].only : "",
		         g_unsupported[i].only ? "\"" : "");
		return -1;
	}
	return 0;
}

/* arg names the flag: "--NAME", "--NAME=...", "-C" or "-CVALUE" for its short form. */
static bool names_flag(const char *arg, size_t i)
{
	const char *flag = g_unsupported[i].flag;
	if (flag && arg[0] == '-' && arg[1] == '-') {
		size_t n = strlen(flag);
		return strncmp(arg + 2, flag, n) == 0 && (arg[2 + n] == '\0' || arg[2 + n] == '=');
	}
	return g_unsupported[i].short_flag && arg[0] == '-' &&
	       arg[1] == g_unsupported[i].short_flag;
}

int config_unsupported_flags(int argc, char **argv, char *err, size_t errlen)
{
	for (int a = 1; a < argc; a++) {
		if (strcmp(argv[a], "--") == 0)
			return 0;
		for (size_t i = 0; i < N_UNSUPPORTED; i++) {
			if (!g_unsupported[i].flag || !names_flag(argv[a], i))
				continue;
			snprintf(err, errlen, "flag --%s is not supported: %s; remove it",
			         g_unsupported[i].flag, g_unsupported[i].why);
			return -1;
		}
	}
	return 0;
}
