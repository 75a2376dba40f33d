#include "host/blockdev_mount.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/fileutil.h"
#include "core/strv.h"
#include "host/mountinfo.h"

char **blockdev_fs_types(const char *text)
{
	char **types = NULL;
	for (const char *l = text; l && *l;) {
		size_t n = strcspn(l, "\n");
		/* "nodev\tproc" or "\text4" */
		if (strncmp(l, "nodev", 5) != 0) {
			const char *t = l + strspn(l, " \t");
			size_t tn = (size_t)(l + n - t);
			if (tn > 0 && tn < 64) {
				char name[64];
				snprintf(name, sizeof(name), "%.*s", (int)tn, t);
				/* fuseblk needs a FUSE daemon: never one to try. */
				if (strcmp(name, "fuseblk") != 0)
					strv_push(&types, name);
			}
		}
		l += n + (l[n] ? 1 : 0);
	}
	return types;
}

int blockdev_other_mount(const char *mountinfo, unsigned maj, unsigned min, const char *except,
                         char *where, size_t len, bool *rw)
{
	char *copy = strdup(mountinfo ? mountinfo : "");
	int found = 0;
	char *save = NULL;
	for (char *l = copy ? strtok_r(copy, "\n", &save) : NULL; l;
	     l = strtok_r(NULL, "\n", &save)) {
		struct mountinfo_entry e;
		if (mountinfo_parse_line(l, &e) < 0 || e.major != maj || e.minor != min ||
		    (except && strcmp(e.mount_point, except) == 0))
			continue;
		bool this_rw = strncmp(e.options, "rw", 2) == 0 &&
		               (e.options[2] == ',' || e.options[2] == '\0');
		if (!found || (this_rw && !*rw)) {
			snprintf(where, len, "%s", e.mount_point);
			*rw = this_rw;
		}
		found = 1;
	}
	free(copy);
	return found;
}

int blockdev_mount(const char *dev, const char *target, bool ro, char *fstype, size_t fslen,
                   char *err, size_t errlen)
{
	char *text = read_file("/proc/filesystems", 1 << 16, NULL);
	char **types = blockdev_fs_types(text);
	free(text);
	char tried[512] = "";
	int ret = -1, last = 0;
	unsigned long flags = MS_SILENT | (ro ? MS_RDONLY : 0);
	for (size_t i = 0; types && types[i] && ret < 0; i++) {
		if (mount(dev, target, types[i], flags, NULL) == 0) {
			snprintf(fstype, fslen, "%s", types[i]);
			ret = 0;
			break;
		}
		/* EINVAL: not this type (or a bad superblock); the rest end the search. */
		last = errno;
		size_t used = strlen(tried);
		snprintf(tried + used, sizeof(tried) - used, "%s%s", used ? ", " : "", types[i]);
		if (last != EINVAL && last != ENODEV && last != ENOENT)
			break;
	}
	strv_free(types);
	if (ret < 0) {
		snprintf(err, errlen,
		         "cannot mount the block device %s on %s%s: %s (types tried: %s)", dev,
		         target, ro ? " read-only" : "",
		         last == EINVAL ? "no filesystem of a type this kernel mounts"
		                        : strerror(last ? last : ENODEV),
		         tried[0] ? tried : "none");
		return -1;
	}
	/* Mounts made below it later (by whoever) stay there. */
	mount(NULL, target, NULL, MS_PRIVATE, NULL);
	return 0;
}

bool blockdev_mounted_at(const char *target, dev_t rdev)
{
	struct stat st, parent;
	char *up = path_join(target, "..");
	bool ok = up && stat(target, &st) == 0 && stat(up, &parent) == 0 && st.st_dev == rdev &&
	          parent.st_dev != rdev;
	free(up);
	return ok;
}

int blockdev_unmount(const char *target, char *err, size_t errlen)
{
	int ret = 0;
	err[0] = '\0';
	if (umount2(target, UMOUNT_NOFOLLOW) < 0 && errno != EINVAL && errno != ENOENT) {
		int first = errno;
		/* Busy (a host process in it): gone from the tree now, freed when it leaves. */
		if (umount2(target, UMOUNT_NOFOLLOW | MNT_DETACH) < 0) {
			snprintf(err, errlen, "cannot unmount %s: %s", target, strerror(errno));
			return -1;
		}
		snprintf(err, errlen, "%s was busy (%s): detached lazily", target, strerror(first));
	}
	if (rmdir(target) < 0 && errno != ENOENT) {
		snprintf(err, errlen, "cannot remove %s: %s", target, strerror(errno));
		ret = -1;
	}
	return ret;
}
