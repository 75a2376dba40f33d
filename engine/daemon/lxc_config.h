/* Translation of a container's configuration into the liblxc config file that its monitor
 * starts it from (<graph>/engines/lcr/<id>/config, regenerated at every start). */
#ifndef ENGINE_LXC_CONFIG_H
#define ENGINE_LXC_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "container.h"
#include "host/passwd.h"

/* Cgroup (below each hierarchy root) holding one sub-cgroup per container monitor. */
#define MONITOR_CGROUP "isulad-monitor"

struct lxc_config_env {
	const char *monitor_path;          /* isulad-monitor, also the lxc hooks (post-stop, OCI) */
	const char *state_dir;             /* <state>/<id>: also the hooks' input files */
	const char *container_dir;         /* <graph>/engines/lcr/<id> */
	const char *default_cgroup_parent; /* daemon-wide --cgroup-parent */
	int64_t start_timeout_ms;          /* bounds the prestart hooks too */
	bool write_start_files;            /* a start: the hooks' input files written; create and
	                                      update render the config only */
	bool has_user;                     /* -u given: run init as uid/gid */
	uid_t uid;
	gid_t gid;
	gid_t groups[USER_GROUPS_MAX]; /* the init's supplementary groups */
	size_t n_groups;
};

/* The path <state_dir>/FILE of an input file of a start-host hook, and for a start the file
 * itself, written with text when it changed: rendered again at each start, it lives in the
 * state dir (a tmpfs, like liblxc's own runtime files), which costs no disk inode per
 * container. NULL with err set. */
char *lxc_start_file(const struct lxc_config_env *env, const char *file, const char *text,
                     size_t len, char *err, size_t errlen);
/* A start-host hook `isulad-monitor HOOK <state_dir>/FILE` whose input is text, in FILE
 * (lxc_start_file): values an API caller controls (paths, cgroup names, sysctls) never reach
 * a hook's command line, which liblxc runs through a shell. */
int lxc_hook_with_file(struct strbuf *f, const struct lxc_config_env *env, const char *hook,
                       const char *file, const char *text, size_t len, char *err, size_t errlen);
/* What a stop sends first (lxc.signal.halt): --stop-signal, else SIGTERM (Docker's), else, for
 * a system container, 0: liblxc's default (SIGPWR, or SIGRTMIN+3 to an init that blocks it,
 * systemd: either way its init shuts down). */
int lxc_config_halt_signal(const struct container *c);
/* The config text (malloc'd), or NULL with err naming the value that cannot be expressed. */
char *lxc_config_render(const struct container *c, const struct lxc_config_env *env, char *err,
                        size_t errlen);

#endif
