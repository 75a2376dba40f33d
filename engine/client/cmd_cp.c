/* isula cp: copies between the host and a container through the archive API, with docker
 * cp's path rules (lib/engine/cp_path.h). The host side is read and written here, as the user
 * running isula; the container side by the daemon. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "client.h"
#include "engine/cp_path.h"
#include "engine/path_stat.h"
#include "engine/tar_stream.h"

#define CP_USAGE                                                                                   \
	"isula cp [OPTIONS] CONTAINER:SRC_PATH DEST_PATH|-\n"                                      \
	"\tisula cp [OPTIONS] SRC_PATH|- CONTAINER:DEST_PATH"

enum { O_HOST_IDX, O_ARCHIVE_IDX, O_PAUSE_IDX, O_HELP_IDX, O_COUNT };

static const struct cli_option g_cp_opts[O_COUNT] = {
    [O_HOST_IDX] = {"host", 'H', CLI_STRING, "URL", "Daemon socket to connect to"},
    [O_ARCHIVE_IDX] = {"archive", 'a', CLI_BOOL, NULL,
                       "Archive mode (copy all uid/gid information, setuid/setgid bits and "
                       "device nodes)"},
    [O_PAUSE_IDX] = {"pause", 0, CLI_BOOL, NULL,
                     "Freeze the container during the copy (default true; --pause=false not)"},
    [O_HELP_IDX] = {"help", 0, CLI_BOOL, NULL, "Print usage"},
};

/* Connects and sends the head of a request on /containers/CTR/archive?path=PATH; a PUT's
 * body follows in chunks. 0, or -1 with the message printed. */
static bool g_cp_pause = true; /* --pause, for this one command */

static int archive_request(const struct client *cl, const char *method, const char *ctr,
                           const char *path, struct http_conn *conn)
{
	char *ectr = url_escape(ctr), *epath = url_escape(path);
	size_t len = strlen(ectr) + strlen(epath) + 64;
	char *target = malloc(len);
	int ret = -1;
	if (!ectr || !epath || !target)
		goto out;
	/* The seed's: the container is frozen while a copy reads or writes it (not for a stat). */
	snprintf(target, len, "/v1.41/containers/%s/archive?path=%s%s", ectr, epath,
	         g_cp_pause && strcmp(method, "HEAD") != 0 ? "&pause=1" : "");
	if (api_connect(cl, conn) < 0)
		goto out;
	conn->capture_name = PATH_STAT_HEADER;
	if (strcmp(method, "PUT") == 0)
		ret = http_send_chunked_head(conn, method, target, "application/x-tar");
	else if ((ret = http_send_request(conn, method, target, NULL, NULL, 0)) == 0)
		ret = http_read_head(conn, strcmp(method, "HEAD") == 0);
	if (ret == 0)
		goto out;
	int e = errno;
	api_report_unreachable(cl, conn, e);
	http_close(conn);
out:
	free(ectr);
	free(epath);
	free(target);
	return ret;
}

/* Prints the daemon's error answer on conn. A 404 is a missing path, in docker's words
 * ("No such container:path", as docker's client says for any 404 here), unless the container
 * itself is missing: the status alone cannot tell, so the daemon is asked for the container,
 * and its own 404 says "No such container: CTR". */
static void print_archive_error(const struct client *cl, struct http_conn *conn, const char *ctr,
                                const char *path)
{
	struct api_response r = {.status = conn->status};
	if (conn->status == 404) {
		char target[4096];
		container_path(target, sizeof(target), ctr, "/json");
		bool answered = api_call(cl, "GET", target, NULL, &r) == 0; /* else said why */
		if (answered && r.status == 404)
			print_daemon_error(&r);
		else if (answered)
			fprintf(stderr, "Error: No such container:path: %s:%s\n", ctr, path);
	} else {
		if (!conn->no_body && http_read_body_all(conn, &r.body, &r.len) < 0)
			r.body = NULL;
		print_daemon_error(&r);
	}
	api_response_free(&r);
}

/* HEAD of a container path. 1 found (*ps filled), 0 missing, -1 error (printed). A HEAD
 * answer has no body: a 404 for a missing container looks like a missing path, and the
 * PUT that follows then reports it. */
static int stat_container_path(const struct client *cl, const char *ctr, const char *path,
                               struct path_stat *ps)
{
	struct http_conn *conn = malloc(sizeof(*conn));
	if (!conn || archive_request(cl, "HEAD", ctr, path, conn) < 0) {
		free(conn);
		return -1;
	}
	int ret = -1;
	if (conn->status == 200 && path_stat_decode(conn->captured, ps) == 0)
		ret = 1;
	else if (conn->status == 200)
		fprintf(stderr, "Error: the daemon sent no valid %s header for %s:%s\n",
		        PATH_STAT_HEADER, ctr, path);
	else if (conn->status == 404)
		ret = 0;
	else
		fprintf(stderr, "Error response from daemon: cannot stat %s:%s (HTTP %d)\n", ctr,
		        path, conn->status);
	http_close(conn);
	free(conn);
	return ret;
}

static ssize_t http_source(void *cls, void *buf, size_t len)
{
	return http_read_body(cls, buf, len);
}

static int http_sink(void *cls, const void *buf, size_t len)
{
	return len ? http_send_chunk(cls, buf, len) : 0;
}

/* Checks the host destination like docker: its directory must exist. */
static int host_dest_info(const char *dst, struct cp_info *info)
{
	struct stat st;
	info->path = dst;
	if (stat(dst, &st) == 0) {
		info->exists = true;
		info->is_dir = S_ISDIR(st.st_mode);
		return 0;
	}
	if (errno != ENOENT) {
		fprintf(stderr, "stat %s: %s\n", dst, strerror(errno));
		return -1;
	}
	char *dir, *base;
	if (cp_split_dir_entry(dst, &dir, &base) < 0)
		return -1;
	int ret = 0;
	if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode)) {
		fprintf(stderr, "invalid output path: directory \"%s\" does not exist\n", dir);
		ret = -1;
	}
	free(dir);
	free(base);
	return ret;
}

static int copy_body_to_stdout(struct http_conn *conn)
{
	char buf[HTTP_BUF_SIZE];
	int out = STDOUT_FILENO;
	for (;;) {
		ssize_t n = http_read_body(conn, buf, sizeof(buf));
		if (n < 0) {
			fprintf(stderr, "Error: reading the archive: %s\n", strerror(errno));
			return -1;
		}
		if (n == 0)
			return 0;
		if (tar_fd_write(&out, buf, (size_t)n) < 0) {
			fprintf(stderr, "Error: writing to stdout: %s\n", strerror(errno));
			return -1;
		}
	}
}

/* Reads what follows the end of the tar (its last chunk) so the stream ends cleanly. */
static int drain(struct http_conn *conn)
{
	char buf[4096];
	ssize_t n;
	while ((n = http_read_body(conn, buf, sizeof(buf))) > 0)
		;
	return n < 0 ? -1 : 0;
}

/* Without -a a copy out of a container keeps no setuid/setgid bit and makes no device node:
 * the container's root could otherwise hand the host's root a setuid shell or a disk. */
static int extract_to_host(struct http_conn *conn, const char *src, const char *dst, bool archive)
{
	struct path_stat ps;
	if (path_stat_decode(conn->captured, &ps) < 0) {
		fprintf(stderr, "Error: the daemon sent no valid %s header\n", PATH_STAT_HEADER);
		return -1;
	}
	struct cp_info sinfo = {.path = src, .exists = true, .is_dir = path_stat_is_dir(&ps)};
	path_stat_free(&ps);
	struct cp_info dinfo = {0};
	if (host_dest_info(dst, &dinfo) < 0)
		return -1;
	char *dir, *from, *to;
	const char *perr;
	if (cp_prepare(&sinfo, &dinfo, &dir, &from, &to, &perr) < 0) {
		fprintf(stderr, "Error: %s\n", perr ? perr : "out of memory");
		return -1;
	}
	/* The daemon names the top entry of "/" and "x/." as ".". */
	size_t skipped = 0;
	struct tar_extract_opts opts = {
	    .rebase_from = from && strcmp(from, "/") == 0 ? "." : from,
	    .rebase_to = to,
	    .chown = archive && geteuid() == 0,
	    .strip_special = !archive,
	    .skipped_devices = &skipped,
	};
	struct error e;
	int ret = -1;
	int root = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (root < 0)
		fprintf(stderr, "Error: %s: %s\n", dir, strerror(errno));
	/* The destination dir is the root: nothing in the archive can land outside it. */
	else if (tar_extract(http_source, conn, root, ".", &opts, &e) < 0)
		fprintf(stderr, "Error: %s\n", e.msg);
	else if (drain(conn) < 0) /* a stream that breaks after the tar's end failed too */
		fprintf(stderr, "Error: reading the archive: %s\n", strerror(errno));
	else
		ret = 0;
	if (ret == 0 && skipped > 0)
		fprintf(stderr,
		        "Warning: %zu device node(s) not copied (isula cp -a copies them)\n",
		        skipped);
	if (root >= 0)
		close(root);
	free(dir);
	free(from);
	free(to);
	return ret;
}

static int copy_from_container(const struct client *cl, const char *ctr, const char *src,
                               const char *dst, bool archive)
{
	struct http_conn *conn = malloc(sizeof(*conn));
	if (!conn || archive_request(cl, "GET", ctr, src, conn) < 0) {
		free(conn);
		return 1;
	}
	int ret = 1;
	if (conn->status != 200)
		print_archive_error(cl, conn, ctr, src);
	else if (strcmp(dst, "-") == 0)
		ret = copy_body_to_stdout(conn) < 0;
	else
		ret = extract_to_host(conn, src, dst, archive) < 0;
	http_close(conn);
	free(conn);
	return ret;
}

/* Links followed at the end of a destination before giving up (the kernel's ELOOP bound). */
#define CP_MAX_LINKS 40

/* The path a symlink at path points to: its target, relative to path's directory. */
static char *link_next(const char *path, const char *target)
{
	if (target[0] == '/')
		return strdup(target);
	char *dir, *base, *next = NULL;
	if (cp_split_dir_entry(path, &dir, &base) < 0)
		return NULL;
	size_t len = strlen(dir) + strlen(target) + 2;
	if ((next = malloc(len)))
		snprintf(next, len, "%s/%s", dir, target);
	free(dir);
	free(base);
	return next;
}

/* dst without the '/' or "/." that asserts a directory (the root stays "/"). */
static char *without_dir_suffix(const char *dst)
{
	char *p = strdup(dst);
	size_t len = p ? strlen(p) : 0;
	while (p && len > 1 && (p[len - 1] == '/' || (p[len - 1] == '.' && p[len - 2] == '/')))
		p[--len] = '\0';
	return p;
}

/* The container destination, following the symlinks at its end like docker (a chain t2 ->
 * t1 -> target ends at target, inside the container's root: the daemon resolves each). */
static int container_dest_info(const struct client *cl, const char *ctr, const char *dst,
                               struct cp_info *info, char **resolved)
{
	struct path_stat ps;
	/* "FILE/" names a directory: an existing non-directory there is an error, as in Docker. */
	if (cp_asserts_dir(dst)) {
		char *bare = without_dir_suffix(dst);
		int f = bare ? stat_container_path(cl, ctr, bare, &ps) : -1;
		bool not_dir = f == 1 && !path_stat_is_dir(&ps) && !path_stat_is_symlink(&ps);
		if (f == 1)
			path_stat_free(&ps);
		free(bare);
		if (not_dir) {
			fprintf(stderr, "Error: destination \"%s:%s\" is not a directory\n", ctr,
			        dst);
			*resolved = NULL;
			return -1;
		}
	}
	*resolved = strdup(dst);
	int found = *resolved ? stat_container_path(cl, ctr, *resolved, &ps) : -1;
	for (int hops = 0; found == 1 && path_stat_is_symlink(&ps); hops++) {
		if (hops == CP_MAX_LINKS) {
			fprintf(stderr, "Error: %s:%s: too many levels of symbolic links\n", ctr,
			        dst);
			path_stat_free(&ps);
			return -1;
		}
		char *next = link_next(*resolved, ps.link_target);
		path_stat_free(&ps);
		free(*resolved);
		*resolved = next;
		found = next ? stat_container_path(cl, ctr, next, &ps) : -1;
	}
	if (found < 0)
		return -1;
	info->path = *resolved;
	info->exists = found == 1;
	info->is_dir = found == 1 && path_stat_is_dir(&ps);
	if (found == 1)
		path_stat_free(&ps);
	return 0;
}

/* Sends stdin (a tar stream) or a tar of src as the PUT body. */
static int send_body(struct http_conn *conn, const char *src, const char *top)
{
	char err[1024];
	if (strcmp(src, "-") != 0) {
		if (tar_write_path(http_sink, conn, AT_FDCWD, src, top, err, sizeof(err)) < 0) {
			fprintf(stderr, "Error: %s\n", err);
			return -1;
		}
		return http_send_chunk(conn, NULL, 0);
	}
	char buf[HTTP_BUF_SIZE];
	int in = STDIN_FILENO;
	for (;;) {
		ssize_t n = tar_fd_read(&in, buf, sizeof(buf));
		if (n < 0) {
			fprintf(stderr, "Error: reading stdin: %s\n", strerror(errno));
			return -1;
		}
		if (http_send_chunk(conn, buf, (size_t)n) < 0)
			return -1;
		if (n == 0)
			return 0;
	}
}

static int upload(const struct client *cl, const char *ctr, const char *dir, const char *src,
                  const char *top)
{
	struct http_conn *conn = malloc(sizeof(*conn));
	if (!conn || archive_request(cl, "PUT", ctr, dir, conn) < 0) {
		free(conn);
		return 1;
	}
	int ret = 1;
	int sent = send_body(conn, src, top);
	/* The daemon answers once it has the whole body; after a send error it may already
	 * have answered (e.g. too large), which says more than the broken pipe. */
	if (http_read_head(conn, false) < 0) {
		if (sent == 0)
			fprintf(stderr, "Error: no answer from the daemon: %s\n", strerror(errno));
	} else if (conn->status != 200) {
		print_archive_error(cl, conn, ctr, dir);
	} else {
		ret = sent < 0;
	}
	http_close(conn);
	free(conn);
	return ret;
}

static int copy_to_container(const struct client *cl, const char *src, const char *ctr,
                             const char *dst)
{
	struct cp_info sinfo = {.path = src, .exists = true};
	if (strcmp(src, "-") != 0) {
		struct stat st;
		if (lstat(src, &st) < 0) {
			fprintf(stderr, "lstat %s: %s\n", src, strerror(errno));
			return 1;
		}
		sinfo.is_dir = S_ISDIR(st.st_mode);
		if (cp_asserts_dir(src) && !sinfo.is_dir) {
			fprintf(stderr, "lstat %s: not a directory\n", src);
			return 1;
		}
	}
	struct cp_info dinfo = {0};
	char *resolved = NULL;
	if (container_dest_info(cl, ctr, dst, &dinfo, &resolved) < 0) {
		free(resolved);
		return 1;
	}
	int ret = 1;
	if (strcmp(src, "-") == 0) {
		if (!dinfo.is_dir)
			fprintf(stderr, "destination \"%s:%s\" must be a directory\n", ctr, dst);
		else
			ret = upload(cl, ctr, resolved, src, NULL);
		free(resolved);
		return ret;
	}
	char *dir, *from, *to;
	const char *perr;
	if (cp_prepare(&sinfo, &dinfo, &dir, &from, &to, &perr) < 0) {
		fprintf(stderr, "Error: %s\n", perr ? perr : "out of memory");
		free(resolved);
		return 1;
	}
	char *sdir = NULL, *sbase = NULL;
	if (!to && cp_split_dir_entry(src, &sdir, &sbase) < 0) {
		fprintf(stderr, "Error: out of memory\n");
	} else {
		const char *top = to ? to : sbase;
		ret = upload(cl, ctr, dir, src, strcmp(top, "/") == 0 ? "." : top);
	}
	free(sdir);
	free(sbase);
	free(dir);
	free(from);
	free(to);
	free(resolved);
	return ret;
}

int cmd_cp(struct client *cl, int argc, char **argv)
{
	int code = 0;
	struct cli_values *v = parse_command_flags(cl, CP_USAGE, g_cp_opts, O_COUNT, O_HELP_IDX,
	                                           O_HOST_IDX, argc, argv, false, 0, &code);
	if (!v)
		return code;
	g_cp_pause = !cli_is_set(v, O_PAUSE_IDX) || cli_bool(v, O_PAUSE_IDX);
	if (cli_npositional(v) != 2) {
		fprintf(stderr, "\"isula cp\" requires exactly 2 arguments.\nUsage:  %s\n",
		        CP_USAGE);
		cli_values_free(v);
		return 1;
	}
	const char *src_arg = cli_positional(v, 0), *dst_arg = cli_positional(v, 1);
	char *sctr = NULL, *dctr = NULL;
	const char *src, *dst;
	int ret = 1;
	if (cp_split_arg(src_arg, &sctr, &src) < 0 || cp_split_arg(dst_arg, &dctr, &dst) < 0)
		fprintf(stderr, "Error: out of memory\n");
	else if (!sctr && !dctr)
		fprintf(stderr,
		        "must specify at least one container source: \"%s\" and \"%s\" "
		        "are both host paths\n",
		        src_arg, dst_arg);
	else if (sctr && dctr)
		fprintf(stderr, "copying between containers is not supported\n");
	else if (!*src || !*dst)
		fprintf(stderr, "%s path can not be empty: \"%s\"\n",
		        !*src ? "source" : "destination", !*src ? src_arg : dst_arg);
	else if (sctr && !*sctr)
		fprintf(stderr, "container name can not be empty: \"%s\"\n", src_arg);
	else if (dctr && !*dctr)
		fprintf(stderr, "container name can not be empty: \"%s\"\n", dst_arg);
	else if (sctr)
		ret = copy_from_container(cl, sctr, src, dst, cli_bool(v, O_ARCHIVE_IDX));
	else
		ret = copy_to_container(cl, src, dctr, dst);
	free(sctr);
	free(dctr);
	cli_values_free(v);
	return ret;
}
