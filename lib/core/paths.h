/* Every default path of the product, in one place: the binaries' flags override each. */
#ifndef LIB_CORE_PATHS_H
#define LIB_CORE_PATHS_H

/* isulad: daemon.json, its API socket, its graph (persistent) and state (runtime) roots. */
#define ISULAD_DEFAULT_CONFIG "/etc/isulad/daemon.json"
#define ISULAD_DEFAULT_HOST "unix:///var/run/isulad.sock"
#define ISULAD_DEFAULT_GRAPH "/var/lib/isulad"
#define ISULAD_DEFAULT_STATE "/var/run/isulad"
/* The containers' default seccomp profile (Docker's JSON format), when there is one. */
#define ISULAD_DEFAULT_SECCOMP_PROFILE "/etc/isulad/seccomp_default.json"
/* lxcfs's mount point. */
#define LXCFS_DEFAULT_MOUNTPOINT "/var/lib/lxcfs"

#endif
