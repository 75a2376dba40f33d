/* --mount as Docker takes it, for the two types this engine has: bind (a host path) and tmpfs
 * (Docker's volume type needs volumes and iSulad's squashfs images, neither of which exist
 * here: both refused saying so). The flag is Docker's CSV of key[=value] fields: type,
 * source|src, target|destination|dst, readonly|ro[=bool], bind-propagation, bind-nonrecursive
 * [=bool], consistency (accepted, as on Linux it means nothing), tmpfs-size (Docker's size
 * units), tmpfs-mode (octal). The API's HostConfig.Mounts entries ({Type, Source, Target,
 * ReadOnly, BindOptions{Propagation, NonRecursive}, TmpfsOptions{SizeBytes, Mode}}) are checked
 * with the same rules. */
#ifndef LIB_ENGINE_MOUNT_SPEC_H
#define LIB_ENGINE_MOUNT_SPEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum mount_type { MOUNT_BIND, MOUNT_TMPFS };

struct mount_spec {
	enum mount_type type;
	char *source; /* bind: absolute host path; tmpfs: NULL */
	char *target; /* absolute path in the container */
	bool readonly;
	const char *propagation; /* bind: "rslave"... (static), NULL: the default (rprivate) */
	bool nonrecursive;       /* bind: the path alone, not the mounts below it */
	int64_t tmpfs_size;      /* bytes, 0: the kernel's default (half the memory) */
	int64_t tmpfs_mode;      /* 0..07777, 0: the kernel's default (1777), as Docker's */
};

/* The --mount text. 0, or -1 with err naming the text, the field and what is allowed. */
int mount_spec_parse(const char *text, struct mount_spec *out, char *err, size_t errlen);
/* The type of a Type string: 0, or -1 with err saying what is supported (volume, squashfs...
 * named as not supported here). */
int mount_type_parse(const char *type, enum mount_type *out, char *err, size_t errlen);
const char *mount_type_name(enum mount_type t);
/* The rules of one mount, whoever built it: paths absolute, without blanks or control
 * characters (they become fields of a liblxc mount entry), target not "/", each option of
 * its type only, mode at most 07777, size not negative. 0, or -1 with err. */
int mount_spec_check(const struct mount_spec *m, char *err, size_t errlen);
void mount_spec_free(struct mount_spec *m);

#endif
