/* A Docker/OCI JSON seccomp profile (--security-opt seccomp=PROFILE.json) translated into the
 * liblxc "version 2" text that lxc.seccomp.profile reads: defaultAction, and syscalls rules
 * with names, action, errnoRet, args (index, value, valueTwo, op) and includes/excludes by
 * capability (and the engine's own conditions below); architectures are left to liblxc (the
 * native one and its compat). */
#ifndef LIB_HOST_SECCOMP_JSON_H
#define LIB_HOST_SECCOMP_JSON_H

#include <stddef.h>
#include <stdint.h>

#include <stdbool.h>

/* What a rule's "includes" and "excludes" look at: Docker's "caps" (the capability mask, bit
 * N for capability N), and two conditions of this engine's own (which other readers of the
 * format ignore), so that its default profile is one file: "systemContainer": true (a
 * --system-container) and "userNamespaces": true (a system container that may create user
 * namespaces: one run with --user-remap). A rule applies when its includes all hold (of the
 * caps: one of them) and none of its excludes does. */
struct seccomp_target {
	uint64_t caps;
	bool system_container;
	bool user_namespaces;
};

/* The profile text (malloc'd) for the target, or NULL with err naming what is wrong (the
 * action, the syscall name, the argument, a condition that is not a boolean). */
char *seccomp_json_translate(const char *json, const struct seccomp_target *t, char *err,
                             size_t errlen);

#endif
