/* --env-target-file PATH: at create the file's entries join the container's env (--env wins
 * on a conflict); at every start the container's whole env is written to it. PATH is inside
 * the rootfs: every lookup goes through RESOLVE_IN_ROOT, and the file is replaced by a rename,
 * so a symlink can never lead the engine out of the rootfs. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine/env_merge.h"
#include "core/log.h"
#include "engine/lxc_conf.h"
#include "host/rootfs_path.h"
#include "core/strv.h"
#include "rootfs_block.h"
#include "sysopt.h"
#include "core/utf8.h"

#define ENV_FILE_MAX (10LL * 1024 * 1024) /* the seed: at most 10 MB */

static int open_rootfs(const struct container *c, char *err, size_t errlen)
{
	return rootfs_open_dir(c, err, errlen);
}

int env_merge_validate(const struct container *c, char *err, size_t errlen)
{
	const char *path = c->host.sys.env_target_file;
	if (path[0] != '/') {
		snprintf(err, errlen, "env target file path must be absolute path: %s", path);
		return -1;
	}
	if (rootfs_is_block(&c->host))
		return 0; /* its filesystem is looked at when it is mounted, at start */
	int rootfs = open_rootfs(c, err, errlen);
	if (rootfs < 0)
		return -1;
	int fd = rootfs_open(rootfs, path, O_PATH, 0);
	struct stat st;
	int ret = 0;
	if (fd >= 0 && fstat(fd, &st) == 0) {
		if (S_ISDIR(st.st_mode)) {
			snprintf(err, errlen, "Env target file is a directory: %s", path);
			ret = -1;
		} else if (!S_ISREG(st.st_mode)) {
			snprintf(err, errlen, "Env target file is not a regular file: %s", path);
			ret = -1;
		} else if (st.st_size > ENV_FILE_MAX) {
			snprintf(
			    err, errlen,
			    "env target file '%s', size exceed limit: %lld bytes (the maximum is "
			    "10MB)",
			    path, (long long)st.st_size);
			ret = -1;
		}
	}
	if (fd >= 0)
		close(fd);
	close(rootfs);
	return ret;
}

/* The entries the file added from index first on: KERNEL_MODULES is dropped (the image must
 * not choose which host kernel modules are loaded: only the API's -e counts), and so is an
 * entry that no lxc.environment line can carry (a control character...). */
static void drop_refused(struct container *c, size_t first, const char *path)
{
	char **env = c->config.env;
	size_t w = first;
	for (size_t r = first; env && env[r]; r++) {
		const char *why = strncmp(env[r], "KERNEL_MODULES=", 15) == 0
		                      ? "KERNEL_MODULES is taken from the API only"
		                      : lxc_conf_value_problem("lxc.environment", env[r]);
		if (!why) {
			env[w++] = env[r];
			continue;
		}
		char shown[128];
		LOG_WARN("container %s: ignoring '%s' of the env target file %s: %s", c->id,
		         lxc_conf_quote(env[r], shown, sizeof(shown)), path, why);
		free(env[r]);
	}
	if (env)
		env[w] = NULL;
}

int env_merge_from_rootfs(struct container *c, char *err, size_t errlen)
{
	const char *path = c->host.sys.env_target_file;
	int rootfs = open_rootfs(c, err, errlen);
	if (rootfs < 0)
		return -1;
	char *text = rootfs_read_file(rootfs, path, ENV_FILE_MAX + 1);
	int saved = errno;
	close(rootfs);
	if (!text && saved != ENOENT) {
		snprintf(err, errlen, "cannot read the env target file %s: %s", path,
		         saved == EINVAL ? "not a regular file" : strerror(saved));
		return -1;
	}
	/* The file is the rootfs's: its bytes become valid UTF-8 (U+FFFD) before they reach
	 * config.v2.json. */
	char *fixed = text ? utf8_repair(text, strlen(text), NULL) : NULL;
	size_t first = strv_len(c->config.env);
	int ret = text && (!fixed || env_merge_file(&c->config.env, fixed) < 0) ? -1 : 0;
	if (ret < 0)
		snprintf(err, errlen, "out of memory merging the env target file %s", path);
	else
		drop_refused(c, first, path);
	free(fixed);
	free(text);
	return ret;
}

/* Makes the missing directories of path's parent (0755, the container root's), each
 * resolved inside the rootfs. */
static int make_parents(const struct container *c, int rootfs, const char *path)
{
	char *dir = strdup(path);
	if (!dir)
		return -1;
	for (char *p = strchr(dir + 1, '/'); p; p = strchr(p + 1, '/')) {
		*p = '\0';
		int fd = rootfs_open(rootfs, dir, O_PATH | O_DIRECTORY, 0);
		if (fd < 0) {
			char *slash = strrchr(dir, '/');
			*slash = '\0';
			int parent =
			    rootfs_open(rootfs, dir[0] ? dir : "/", O_PATH | O_DIRECTORY, 0);
			*slash = '/';
			if (parent < 0 ||
			    (mkdirat(parent, slash + 1, 0755) < 0 && errno != EEXIST)) {
				if (parent >= 0)
					close(parent);
				free(dir);
				return -1;
			}
			close(parent);
			sysopt_chown_in_rootfs(c, rootfs, dir);
		} else {
			close(fd);
		}
		*p = '/';
	}
	free(dir);
	return 0;
}

int env_merge_write(const struct container *c, char *err, size_t errlen)
{
	const char *path = c->host.sys.env_target_file;
	int rootfs = open_rootfs(c, err, errlen);
	if (rootfs < 0)
		return -1;
	char **env = container_init_env(&c->config);
	size_t len = 0;
	char *text = env ? env_render(env, &len) : NULL;
	mode_t mode = 0644;
	int fd = rootfs_open(rootfs, path, O_PATH | O_NOFOLLOW, 0);
	struct stat st;
	if (fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
		mode = st.st_mode & 07777;
	if (fd >= 0)
		close(fd);
	int ret = -1;
	if (text && make_parents(c, rootfs, path) == 0 &&
	    rootfs_write_file(rootfs, path, text, len, mode) == 0) {
		sysopt_chown_in_rootfs(c, rootfs, path);
		ret = 0;
	} else {
		snprintf(err, errlen,
		         "Start container error: cannot write the env target file %s: %s", path,
		         text ? strerror(errno) : "out of memory");
	}
	free(text);
	strv_free(env);
	close(rootfs);
	return ret;
}
