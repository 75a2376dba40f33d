/* OCI hooks (runtime-spec config.md "hooks"): hook-spec files (`isula create --hook-spec`, the
 * daemon's default), their checks (seed 000 §1.3.10.3), merging, and their JSON form. */
#ifndef LIB_ENGINE_OCI_HOOKS_H
#define LIB_ENGINE_OCI_HOOKS_H

#include <stdbool.h>
#include <stddef.h>
#include <yajl/yajl_gen.h>
#include <yajl/yajl_tree.h>

/* A hook-spec file may not be bigger (seed: "cannot exceed 10 MB"). */
#define HOOK_SPEC_MAX_SIZE (10LL << 20)

enum oci_hook_stage {
	OCI_HOOK_PRESTART,
	OCI_HOOK_POSTSTART,
	OCI_HOOK_POSTSTOP,
	OCI_HOOK_STAGES,
};

struct oci_hook {
	char *path;
	char **args; /* execv's argv: args[0] is argv[0]; NULL: argv is {path} */
	char **env;  /* the hook's whole environment; NULL: not given (the runner's is used) */
	int timeout; /* seconds; 0: none given */
};

struct oci_hook_list {
	struct oci_hook *v;
	size_t n;
};

struct oci_hooks {
	struct oci_hook_list stage[OCI_HOOK_STAGES];
};

/* "prestart", "poststart", "poststop". */
const char *oci_hook_stage_name(enum oci_hook_stage s);
/* 0, or -1 for a name that is not one of the three. */
int oci_hook_stage_parse(const char *name, enum oci_hook_stage *out);

/* Parses a "hooks" object: only the three stages, each an array of {path, args, env, timeout}
 * with path a string, args and env arrays of strings (env entries KEY=VALUE) and timeout an
 * integer > 0. out is zeroed first; on error err names the entry and what is allowed. */
int oci_hooks_parse(yajl_val node, struct oci_hooks *out, char *err, size_t errlen);
/* Every hook program: an absolute path to an existing executable regular file, owned by root
 * and writable by no one else. */
int oci_hooks_check_programs(const struct oci_hooks *h, char *err, size_t errlen);
/* Reads a hook-spec file and applies every rule of seed 000 §1.3.10.3: the spec path is
 * absolute, an existing regular file of at most 10 MB holding JSON of the hooks shape, and
 * the programs pass oci_hooks_check_programs. Errors start with `Invalid hook spec "PATH"`. */
int oci_hooks_load_file(const char *path, struct oci_hooks *out, char *err, size_t errlen);

/* Appends copies of src's hooks after dst's, stage by stage. 0, or -1 (dst unchanged). */
int oci_hooks_append(struct oci_hooks *dst, const struct oci_hooks *src);
bool oci_hooks_empty(const struct oci_hooks *h);
/* Emits the hooks as one OCI "hooks" object (stages without hooks left out). */
void oci_hooks_gen(yajl_gen g, const struct oci_hooks *h);
void oci_hooks_free(struct oci_hooks *h);

#endif
