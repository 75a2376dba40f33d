/* The HostConfig fields of the security and /etc flags, with Docker's names: Sysctls, ShmSize,
 * Dns, DnsOptions, DnsSearch, ExtraHosts, OomKillDisable, CapAdd, CapDrop, GroupAdd, Devices
 * ({PathOnHost, PathInContainer, CgroupPermissions}), DeviceCgroupRules. Privileged stays in
 * host_config. */
#ifndef ENGINE_SECURITY_CONFIG_H
#define ENGINE_SECURITY_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <yajl/yajl_gen.h>
#include <yajl/yajl_tree.h>

#include "engine/device_spec.h"

#define DEFAULT_SHM_SIZE (64LL << 20) /* seed 000 §2.4.1: 64 MB, inspect 67108864 */

struct security_config {
	char **sysctls; /* "key=value" */
	int64_t shm_size;
	char **dns, **dns_options, **dns_search, **extra_hosts;
	bool oom_kill_disable;
	char **cap_add, **cap_drop;
	char **group_add; /* group names of the container's /etc/group or gids, resolved at start */
	char **security_opt; /* Docker's SecurityOpt: no-new-privileges, seccomp=unconfined|JSON */
	struct device_spec *devices;
	size_t n_devices;
	char **device_cgroup_rules; /* DeviceCgroupRules: "c 1:3 rwm", "b *:* r"... */
};

struct host_config;

/* Emits the fields as keys of the HostConfig map being generated. */
void security_config_gen(yajl_gen g, const struct security_config *s);
/* Reads them from a HostConfig object (API body or hostconfig.json); an absent or 0 ShmSize
 * is the default. -1 with err naming the bad field or value. */
int security_config_parse(yajl_val hostconfig, struct security_config *s, char *err, size_t errlen);
void security_config_free(struct security_config *s);
/* The checks of a create request: every value of every field, host devices present, the
 * kernel able to do what is asked. */
int security_config_validate(const struct host_config *h, char *err, size_t errlen);
/* From SecurityOpt: no-new-privileges asked; the seccomp JSON profile given (NULL: none) and
 * whether seccomp is off (seccomp=unconfined). */
bool security_opt_no_new_privs(const struct security_config *s);
const char *security_opt_seccomp(const struct security_config *s, bool *unconfined);

#endif
