/* The system-container options of seed 000 §2.3.6-2.3.11 kept in a container's HostConfig:
 * --user-remap, --ns-change-opt, --host-channel, --env-target-file, --files-limit. Their
 * JSON names are iSulad's (UserRemap, NsChangeOpt/NsChangeFiles, HostChannel{PathOnHost,
 * PathInContainer, Permissions, Size}, EnvTargetFile, FilesLimit). */
#ifndef ENGINE_SYSOPT_CONFIG_H
#define ENGINE_SYSOPT_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <yajl/yajl_gen.h>
#include <yajl/yajl_tree.h>

#include "engine/host_channel.h"

struct sysopt_config {
	char *user_remap;            /* "uid:gid:offset" as given, or NULL */
	char *ns_change_opt;         /* "net", "ipc", "net,ipc", or NULL */
	struct host_channel channel; /* host_path NULL: no host channel */
	char *env_target_file;       /* absolute path inside the rootfs, or NULL */
	int64_t files_limit;         /* 0 and -1: no limit */
};

/* Emits the fields into the HostConfig map being generated. NsChangeFiles lists what is
 * actually made writable: nothing for a privileged container (the seed: no effect). */
void sysopt_config_gen(yajl_gen g, const struct sysopt_config *s, bool privileged);
/* Reads them from a HostConfig object (API request or hostconfig.json); type errors in err. */
int sysopt_config_parse(yajl_val hostconfig, struct sysopt_config *s, char *err, size_t errlen);
void sysopt_config_free(struct sysopt_config *s);

#endif
