/* shift-rootfs DIR UID_OFFSET GID_OFFSET: adds the offsets to the owner and group of every
 * file below DIR (DIR included, symlinks themselves, never crossing into other filesystems),
 * as a rootfs for --user-remap needs (seed 000 §2.3.11.1). chown clears the setuid and setgid
 * bits, so they are put back. A test tool: the engine never shifts a rootfs itself. */
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static unsigned long g_uid_off, g_gid_off;
static int g_errors;

static int shift_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)type;
	(void)ftw;
	uid_t uid = (uid_t)(st->st_uid + g_uid_off);
	gid_t gid = (gid_t)(st->st_gid + g_gid_off);
	if (lchown(path, uid, gid) < 0) {
		fprintf(stderr, "shift-rootfs: %s: %s\n", path, strerror(errno));
		g_errors++;
		return 0;
	}
	if (!S_ISLNK(st->st_mode) && (st->st_mode & (S_ISUID | S_ISGID)) &&
	    chmod(path, st->st_mode & 07777) < 0) {
		fprintf(stderr, "shift-rootfs: chmod %s: %s\n", path, strerror(errno));
		g_errors++;
	}
	return 0;
}

static int parse_offset(const char *s, unsigned long *out)
{
	char *end;
	errno = 0;
	*out = strtoul(s, &end, 10);
	return errno || end == s || *end || *out > 4294967295UL ? -1 : 0;
}

int main(int argc, char **argv)
{
	if (argc != 4 || parse_offset(argv[2], &g_uid_off) < 0 ||
	    parse_offset(argv[3], &g_gid_off) < 0) {
		fprintf(stderr, "usage: shift-rootfs DIR UID_OFFSET GID_OFFSET\n");
		return 2;
	}
	if (nftw(argv[1], shift_one, 64, FTW_PHYS | FTW_MOUNT) < 0) {
		fprintf(stderr, "shift-rootfs: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	return g_errors ? 1 : 0;
}
