/* Where this host keeps each cgroup controller: a v1 hierarchy (which one, mounted where) or
 * the v2 tree, found from mountinfo, never from a fixed /sys/fs/cgroup layout. The one finder
 * the daemon (cgroup_fs, cgroup_info), the monitor's devices hook and lxcfs all use: v2-only,
 * hybrid (v1 controllers beside a cgroup2 tree) and v1-only hosts alike. */
#ifndef LIB_HOST_CGROUP_MOUNTS_H
#define LIB_HOST_CGROUP_MOUNTS_H

#include <stdbool.h>
#include <stddef.h>

/* One mounted cgroup hierarchy. */
struct cgroup_hier {
	char *mount_point; /* unescaped */
	char *root;    /* the cgroup shown at the mount point: "/" unless a subtree is mounted */
	char *options; /* v1: the super options, with the controllers ("rw,cpu,cpuacct") */
};

struct cgroup_mounts {
	struct cgroup_hier *v1; /* every v1 mount (named ones, "name=systemd", too), in order */
	size_t nv1;
	struct cgroup_hier v2; /* mount_point NULL when there is no cgroup2 mount */
};

/* Collects the cgroup mounts of a mountinfo text. 0, or -1 (ENOMEM). */
int cgroup_mounts_parse(const char *mountinfo, struct cgroup_mounts *m);
/* The same for /proc/self/mountinfo, read now. 0, or -1 with errno. */
int cgroup_mounts_read(struct cgroup_mounts *m);
void cgroup_mounts_free(struct cgroup_mounts *m);
/* This process's, read once on first use (thread-safe; never freed). Never NULL: empty when
 * /proc/self/mountinfo cannot be read. */
const struct cgroup_mounts *cgroup_mounts_host(void);

/* The v1 hierarchy of a controller ("memory", "cpu", "files"); NULL when no v1 hierarchy has
 * it. A mount of the whole hierarchy wins over a mount of a subtree, then the first one. */
const struct cgroup_hier *cgroup_mounts_v1(const struct cgroup_mounts *m, const char *ctrl);
/* The cgroup2 tree (the same preference), or NULL. */
const struct cgroup_hier *cgroup_mounts_v2(const struct cgroup_mounts *m);
/* True on a v2-only host: a cgroup2 tree and no v1 hierarchy with a controller. */
bool cgroup_mounts_unified(const struct cgroup_mounts *m);
/* The hierarchy of ctrl as the engine uses it: the v2 tree on a v2-only host or for ctrl NULL,
 * else the controller's v1 hierarchy. NULL when there is none. */
const struct cgroup_hier *cgroup_mounts_of(const struct cgroup_mounts *m, const char *ctrl);

/* A cgroup path of the hierarchy ("/isulad/x") relative to its mount point: the mount's root
 * cut off when the path is below it, leading slashes skipped ("isulad/x", "" for the root).
 * Points into path. */
const char *cgroup_hier_rel(const struct cgroup_hier *h, const char *path);

/* True when the comma, space or newline separated list has the exact word: "cpu" is not in
 * "cpuset,cpuacct". */
bool word_list_has(const char *list, const char *word);

#endif
