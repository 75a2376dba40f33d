/* A Docker/OCI JSON seccomp profile (--security-opt seccomp=PROFILE.json) translated into the
 * liblxc "version 2" text that lxc.seccomp.profile reads: defaultAction, and syscalls rules
 * with names, action, errnoRet, args (index, value, valueTwo, op) and includes/excludes by
 * capability; architectures are left to liblxc (the native one and its compat). */
#ifndef LIB_HOST_SECCOMP_JSON_H
#define LIB_HOST_SECCOMP_JSON_H

#include <stddef.h>
#include <stdint.h>

/* The profile text (malloc'd) for a container with the capability mask caps, or NULL with
 * err naming what is wrong (the action, the syscall name, the argument). */
char *seccomp_json_translate(const char *json, uint64_t caps, char *err, size_t errlen);

#endif
