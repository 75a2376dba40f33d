/* A container's /proc/diskstats (its block I/O counters) and /proc/partitions (the block
 * devices its device cgroup lets it use), from the host files (pure). */
#ifndef LXCFS_DISK_RENDER_H
#define LXCFS_DISK_RENDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/strbuf.h"

struct disk_io {
	unsigned major, minor;
	uint64_t reads, writes, read_bytes, write_bytes, read_merged, write_merged;
	uint64_t discards, discard_bytes;
	uint64_t read_time_ns, write_time_ns, wait_time_ns;
};

struct disk_io_table {
	struct disk_io *v;
	size_t n, cap;
	bool failed;
};

void disk_io_table_free(struct disk_io_table *t);
/* True when some device of the table has counted I/O. */
bool disk_io_any(const struct disk_io_table *t);

/* Which v1 blkio file a text comes from: they share the "MAJ:MIN Op Value" layout. */
enum blkio_file {
	BLKIO_SERVICED,     /* blkio[.throttle|.bfq].io_serviced_recursive: requests */
	BLKIO_BYTES,        /* ...io_service_bytes_recursive */
	BLKIO_MERGED,       /* ...io_merged_recursive */
	BLKIO_SERVICE_TIME, /* ...io_service_time_recursive (ns) */
	BLKIO_WAIT_TIME,    /* ...io_wait_time_recursive (ns) */
};
void blkio_v1_parse(const char *text, enum blkio_file which, struct disk_io_table *t);
/* v2 io.stat: "MAJ:MIN rbytes=N wbytes=N rios=N wios=N dbytes=N dios=N". */
void io_stat_v2_parse(const char *text, struct disk_io_table *t);

/* The host lines of the devices the container did I/O on, with its counters in place of
 * the host's (sectors are 512 bytes, times in ms); as many fields as the host shows. */
void diskstats_render(const char *host_diskstats, const struct disk_io_table *t,
                      struct strbuf *out);

/* True when a v1 devices.list lets the cgroup read or write block device major:minor. */
bool devices_allow_block(const char *devices_list, unsigned major, unsigned minor);
/* The host file with only the devices devices.list allows. */
void partitions_render(const char *host_partitions, const char *devices_list, struct strbuf *out);

#endif
