#include "disk_render.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *next_line(const char *p)
{
	p = strchr(p, '\n');
	return p ? p + 1 : NULL;
}

void disk_io_table_free(struct disk_io_table *t)
{
	free(t->v);
	memset(t, 0, sizeof(*t));
}

static struct disk_io *disk_entry(struct disk_io_table *t, unsigned major, unsigned minor)
{
	for (size_t i = 0; i < t->n; i++) {
		if (t->v[i].major == major && t->v[i].minor == minor)
			return &t->v[i];
	}
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 8;
		struct disk_io *v = realloc(t->v, cap * sizeof(*v));
		if (!v) {
			t->failed = true;
			return NULL;
		}
		t->v = v;
		t->cap = cap;
	}
	struct disk_io *d = &t->v[t->n++];
	memset(d, 0, sizeof(*d));
	d->major = major;
	d->minor = minor;
	return d;
}

/* "MAJ:MIN rest": the device and where the rest starts; false for other lines. */
static bool parse_dev(const char *p, unsigned *major, unsigned *minor, const char **rest)
{
	char *end;
	*major = (unsigned)strtoul(p, &end, 10);
	if (end == p || *end != ':')
		return false;
	const char *m = end + 1;
	*minor = (unsigned)strtoul(m, &end, 10);
	if ((const char *)end == m || *end != ' ')
		return false;
	*rest = end + 1;
	return true;
}

void blkio_v1_parse(const char *text, enum blkio_file which, struct disk_io_table *t)
{
	for (const char *p = text; p && *p; p = next_line(p)) {
		unsigned major, minor;
		const char *op;
		if (!parse_dev(p, &major, &minor, &op))
			continue;
		const char *sp = strchr(op, ' ');
		if (!sp)
			continue;
		size_t oplen = (size_t)(sp - op);
		bool rd = oplen == 4 && memcmp(op, "Read", 4) == 0;
		bool wr = oplen == 5 && memcmp(op, "Write", 5) == 0;
		bool dc = oplen == 7 && memcmp(op, "Discard", 7) == 0;
		if (!rd && !wr && !dc)
			continue;
		struct disk_io *d = disk_entry(t, major, minor);
		if (!d)
			return;
		uint64_t v = strtoull(sp + 1, NULL, 10);
		switch (which) {
		case BLKIO_SERVICED:
			*(rd ? &d->reads : wr ? &d->writes : &d->discards) = v;
			break;
		case BLKIO_BYTES:
			*(rd ? &d->read_bytes : wr ? &d->write_bytes : &d->discard_bytes) = v;
			break;
		case BLKIO_MERGED:
			if (!dc)
				*(rd ? &d->read_merged : &d->write_merged) = v;
			break;
		case BLKIO_SERVICE_TIME:
			if (!dc)
				*(rd ? &d->read_time_ns : &d->write_time_ns) = v;
			break;
		case BLKIO_WAIT_TIME:
			d->wait_time_ns += v;
			break;
		}
	}
}

void io_stat_v2_parse(const char *text, struct disk_io_table *t)
{
	static const struct {
		const char *key;
		size_t off;
	} keys[] = {
	    {"rbytes", offsetof(struct disk_io, read_bytes)},
	    {"wbytes", offsetof(struct disk_io, write_bytes)},
	    {"rios", offsetof(struct disk_io, reads)},
	    {"wios", offsetof(struct disk_io, writes)},
	    {"dbytes", offsetof(struct disk_io, discard_bytes)},
	    {"dios", offsetof(struct disk_io, discards)},
	};
	for (const char *p = text; p && *p; p = next_line(p)) {
		unsigned major, minor;
		const char *rest;
		if (!parse_dev(p, &major, &minor, &rest))
			continue;
		struct disk_io *d = disk_entry(t, major, minor);
		if (!d)
			return;
		const char *eol = strchr(rest, '\n');
		for (const char *kv = rest; kv && *kv && (!eol || kv < eol);) {
			const char *eq = strchr(kv, '=');
			if (!eq || (eol && eq > eol))
				break;
			for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
				size_t n = strlen(keys[i].key);
				if ((size_t)(eq - kv) == n && memcmp(kv, keys[i].key, n) == 0)
					*(uint64_t *)((char *)d + keys[i].off) =
					    strtoull(eq + 1, NULL, 10);
			}
			kv = strchr(eq, ' ');
			kv = kv ? kv + 1 : NULL;
		}
	}
}

static bool has_io(const struct disk_io *d)
{
	return d->reads || d->writes || d->read_bytes || d->write_bytes || d->discards;
}

bool disk_io_any(const struct disk_io_table *t)
{
	for (size_t i = 0; i < t->n; i++) {
		if (has_io(&t->v[i]))
			return true;
	}
	return false;
}

void diskstats_render(const char *host_diskstats, const struct disk_io_table *t, struct strbuf *out)
{
	for (const char *p = host_diskstats; p && *p; p = next_line(p)) {
		unsigned major, minor;
		char name[64];
		int pos = 0;
		if (sscanf(p, "%u %u %63s%n", &major, &minor, name, &pos) != 3)
			continue;
		const struct disk_io *d = NULL;
		for (size_t i = 0; i < t->n && !d; i++) {
			if (t->v[i].major == major && t->v[i].minor == minor && has_io(&t->v[i]))
				d = &t->v[i];
		}
		if (!d)
			continue;
		/* The host line's field count tells the kernel's layout (11, 15 or 17). */
		int nf = 0;
		for (const char *q = p + pos; *q && *q != '\n'; q++) {
			if (*q != ' ' && (q[-1] == ' '))
				nf++;
		}
		uint64_t f[17] = {
		    d->reads,
		    d->read_merged,
		    d->read_bytes / 512,
		    d->read_time_ns / 1000000,
		    d->writes,
		    d->write_merged,
		    d->write_bytes / 512,
		    d->write_time_ns / 1000000,
		    0,
		    (d->read_time_ns + d->write_time_ns) / 1000000,
		    (d->read_time_ns + d->write_time_ns + d->wait_time_ns) / 1000000,
		    d->discards,
		    0,
		    d->discard_bytes / 512,
		};
		strbuf_printf(out, "%4u %7u %s", major, minor, name);
		for (int i = 0; i < nf && i < 17; i++)
			strbuf_printf(out, " %" PRIu64, f[i]);
		strbuf_puts(out, "\n");
	}
}

/* One "a|b|c MAJ|*:MIN|* ACCESS" rule matching a block device read or write. */
static bool rule_allows(const char *line, unsigned major, unsigned minor)
{
	char type, acc[8], maj[16], min[16];
	if (sscanf(line, "%c %15[0-9*]:%15[0-9*] %7s", &type, maj, min, acc) != 4)
		return false;
	if (type != 'a' && type != 'b')
		return false;
	if (!strchr(acc, 'r') && !strchr(acc, 'w'))
		return false;
	if (strcmp(maj, "*") != 0 && strtoul(maj, NULL, 10) != major)
		return false;
	return strcmp(min, "*") == 0 || strtoul(min, NULL, 10) == minor;
}

bool devices_allow_block(const char *devices_list, unsigned major, unsigned minor)
{
	for (const char *p = devices_list; p && *p; p = next_line(p)) {
		if (rule_allows(p, major, minor))
			return true;
	}
	return false;
}

void partitions_render(const char *host_partitions, const char *devices_list, struct strbuf *out)
{
	for (const char *p = host_partitions; p && *p; p = next_line(p)) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) + 1 : strlen(p);
		unsigned major, minor;
		if (sscanf(p, "%u %u", &major, &minor) == 2 &&
		    !devices_allow_block(devices_list, major, minor))
			continue;
		strbuf_add(out, p, len);
	}
}
