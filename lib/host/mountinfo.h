/* Parsing of /proc/PID/mountinfo lines (proc(5)): which mounts sit where, of which type, with
 * which propagation. */
#ifndef LIB_HOST_MOUNTINFO_H
#define LIB_HOST_MOUNTINFO_H

struct mountinfo_entry {
	int mount_id;
	int parent_id;
	unsigned major, minor;   /* st_dev of the filesystem's files */
	const char *root;        /* the mounted part of its filesystem, unescaped */
	const char *mount_point; /* relative to the reading process's root, unescaped */
	const char *options;     /* per-mount options */
	const char *optional;    /* "shared:1 master:2"…, "" when private */
	const char *fs_type;     /* "proc", "fuse.lxcfs"… */
	const char *source;
	const char
	    *super_options; /* of the filesystem: a v1 cgroup's controllers ("rw,cpu,cpuacct");
	                       not unescaped, "" when the line has none */
};

/* Parses one line (without its newline) in place: the fields point into line, whose octal
 * escapes (\040 for a space…) are decoded. Returns 0, or -1 if the line is malformed. */
int mountinfo_parse_line(char *line, struct mountinfo_entry *e);

#endif
