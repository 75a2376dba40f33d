/* The engine's default seccomp policy: a Docker JSON profile (seccomp_json.h) shipped as
 * /etc/isulad/seccomp_default.json (the seed's editable default; packaging/etc/ in the
 * tree, compiled in from there as well), translated for each container into liblxc's
 * "version 2" text (lxc.seccomp.profile).
 *
 * The shipped one is a denylist in the spirit of Docker's default profile: every syscall is
 * allowed except those that reach the host's kernel state outside any namespace (keyrings,
 * modules, kexec, clock, swap, quotas, perf, bpf, ...) or that create namespaces. A syscall
 * that a capability legitimately gates is allowed again when the container has that
 * capability (--cap-add SYS_TIME allows clock_settime), as Docker does. System containers
 * keep what systemd needs (mount, umount2, unshare, reboot, name_to_handle_at, the new mount
 * API and namespace flags of clone), as DESIGN §2 and seed 000 §2.3.3 require, but no user
 * namespace unless allowed (a user-remapped container, or one with CAP_SYS_ADMIN), and no
 * forced unmount (liblxc's reject_force_umount); kexec_load and keyrings stay blocked even
 * though they have CAP_SYS_BOOT. Blocked calls fail with EPERM (clone3 with ENOSYS, so that
 * libc falls back to clone, whose flags can be checked). */
#ifndef LIB_HOST_SECCOMP_PROFILE_H
#define LIB_HOST_SECCOMP_PROFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The compiled-in default (generated from packaging/etc/seccomp_default.json). */
extern const char seccomp_default_json[];

/* Makes json (copied) the default of this process's containers, once it translates for a
 * container, a system container and a remapped one: 0, or -1 with err saying why. NULL
 * puts the compiled-in one back. Not thread-safe: the daemon calls it before any thread. */
int seccomp_profile_set_default(const char *json, char *err, size_t errlen);
/* The default profile's text (malloc'd) for a container with the capability mask caps (bit N
 * for capability N); allow_userns lets a system container create user namespaces. NULL with
 * err (out of memory). The last few translations are kept (thread-safe). */
char *seccomp_profile_render(uint64_t caps, bool system_container, bool allow_userns, char *err,
                             size_t errlen);

#endif
