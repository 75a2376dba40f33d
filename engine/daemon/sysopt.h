/* What the engine does for the system-container options of seed 000 §2.3.6-2.3.11
 * (--user-remap, --ns-change-opt, --host-channel, --env-target-file, --files-limit,
 * -e KERNEL_MODULES) at create, start, in the lxc config, and at rm. */
#ifndef ENGINE_SYSOPT_H
#define ENGINE_SYSOPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

#include "container.h"
#include "core/strbuf.h"

/* --- the lifecycle, called by the create route, runtime.c and lxc_config.c --- */

/* Create: every rule of the seed, with the value and what is allowed in err. */
int sysopt_validate(const struct container *c, char *err, size_t errlen);
/* Create, after validation: the host-channel directory, the env target file's entries merged
 * into the env. Undone by sysopt_remove. */
int sysopt_create(struct container *c, char *err, size_t errlen);
/* Start, before liblxc runs: modules loaded, the rootfs checked against the id mapping, the
 * host-channel tmpfs mounted (*channel_mounted says it was mounted now), the env file
 * written. */
int sysopt_prepare_start(const struct container *c, bool *channel_mounted, char *err,
                         size_t errlen);
/* A start that failed after sysopt_prepare_start: a tmpfs mounted by it goes, and err gets a
 * hint where an option explains liblxc's failure. */
void sysopt_start_failed(const struct container *c, bool channel_mounted, char *err, size_t errlen);
/* Rm: the host-channel tmpfs unmounted and its directory removed. */
void sysopt_remove(const struct container *c);
/* The lxc config lines for the options (idmap, hooks, mounts, limits) into f. */
void sysopt_lxc_config(struct strbuf *f, const struct container *c, const char *monitor_path);
/* For a user-remapped container, path (inside the rootfs) is given to the container's
 * root; no-op otherwise. Never follows a symlink. */
void sysopt_chown_in_rootfs(const struct container *c, int rootfs_fd, const char *path);

/* --- per option (sysopt_*.c) --- */

/* The host uid/gid of the container's root when --user-remap takes effect. */
bool user_remap_root(const struct host_config *h, uid_t *uid, gid_t *gid);
int user_remap_validate(const struct host_config *h, char *err, size_t errlen);
/* Before a start: the engine directories and the rootfs reachable by the mapped root, and
 * the rootfs owned by mapped ids; err says which path blocks and why. */
int user_remap_prepare(const struct host_config *h, const char *lxcpath, const char *rootfs,
                       char *err, size_t errlen);
void user_remap_lxc_config(struct strbuf *f, const struct host_config *h);

int ns_change_opt_validate(const struct host_config *h, char *err, size_t errlen);
void ns_change_opt_lxc_config(struct strbuf *f, const struct host_config *h,
                              const char *monitor_path);

int host_channel_validate(const struct host_config *h, char *err, size_t errlen);
int host_channel_create(const struct host_config *h, char *err, size_t errlen);
int host_channel_mount(const struct host_config *h, bool *mounted, char *err, size_t errlen);
/* Unmounts the tmpfs (a failed first start); host_channel_remove also removes the dir. */
void host_channel_remove_mount(const struct host_config *h);
void host_channel_remove(const struct host_config *h);
void host_channel_lxc_config(struct strbuf *f, const struct host_config *h);

/* Only for a container with --env-target-file (sysopt.c checks). */
int env_merge_validate(const struct container *c, char *err, size_t errlen);
int env_merge_from_rootfs(struct container *c, char *err, size_t errlen);
int env_merge_write(const struct container *c, char *err, size_t errlen);

int files_limit_validate(const struct host_config *h, char *err, size_t errlen);
void files_limit_lxc_config(struct strbuf *f, const struct host_config *h);
/* After a failed start: when the limit is an RLIMIT_NOFILE (no files cgroup on this host)
 * and liblxc ran out of descriptors setting the container up, err becomes that diagnosis. */
void files_limit_start_failed(const struct container *c, char *err, size_t errlen);

int kernel_modules_validate(const struct container *c, char *err, size_t errlen);
int kernel_modules_load(const struct container *c, char *err, size_t errlen);

#endif
