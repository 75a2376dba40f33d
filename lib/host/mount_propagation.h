/* Which mount a host path lies on, and how that mount propagates (shared, slave, private):
 * a bind asking for [r]shared or [r]slave propagation only gets it from a source mount that
 * is shared (or, for slave, a slave itself), as Docker checks. */
#ifndef LIB_HOST_MOUNT_PROPAGATION_H
#define LIB_HOST_MOUNT_PROPAGATION_H

#include <stdbool.h>
#include <stddef.h>

struct mount_propagation {
	char mount_point[4096]; /* of the mount holding the path */
	bool shared;            /* "shared:N" */
	bool slave;             /* "master:N" */
};

/* The mount of mountinfo text (/proc/PID/mountinfo) holding the absolute, clean path: the
 * longest mount point that is path or a parent of it, the last such line winning (mounts
 * over mounts). 0, or -1 when no line holds it (or text has none that parse). */
int mount_propagation_of(const char *mountinfo, const char *path, struct mount_propagation *out);

/* Whether a bind of src with propagation prop ("rshared", "slave", ...; NULL or [r]private:
 * nothing needed) can have it in this process's mount namespace: 0, or -1 with err in
 * Docker's words ("path /x is mounted on / but it is not a shared mount"). src is resolved
 * (realpath) first. */
int mount_propagation_check(const char *src, const char *prop, char *err, size_t errlen);

#endif
