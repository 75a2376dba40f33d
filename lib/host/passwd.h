/* -u/--user resolution against a rootfs's own /etc/passwd and /etc/group text. */
#ifndef LIB_HOST_PASSWD_H
#define LIB_HOST_PASSWD_H

#include <stddef.h>
#include <sys/types.h>

/* spec is "user", "uid", "user:group", "uid:gid" (names need the files; numbers do not).
 * passwd/group may be NULL when the rootfs has no such file. Returns 0, or -1 with err set
 * ("unable to find user x: no matching entries in passwd file"). */
int user_spec_resolve(const char *spec, const char *passwd, const char *group, uid_t *uid,
                      gid_t *gid, char *err, size_t errlen);

#endif
