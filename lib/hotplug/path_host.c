/* Host paths resolved without symlinks (see path_host.h). */
#include "hotplug/path_host.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* No symlink, magic link or ".." escape in path below dir. */
static int open_nofollow(int dir, const char *path, int flags)
{
	struct open_how how = {
	    .flags = (unsigned long long)(flags | O_PATH | O_CLOEXEC),
	    .resolve = RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS | RESOLVE_BENEATH,
	};
	return (int)syscall(SYS_openat2, dir, path, &how, sizeof(how));
}

static int open_error(const char *host, int err, struct error *e)
{
	if (err == ELOOP)
		error_set(e, ERR_INVALID,
		          "the host path %s goes through a symlink (a symlink anywhere in it is "
		          "refused: give the path without symlinks)",
		          host);
	else
		error_set(e, err == ENOENT ? ERR_NOT_FOUND : ERR_INTERNAL, "cannot open %s: %s",
		          host, strerror(err));
	errno = err;
	return -1;
}

int hp_host_open(const char *host, struct error *e)
{
	int root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (root < 0)
		return open_error("/", errno, e);
	const char *rel = host;
	while (*rel == '/')
		rel++;
	int fd = open_nofollow(root, *rel ? rel : ".", 0);
	int err = errno;
	close(root);
	return fd < 0 ? open_error(host, err, e) : fd;
}

void hp_host_made_keep(struct hp_host_made *m)
{
	if (m->base >= 0)
		close(m->base);
	free(m->rel);
	m->base = -1;
	m->rel = NULL;
}

void hp_host_made_undo(struct hp_host_made *m)
{
	if (!m->rel) {
		hp_host_made_keep(m);
		return;
	}
	/* Deepest first: each one's parent opened again without symlinks, below base. */
	for (size_t len = strlen(m->rel); len > 0;) {
		m->rel[len] = '\0';
		char *slash = strrchr(m->rel, '/');
		int parent = m->base;
		if (slash) {
			*slash = '\0';
			parent = open_nofollow(m->base, m->rel, O_DIRECTORY);
			*slash = '/';
		}
		int rc =
		    parent >= 0 ? unlinkat(parent, slash ? slash + 1 : m->rel, AT_REMOVEDIR) : -1;
		if (slash && parent >= 0)
			close(parent);
		if (rc < 0 || !slash)
			break;
		len = (size_t)(slash - m->rel);
	}
	hp_host_made_keep(m);
}

int hp_host_make(const char *host, uid_t uid, gid_t gid, struct hp_host_made *m, struct error *e)
{
	m->base = -1;
	m->rel = NULL;
	struct error ignored = {0};
	int fd = hp_host_open(host, &ignored);
	if (fd >= 0) {
		close(fd);
		return 0;
	}
	if (errno != ENOENT)
		return open_error(host, errno, e);
	char *p = strdup(host);
	int dir = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (!p || dir < 0) {
		free(p);
		if (dir >= 0)
			close(dir);
		return error_set(e, ERR_INTERNAL, "cannot walk %s: %s", host, strerror(errno));
	}
	/* One component at a time, from /: opened without following, made when missing. */
	char *name = p;
	while (*name == '/')
		name++;
	while (*name) {
		char *end = strchr(name, '/');
		if (end)
			*end = '\0';
		bool made = false;
		int next = open_nofollow(dir, name, O_DIRECTORY);
		if (next < 0 && errno == ENOENT) {
			if (mkdirat(dir, name, 0755) == 0)
				made = true;
			else if (errno != EEXIST) {
				error_set(e, ERR_INTERNAL, "cannot create %s: %s", p,
				          strerror(errno));
				goto fail;
			}
			next = open_nofollow(dir, name, O_DIRECTORY);
		}
		if (next < 0) {
			open_error(errno == ELOOP ? host : p, errno, e);
			goto fail;
		}
		if (made && !m->rel) {
			m->base = dir;
			dir = -1;
			if (!(m->rel = strdup(host + (name - p)))) {
				close(next);
				error_set(e, ERR_INTERNAL, "out of memory");
				goto fail;
			}
		}
		if (made && fchownat(next, "", uid, gid, AT_EMPTY_PATH) < 0) {
			close(next);
			error_set(e, ERR_INTERNAL, "cannot chown %s: %s", p, strerror(errno));
			goto fail;
		}
		if (dir >= 0)
			close(dir);
		dir = next;
		if (!end)
			break;
		*end = '/';
		name = end + 1;
	}
	close(dir);
	free(p);
	return 0;
fail:
	if (dir >= 0)
		close(dir);
	free(p);
	hp_host_made_undo(m);
	return -1;
}
