/* A network namespace kept alive by a bind mount on a file (as `ip netns add` does, but at
 * a path of the caller's), so that CNI plugins can set it up before anything runs in it and
 * liblxc can join it (lxc.namespace.share.net = the path). */
#ifndef LIB_HOST_NETNS_FILE_H
#define LIB_HOST_NETNS_FILE_H

#include <stddef.h>

/* Creates path (its directory must exist) holding a new network namespace whose lo is up.
 * Done in a short-lived thread of the caller: no fork. 0, or -1 with err. */
int netns_file_create(const char *path, char *err, size_t errlen);
/* Unmounts and removes path; 0 also when it does not exist. */
int netns_file_remove(const char *path);

#endif
