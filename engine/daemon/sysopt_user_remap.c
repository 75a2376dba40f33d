/* --user-remap uid:gid:offset: a user namespace per container through lxc.idmap. The rootfs
 * is the user's to shift (the seed); the engine checks before the start that the mapped root
 * can reach and owns it, and gives the files it writes into the rootfs to that root. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine/lxc_conf.h"
#include "core/path_walk.h"
#include "host/rootfs_path.h"
#include "sysopt.h"
#include "engine/user_remap.h"

static bool parse_effective(const struct host_config *h, struct user_remap *r)
{
	char err[256];
	return h->sys.user_remap && user_remap_parse(h->sys.user_remap, r, err, sizeof(err)) == 0 &&
	       user_remap_effective(r);
}

bool user_remap_root(const struct host_config *h, uid_t *uid, gid_t *gid)
{
	struct user_remap r;
	if (!parse_effective(h, &r))
		return false;
	*uid = r.uid;
	*gid = r.gid;
	return true;
}

int user_remap_validate(const struct host_config *h, char *err, size_t errlen)
{
	if (!h->sys.user_remap)
		return 0;
	struct user_remap r;
	if (user_remap_parse(h->sys.user_remap, &r, err, errlen) < 0)
		return -1;
	if (h->privileged) {
		snprintf(err, errlen,
		         "Invalid --user-remap %s: --user-remap and --privileged cannot be set "
		         "simultaneously",
		         h->sys.user_remap);
		return -1;
	}
	if (!h->system_container) {
		snprintf(
		    err, errlen,
		    "Invalid --user-remap %s: --user-remap only available for system container "
		    "(--system-container)",
		    h->sys.user_remap);
		return -1;
	}
	return 0;
}

void user_remap_lxc_config(struct strbuf *f, const struct host_config *h)
{
	struct user_remap r;
	if (!parse_effective(h, &r))
		return;
	lxc_conf_line(f, "lxc.idmap", "u 0 %u %u", r.uid, r.offset);
	lxc_conf_line(f, "lxc.idmap", "g 0 %u %u", r.gid, r.offset);
}

/* Whether the container's root may search dir: by its mode bits, or (as root of its user
 * namespace) when the inode's owner and group are both mapped. */
static bool can_search(const struct stat *st, const struct user_remap *r)
{
	if (user_remap_maps(r->uid, r->offset, st->st_uid) &&
	    user_remap_maps(r->gid, r->offset, st->st_gid))
		return true;
	if (st->st_uid == r->uid)
		return st->st_mode & S_IXUSR;
	if (st->st_gid == r->gid)
		return st->st_mode & S_IXGRP;
	return st->st_mode & S_IXOTH;
}

struct reach {
	const struct user_remap *r;
	char dir[PATH_MAX]; /* the last directory looked at */
	struct stat st;     /* and its stat */
};

static int searchable(const char *dir, const struct stat *st, void *arg)
{
	struct reach *x = arg;
	snprintf(x->dir, sizeof(x->dir), "%s", dir);
	x->st = *st;
	return can_search(st, x->r) ? 0 : 1;
}

/* Every directory from / to path must be searchable by the mapped root: liblxc mounts the
 * rootfs, and checks its own container directory, from inside the user namespace. *out gets
 * path's own stat. */
static int check_reachable(const struct host_config *h, const struct user_remap *r,
                           const char *what, const char *path, struct stat *out, char *err,
                           size_t errlen)
{
	struct reach x = {.r = r};
	int ret = path_walk(path, searchable, &x);
	if (ret < 0) {
		snprintf(err, errlen, "Start container error: %s %s: %s", what, path,
		         strerror(errno));
		return -1;
	}
	if (ret > 0) {
		snprintf(err, errlen,
		         "Start container error: the %s %s is not accessible to the container's "
		         "root (host uid %u, gid %u, --user-remap %s): %s (owner %u:%u, mode "
		         "%04o) cannot be searched by it",
		         what, path, r->uid, r->gid, h->sys.user_remap, x.dir,
		         (unsigned)x.st.st_uid, (unsigned)x.st.st_gid,
		         (unsigned)(x.st.st_mode & 07777));
		return -1;
	}
	*out = x.st;
	return 0;
}

/* liblxc requires a user-namespaced container's lxcpath to be searchable by its root: the
 * engine's own directories (graph, engines, lcr) get search permission for others (not
 * read: their listing stays private). */
static void open_engine_dirs(const char *lxcpath)
{
	char *dir = strdup(lxcpath);
	for (int i = 0; dir && i < 3; i++) {
		struct stat st;
		if (stat(dir, &st) == 0 && !(st.st_mode & S_IXOTH))
			chmod(dir, (st.st_mode & 07777) | S_IXOTH);
		char *slash = strrchr(dir, '/');
		if (!slash || slash == dir)
			break;
		*slash = '\0';
	}
	free(dir);
}

int user_remap_prepare(const struct host_config *h, const char *lxcpath, const char *rootfs,
                       char *err, size_t errlen)
{
	struct user_remap r;
	if (!parse_effective(h, &r))
		return 0;
	open_engine_dirs(lxcpath);
	struct stat st;
	if (check_reachable(h, &r, "engine directory", lxcpath, &st, err, errlen) < 0 ||
	    check_reachable(h, &r, "rootfs", rootfs, &st, err, errlen) < 0)
		return -1;
	if (!user_remap_maps(r.uid, r.offset, st.st_uid) ||
	    !user_remap_maps(r.gid, r.offset, st.st_gid)) {
		snprintf(
		    err, errlen,
		    "Start container error: the rootfs %s is not accessible to the container's "
		    "ids: it is owned by %u:%u, outside uids %u-%llu and gids %u-%llu of "
		    "--user-remap %s (shift the rootfs's owners by the remap uid and gid first)",
		    rootfs, (unsigned)st.st_uid, (unsigned)st.st_gid, r.uid,
		    (unsigned long long)r.uid + r.offset - 1, r.gid,
		    (unsigned long long)r.gid + r.offset - 1, h->sys.user_remap);
		return -1;
	}
	return 0;
}

void sysopt_chown_in_rootfs(const struct container *c, int rootfs_fd, const char *path)
{
	uid_t uid;
	gid_t gid;
	if (!user_remap_root(&c->host, &uid, &gid))
		return;
	int fd = rootfs_open(rootfs_fd, path, O_PATH | O_NOFOLLOW, 0);
	if (fd < 0)
		return;
	fchownat(fd, "", uid, gid, AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW);
	close(fd);
}
