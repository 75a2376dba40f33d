/* --host-channel <host path>:<container path>[:rw|ro[:size]] (seed 000 §2.3.7): a tmpfs on the
 * host path, shared with the container at the container path. */
#ifndef LIB_ENGINE_HOST_CHANNEL_H
#define LIB_ENGINE_HOST_CHANNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <yajl/yajl_gen.h>

#define HOST_CHANNEL_MIN_SIZE 4096LL                   /* one 4 KB page */
#define HOST_CHANNEL_DEFAULT_SIZE (64LL * 1024 * 1024) /* 64MB */

struct host_channel {
	char *host_path, *ctr_path;
	bool readonly;
	int64_t size; /* bytes */
};

/* Splits and parses the flag (mode defaults to rw, size to 64MB; sizes like 32M, 4k, 1g).
 * Returns 0, or -1 with err naming the bad part and what is allowed. */
int host_channel_parse(const char *spec, struct host_channel *out, char *err, size_t errlen);
/* The rules that do not depend on the host's state: absolute paths without blanks or "..",
 * a container path other than /, and 4 KB <= size <= total_mem / 2. */
int host_channel_check(const struct host_channel *hc, int64_t total_mem, char *err, size_t errlen);
void host_channel_free(struct host_channel *hc);
/* The value of HostConfig.HostChannel, as the client sends it and the daemon stores and shows
 * it: {"PathOnHost", "PathInContainer", "Permissions": "rw"|"ro", "Size": bytes}, or null when
 * hc is NULL or has no host path. */
void host_channel_gen(yajl_gen g, const struct host_channel *hc);

#endif
