#include "ns_mount.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/fileutil.h"
#include "host/mountinfo.h"
#include "host/ns_exec.h"

/* ------------------------------------------------------------------ inside the namespace */

static void target_path(char *buf, size_t len, int i)
{
	snprintf(buf, len, "/%s", lxcfs_view_files[i]);
}

/* Takes off the views attached so far (done[i]), newest first. */
static void roll_back(const bool *done)
{
	char path[128];
	for (int i = LXCFS_VIEW_COUNT - 1; i >= 0; i--) {
		if (!done[i])
			continue;
		target_path(path, sizeof(path), i);
		umount2(path, MNT_DETACH | UMOUNT_NOFOLLOW);
	}
}

static int unmount_views(const int *stacked, struct ns_mount_result *res)
{
	char path[128];
	for (int i = 0; i < LXCFS_VIEW_COUNT; i++) {
		target_path(path, sizeof(path), i);
		/* Detached, because a dead lxcfs leaves mounts that cannot be used but can
		 * always be detached; EINVAL: someone took it off already. */
		for (int k = 0; k < stacked[i]; k++) {
			if (umount2(path, MNT_DETACH | UMOUNT_NOFOLLOW) == 0) {
				res->unmounted++;
			} else if (errno != EINVAL) {
				snprintf(res->err, sizeof(res->err),
				         "cannot unmount the lxcfs view on %s: %s", path,
				         strerror(errno));
				return -1;
			}
		}
	}
	return 0;
}

static int mount_views(const int *fds, struct ns_mount_result *res)
{
	bool done[LXCFS_VIEW_COUNT] = {false};
	char path[128];
	for (int i = 0; i < LXCFS_VIEW_COUNT; i++) {
		if (fds[i] < 0)
			continue;
		target_path(path, sizeof(path), i);
		struct stat st;
		const char *why = NULL;
		bool dir = lxcfs_view_is_dir(i);
		if (fstatat(AT_FDCWD, path, &st, AT_SYMLINK_NOFOLLOW) < 0) {
			if (errno == ENOENT) {
				res->missing_mask |= 1u << i;
				continue;
			}
			why = strerror(errno);
		} else if (dir && !S_ISDIR(st.st_mode)) {
			why = "it is not a directory";
		} else if (!dir && !S_ISREG(st.st_mode)) {
			why = S_ISDIR(st.st_mode) ? "it is a directory, not a file"
			                          : "it is not a file";
		}
		if (!why && move_mount(fds[i], "", AT_FDCWD, path, MOVE_MOUNT_F_EMPTY_PATH) < 0)
			why = strerror(errno);
		if (!why) {
			done[i] = true;
			/* Attaching under a shared mount made it shared; as a slave it sends
			 * nothing back, so no mount made in the container reaches the host. A
			 * directory is read-only too: whatever lxcfs serves it from (Debian's
			 * passes writes to the host's sysfs), no write under it leaves the
			 * container (cpuN/online: lxc/lxcfs#629). */
			struct mount_attr attr = {.propagation = MS_SLAVE,
			                          .attr_set = dir ? MOUNT_ATTR_RDONLY : 0};
			if (mount_setattr(fds[i], "", AT_EMPTY_PATH, &attr, sizeof(attr)) < 0)
				why = strerror(errno);
		}
		if (why) {
			snprintf(res->err, sizeof(res->err),
			         "cannot mount the lxcfs view on %s: %s", path, why);
			roll_back(done);
			return -1;
		}
		res->mounted++;
	}
	return 0;
}

struct child_args {
	const struct ns_mount_job *job;
	int rootfd;
	const int *stacked;
};

/* In the container's mount namespace (ns_exec). */
static int child_work(void *arg, void *result)
{
	const struct child_args *a = arg;
	const struct ns_mount_job *job = a->job;
	struct ns_mount_result *res = result;
	/* Rooted in the container, its paths (and symlinks) resolve as its processes see
	 * them and can never reach the host's files. */
	if ((job->root ? chdir(job->root) : fchdir(a->rootfd)) < 0 || chroot(".") < 0 ||
	    chdir("/") < 0) {
		snprintf(res->err, sizeof(res->err), "cannot enter the root %s of pid %d: %s",
		         job->root ? job->root : "", job->pid, strerror(errno));
		return 1;
	}
	if (unmount_views(a->stacked, res) < 0)
		return 1;
	return mount_views(job->view_fds, res) < 0 ? 1 : 0;
}

/* ------------------------------------------------------------------------- on the host */

/* stacked[i]: how many FUSE mounts (lxcfs views, live or dead) sit on target i now, as the
 * container's mountinfo shows them below prefix (its root, "" when it has entered it). */
static int count_stacked(int pid, const char *prefix, int *stacked, struct ns_mount_result *res)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/mountinfo", pid);
	char *text = read_file(path, 16 << 20, NULL);
	if (!text) {
		snprintf(res->err, sizeof(res->err), "cannot read %s: %s", path, strerror(errno));
		return -1;
	}
	size_t plen = strlen(prefix);
	char *save = NULL;
	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		struct mountinfo_entry e;
		if (mountinfo_parse_line(line, &e) < 0 || strncmp(e.fs_type, "fuse", 4) != 0 ||
		    strncmp(e.mount_point, prefix, plen) != 0 || e.mount_point[plen] != '/')
			continue;
		for (int i = 0; i < LXCFS_VIEW_COUNT; i++) {
			if (strcmp(e.mount_point + plen + 1, lxcfs_view_files[i]) == 0)
				stacked[i]++;
		}
	}
	free(text);
	return 0;
}

static bool same_file(int fd, const char *path)
{
	struct stat a, b;
	return fstat(fd, &a) == 0 && stat(path, &b) == 0 && a.st_dev == b.st_dev &&
	       a.st_ino == b.st_ino;
}

static int cgroup_names(int pid, const char *id, struct ns_mount_result *res)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/cgroup", pid);
	char *text = read_file(path, 1 << 20, NULL);
	bool ok = text && strstr(text, id);
	free(text);
	if (!ok)
		snprintf(res->err, sizeof(res->err),
		         "pid %d is not in the container's cgroup (the container has exited)", pid);
	return ok ? 0 : -1;
}

/* Checks the container's mount namespace (pinned by t) is not the host's and opens, unless
 * job->root is given, its root directory. */
static int open_container(const struct ns_mount_job *job, const struct ns_target *t, int *rootfd,
                          struct ns_mount_result *res)
{
	if (same_file(ns_target_fd(t, CLONE_NEWNS), "/proc/self/ns/mnt")) {
		snprintf(res->err, sizeof(res->err),
		         "pid %d shares the host's mount namespace: refusing to mount over the "
		         "host's /proc",
		         job->pid);
		return -1;
	}
	if (job->root)
		return 0;
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/root", job->pid);
	*rootfd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (*rootfd < 0) {
		snprintf(res->err, sizeof(res->err), "cannot open %s: %s", path, strerror(errno));
		return -1;
	}
	if (same_file(*rootfd, "/")) {
		snprintf(res->err, sizeof(res->err),
		         "pid %d has not entered its root file system yet and no root was given",
		         job->pid);
		return -1;
	}
	return 0;
}

int ns_mount_apply(const struct ns_mount_job *job, struct ns_mount_result *res)
{
	memset(res, 0, sizeof(*res));
	int stacked[LXCFS_VIEW_COUNT] = {0};
	int rootfd = -1, ret = -1;
	/* Pinned by pidfd: if it is still alive once everything is opened (ns_target_run checks),
	 * the namespace and root opened by its pid were its own, not a recycled pid's. */
	struct ns_target t;
	if (ns_target_open(job->pid, CLONE_NEWNS, &t, res->err, sizeof(res->err)) < 0)
		return -1;
	char prefix[4096] = "";
	if (job->root) {
		snprintf(prefix, sizeof(prefix), "%s", job->root);
		for (size_t l = strlen(prefix); l > 0 && prefix[l - 1] == '/'; l--)
			prefix[l - 1] = '\0';
	}
	if ((job->cgroup_id && cgroup_names(job->pid, job->cgroup_id, res) < 0) ||
	    open_container(job, &t, &rootfd, res) < 0 ||
	    count_stacked(job->pid, prefix, stacked, res) < 0)
		goto out;
	struct child_args a = {job, rootfd, stacked};
	char err[sizeof(res->err)];
	int rc = ns_target_run(&t, child_work, &a, res, sizeof(*res), err, sizeof(err));
	if (rc < 0) {
		memset(res, 0, sizeof(*res));
		snprintf(res->err, sizeof(res->err), "%s", err);
	}
	ret = rc == 0 ? 0 : -1;
out:
	if (rootfd >= 0)
		close(rootfd);
	ns_target_close(&t);
	return ret;
}
