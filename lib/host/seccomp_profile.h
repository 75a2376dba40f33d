/* The engine's default seccomp policy, as a liblxc "version 2" profile (lxc.seccomp.profile).
 *
 * A denylist in the spirit of Docker's default profile: every syscall is allowed except those
 * that reach the host's kernel state outside any namespace (keyrings, modules, kexec, clock,
 * swap, quotas, perf, bpf, ...) or that create namespaces. A syscall that a capability
 * legitimately gates is allowed again when the container has that capability (--cap-add
 * SYS_TIME allows clock_settime), as Docker does. System containers keep what systemd needs
 * (mount, umount2, unshare, reboot, name_to_handle_at, the new mount API and namespace
 * flags of clone), as DESIGN §2 and seed 000 §2.3.3 require, but no user namespace unless
 * allowed (a user-remapped container, or one with CAP_SYS_ADMIN); kexec_load and keyrings stay
 * blocked even though they have CAP_SYS_BOOT. Blocked calls fail with EPERM (clone3 with
 * ENOSYS, so that libc falls back to clone, whose flags can be checked). */
#ifndef LIB_HOST_SECCOMP_PROFILE_H
#define LIB_HOST_SECCOMP_PROFILE_H

#include <stdbool.h>
#include <stdint.h>

/* The profile text (malloc'd) for a container with the capability mask caps (bit N for
 * capability N); allow_userns lets a system container create user namespaces. NULL only
 * when out of memory. */
char *seccomp_profile_render(uint64_t caps, bool system_container, bool allow_userns);

#endif
