/* GET/HEAD/PUT /containers/{id}/archive: `isula cp` and `docker cp`. Every path is
 * resolved inside the container's root: the running container's own view of it
 * (/proc/<init>/root, so its tmpfs and bind mounts are seen as inside), else the external
 * rootfs. A PUT body arrives spooled to an unlinked file (server.c), is checked entry by
 * entry first, and only then extracted. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine/cp_path.h"
#include "core/log.h"
#include "engine/path_stat.h"
#include "container_cgroup.h"
#include "rootfs_block.h"
#include "routes.h"
#include "runtime.h"
#include "store.h"
#include "engine/tar_stream.h"

static pid_t running_pid(struct container *c)
{
	store_lock();
	pid_t pid = c->state.status == STATUS_RUNNING ? c->state.pid : 0;
	store_unlock();
	return pid;
}

/* O_PATH fd of the container's root, or -1 with the answer set. */
static int open_container_root(struct container *c, struct response *resp)
{
	struct pid_pin pin;
	/* The init pinned through liblxc, its root opened through the pin (checked alive
	 * afterwards): never the root of a process that reused the stored pid. */
	if (running_pid(c) > 0 && runtime_pin_init(c->id, &pin) == 0) {
		int fd = pid_pin_openat(&pin, "root", O_PATH | O_DIRECTORY);
		pid_pin_close(&pin);
		if (fd >= 0)
			return fd;
	}
	char err[1024];
	int fd = rootfs_open_dir(c, err, sizeof(err));
	if (fd < 0)
		resp_error(resp, 409, "container %s: %s", c->name, err);
	return fd;
}

/* Looks the container up and opens its root; NULL with the answer set. */
static struct container *lookup_with_root(const struct request *req, struct response *resp,
                                          const char **path, int *root_fd)
{
	*path = req_query(req, "path");
	if (!*path || !**path) {
		resp_error(resp, 400,
		           "path cannot be empty: give the path in the container as "
		           "?path=");
		return NULL;
	}
	struct container *c = route_find_container(req, resp);
	if (!c)
		return NULL;
	*root_fd = open_container_root(c, resp);
	if (*root_fd < 0) {
		store_put(c);
		return NULL;
	}
	return c;
}

static void not_found(struct response *resp, const char *path, const struct container *c, int err)
{
	if (err == ENOENT || err == ENOTDIR)
		resp_error(resp, 404, "Could not find the file %s in container %s", path, c->name);
	else
		resp_error(resp, 400, "cannot resolve %s in container %s: %s", path, c->name,
		           strerror(err));
}

struct tar_job {
	pthread_t thread;
	bool joined;
	int rfd, wfd;
	int root_fd;
	char *path, *top;
	int result;
	struct container *c; /* referenced while frozen for the copy, else NULL */
	bool frozen;
};

static void *tar_job_run(void *arg)
{
	struct tar_job *j = arg;
	char err[1024];
	j->result =
	    tar_write_path(tar_fd_write, &j->wfd, j->root_fd, j->path, j->top, err, sizeof(err));
	if (j->result < 0)
		LOG_WARN("archive of %s: %s", j->path, err);
	close(j->wfd);
	return NULL;
}

static ssize_t tar_job_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct tar_job *j = cls;
	ssize_t n;
	do {
		n = read(j->rfd, buf, max);
	} while (n < 0 && errno == EINTR);
	if (n > 0)
		return n;
	if (n < 0)
		return MHD_CONTENT_READER_END_WITH_ERROR;
	pthread_join(j->thread, NULL);
	j->joined = true;
	/* A failed archive must not look complete: break the chunked stream. */
	return j->result == 0 ? MHD_CONTENT_READER_END_OF_STREAM
	                      : MHD_CONTENT_READER_END_WITH_ERROR;
}

static void tar_job_free(void *cls)
{
	struct tar_job *j = cls;
	close(j->rfd); /* a writer still going gets EPIPE and stops */
	if (!j->joined)
		pthread_join(j->thread, NULL);
	close(j->root_fd);
	if (j->c) {
		container_cp_thaw(j->c, j->frozen);
		store_put(j->c);
	}
	free(j->path);
	free(j->top);
	free(j);
}

/* Streams the tar from a thread through a pipe: libarchive pushes, libmicrohttpd pulls. */
static void start_tar_stream(struct response *resp, int root_fd, const char *path, const char *top,
                             struct container *freeze)
{
	struct tar_job *j = calloc(1, sizeof(*j));
	int p[2] = {-1, -1};
	if (!j || pipe2(p, O_CLOEXEC) < 0 || !(j->path = strdup(path)) || !(j->top = strdup(top))) {
		resp_error(resp, 500, "cannot start the archive of %s: %s", path, strerror(errno));
		goto fail;
	}
	j->rfd = p[0];
	j->wfd = p[1];
	j->root_fd = root_fd;
	if (freeze) { /* frozen until the stream is done */
		store_lock();
		freeze->refs++;
		store_unlock();
		j->c = freeze;
		j->frozen = container_cp_freeze(freeze);
	}
	if (pthread_create(&j->thread, NULL, tar_job_run, j) != 0) {
		if (j->c) {
			container_cp_thaw(j->c, j->frozen);
			store_put(j->c);
		}
		resp_error(resp, 500, "cannot start the archive of %s", path);
		goto fail;
	}
	resp_stream(resp, 200, "application/x-tar", tar_job_read, j, tar_job_free);
	return;
fail:
	if (p[0] >= 0) {
		close(p[0]);
		close(p[1]);
	}
	if (j) {
		free(j->path);
		free(j->top);
	}
	free(j);
	close(root_fd);
}

void route_container_archive_get(const struct request *req, struct response *resp)
{
	const char *path;
	int root_fd;
	struct container *c = lookup_with_root(req, resp, &path, &root_fd);
	if (!c)
		return;
	struct stat st;
	char *link = NULL, *dir = NULL, *base = NULL;
	if (tar_lstat_in(root_fd, path, &st, &link) < 0) {
		not_found(resp, path, c, errno);
		goto fail;
	}
	if (cp_asserts_dir(path) && !S_ISDIR(st.st_mode)) {
		resp_error(resp, 400, "%s in container %s: not a directory", path, c->name);
		goto fail;
	}
	if (cp_split_dir_entry(path, &dir, &base) < 0) {
		resp_error(resp, 500, "out of memory");
		goto fail;
	}
	const char *top = strcmp(base, "/") == 0 ? "." : base;
	resp->header_name = PATH_STAT_HEADER;
	resp->header_value = path_stat_encode(top, &st, link);
	if (strcmp(req->method, "HEAD") == 0) {
		resp_empty(resp, 200);
		goto fail; /* done: nothing to stream */
	}
	start_tar_stream(resp, root_fd, path, top, req_query_bool(req, "pause") ? c : NULL);
	root_fd = -1;
fail:
	if (root_fd >= 0)
		close(root_fd);
	free(link);
	free(dir);
	free(base);
	store_put(c);
}

void route_container_archive_put(const struct request *req, struct response *resp)
{
	const char *path;
	int root_fd;
	struct container *c = lookup_with_root(req, resp, &path, &root_fd);
	if (!c)
		return;
	int dfd = tar_open_in(root_fd, path, O_PATH | O_DIRECTORY);
	if (dfd < 0) {
		if (errno == ENOTDIR)
			resp_error(resp, 400,
			           "extraction point is not a directory: %s in container %s", path,
			           c->name);
		else
			not_found(resp, path, c, errno);
		goto out;
	}
	close(dfd);
	if (req->body_fd < 0) {
		resp_error(resp, 500, "the archive body was not received");
		goto out;
	}
	struct tar_extract_opts opts = {
	    .chown = true,
	    .no_overwrite_dir_nondir = req_query_bool(req, "noOverwriteDirNonDir"),
	    .check_only = true,
	};
	struct error e;
	int fd = req->body_fd;
	/* Check every entry first, so a bad archive changes nothing; whatever stops the check
	 * refuses the archive (400). */
	if (tar_extract(tar_fd_read, &fd, root_fd, path, &opts, &e) < 0) {
		resp_error(resp, 400, "%s", e.msg);
		goto out;
	}
	if (lseek(fd, 0, SEEK_SET) < 0) {
		resp_error(resp, 500, "cannot read back the archive: %s", strerror(errno));
		goto out;
	}
	opts.check_only = false;
	bool frozen = req_query_bool(req, "pause") && container_cp_freeze(c);
	int rc = tar_extract(tar_fd_read, &fd, root_fd, path, &opts, &e);
	container_cp_thaw(c, frozen);
	if (rc < 0) {
		resp_error(resp, http_status_of(e.code), "extracting into %s in container %s: %s",
		           path, c->name, e.msg);
		goto out;
	}
	resp_empty(resp, 200);
out:
	close(root_fd);
	store_put(c);
}
