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

/* The supplementary groups of the process that user_spec_resolve(spec) runs as, as Docker
 * gives them: its own gid (always: see passwd.c); with no group in spec, every group of the
 * group file that lists the user's name as a member (spec NULL: root); then each of extra
 * (--group-add: a group name of the file or a gid). At most max gids, no duplicates, into
 * out. Returns 0, or -1 with err (also when spec cannot be resolved). */
#define USER_GROUPS_MAX 256
int user_groups_resolve(const char *spec, const char *passwd, const char *group, char *const *extra,
                        gid_t *out, size_t max, size_t *n, char *err, size_t errlen);
/* "gid,gid,..." of gids (lxc.init.groups, isulad-monitor exec --groups); "" when n is 0. */
void user_groups_format(const gid_t *gids, size_t n, char *buf, size_t len);

#endif
