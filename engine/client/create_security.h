/* The HostConfig fields of create/run's security and /etc flags: --sysctl, --shm-size,
 * --dns, --dns-opt/--dns-option, --dns-search, --add-host, --oom-kill-disable,
 * --cap-add, --cap-drop, --group-add, --security-opt, --device, --device-cgroup-rule. Values are
 * checked by the daemon (whatever the client); here only what is needed to build the request
 * (sizes, KEY=VALUE, device specs). */
#ifndef CLIENT_CREATE_SECURITY_H
#define CLIENT_CREATE_SECURITY_H

#include <stddef.h>
#include <yajl/yajl_gen.h>

#include "core/cli_args.h"

/* Positions of the flags in the command's option table. */
struct create_security_flags {
	size_t sysctl, shm_size, dns, dns_opt, dns_option, dns_search, add_host, oom_kill_disable,
	    cap_add, cap_drop, group_add, security_opt, device, device_cgroup_rule;
};

/* Emits the fields into the open HostConfig map; -1 after printing what is wrong. */
int create_gen_security(yajl_gen g, struct cli_values *v, const struct create_security_flags *ix);

#endif
