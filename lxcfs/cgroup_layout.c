#include "cgroup_layout.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fd_cache.h"
#include "core/fileutil.h"
#include "host/cgroup_mounts.h"

struct hierarchy {
	int dirfd;  /* the mount point, O_PATH */
	char *root; /* the cgroup at the mount point ("/" unless the mount is of a subtree) */
};

static struct {
	struct hierarchy v1[CG_NCTRL];
	struct hierarchy v2;
	enum cg_mode mode[CG_NCTRL];
} g = {.v2 = {.dirfd = -1}};

/* The v2 controller that stands for a v1 one; "" for files every v2 cgroup has
 * (cpu.stat), NULL when v2 has nothing like it (device rules are BPF programs). */
static const char *v2_name(enum cg_ctrl c)
{
	switch (c) {
	case CG_MEMORY:
		return "memory";
	case CG_CPUSET:
		return "cpuset";
	case CG_BLKIO:
		return "io";
	case CG_CPUACCT:
		return "";
	case CG_CPU:
		return "cpu";
	default:
		return NULL;
	}
}

/* Opens the hierarchy's mount point into slot h. */
static void take(struct hierarchy *h, const struct cgroup_hier *found)
{
	if (!found)
		return;
	int fd = open(found->mount_point, O_PATH | O_DIRECTORY | O_CLOEXEC);
	char *root = strdup(found->root);
	if (fd < 0 || !root) {
		if (fd >= 0)
			close(fd);
		free(root);
		return;
	}
	h->dirfd = fd;
	h->root = root;
}

int cgroup_layout_init(void)
{
	for (int c = 0; c < CG_NCTRL; c++)
		g.v1[c].dirfd = -1;
	struct cgroup_mounts m;
	if (cgroup_mounts_read(&m) < 0) {
		fprintf(stderr, "lxcfs: cannot read /proc/self/mountinfo: %s\n", strerror(errno));
		return -1;
	}
	/* LXCFS_CGROUP_V2_ONLY=1 (tests): the v1 hierarchies are not looked at, so that on a
	 * hybrid host the v2 paths run against the unified hierarchy mounted beside them. */
	const char *v2only = getenv("LXCFS_CGROUP_V2_ONLY");
	for (int c = 0; c < CG_NCTRL && !(v2only && strcmp(v2only, "1") == 0); c++)
		take(&g.v1[c], cgroup_mounts_v1(&m, cg_ctrl_name(c)));
	take(&g.v2, cgroup_mounts_v2(&m));
	cgroup_mounts_free(&m);
	char *v2ctrls =
	    g.v2.dirfd >= 0 ? read_file_at(g.v2.dirfd, "cgroup.controllers", 4096, NULL) : NULL;
	for (int c = 0; c < CG_NCTRL; c++) {
		const char *name = v2_name(c);
		if (g.v1[c].dirfd >= 0)
			g.mode[c] = CG_V1;
		else if (g.v2.dirfd >= 0 && name && (!*name || word_list_has(v2ctrls, name)))
			g.mode[c] = CG_V2;
		else
			g.mode[c] = CG_ABSENT;
	}
	free(v2ctrls);
	return 0;
}

void cgroup_layout_free(void)
{
	for (int c = 0; c < CG_NCTRL; c++) {
		if (g.v1[c].dirfd >= 0)
			close(g.v1[c].dirfd);
		free(g.v1[c].root);
		g.v1[c] = (struct hierarchy){.dirfd = -1};
	}
	if (g.v2.dirfd >= 0)
		close(g.v2.dirfd);
	free(g.v2.root);
	g.v2 = (struct hierarchy){.dirfd = -1};
}

enum cg_mode cgroup_mode(enum cg_ctrl c)
{
	return c < CG_NCTRL ? g.mode[c] : CG_ABSENT;
}

const char *cgroup_of(const struct pid_cgroups *pc, enum cg_ctrl c)
{
	const char *p = NULL;
	switch (cgroup_mode(c)) {
	case CG_V1:
		p = pc->v1[c];
		break;
	case CG_V2:
		p = pc->unified;
		break;
	case CG_ABSENT:
		break;
	}
	return p && strcmp(p, "/") != 0 ? p : NULL;
}

/* "PATH/FILE" relative to the hierarchy's mount point. */
static int rel_path(const struct hierarchy *h, const char *path, const char *file, char *buf,
                    size_t size)
{
	path = cgroup_hier_rel(&(struct cgroup_hier){.root = h->root}, path);
	int n = snprintf(buf, size, "%s%s%s", path, *path ? "/" : "", file);
	return n < 0 || (size_t)n >= size ? -1 : 0;
}

int cgroup_file(enum cg_ctrl c, const char *path, const char *file, struct strbuf *out)
{
	enum cg_mode mode = cgroup_mode(c);
	if (mode == CG_ABSENT || !path)
		return -1;
	const struct hierarchy *h = mode == CG_V1 ? &g.v1[c] : &g.v2;
	char rel[PATH_MAX];
	if (rel_path(h, path, file, rel, sizeof(rel)) < 0)
		return -1;
	return fd_cache_read(h->dirfd, rel, true, out) < 0 ? -1 : 0;
}

int cgroup_v2_file(const char *path, const char *file, struct strbuf *out)
{
	char rel[PATH_MAX];
	if (g.v2.dirfd < 0 || !path || rel_path(&g.v2, path, file, rel, sizeof(rel)) < 0)
		return -1;
	return fd_cache_read(g.v2.dirfd, rel, true, out) < 0 ? -1 : 0;
}

int cgroup_dir_open(enum cg_ctrl c, const char *path)
{
	enum cg_mode mode = cgroup_mode(c);
	if (mode == CG_ABSENT || !path)
		return -1;
	const struct hierarchy *h = mode == CG_V1 ? &g.v1[c] : &g.v2;
	const char *rel = cgroup_hier_rel(&(struct cgroup_hier){.root = h->root}, path);
	return openat(h->dirfd, *rel ? rel : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

int cgroup_file_u64(enum cg_ctrl c, const char *path, const char *file, uint64_t *v)
{
	struct strbuf text = {0};
	int ret = -1;
	if (cgroup_file(c, path, file, &text) == 0) {
		char *end;
		if (strncmp(text.data, "max", 3) == 0) {
			*v = UINT64_MAX;
			ret = 0;
		} else {
			*v = strtoull(text.data, &end, 10);
			ret = end == text.data ? -1 : 0;
		}
	}
	strbuf_free(&text);
	return ret;
}
