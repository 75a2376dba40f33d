#include "core/proc_spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The attributes every helper starts with: an empty signal mask, SIGPIPE at its default. */
static void spawn_attr_init(posix_spawnattr_t *attr)
{
	sigset_t none, pipe_sig;
	sigemptyset(&none);
	sigemptyset(&pipe_sig);
	sigaddset(&pipe_sig, SIGPIPE);
	posix_spawnattr_init(attr);
	posix_spawnattr_setsigmask(attr, &none);
	posix_spawnattr_setsigdefault(attr, &pipe_sig);
	posix_spawnattr_setflags(attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
}

pid_t spawn_with_stdio(const char *path, char *const argv[], const int stdio[3])
{
	return spawn_with_fds(path, argv, stdio, 3);
}

pid_t spawn_with_fds(const char *path, char *const argv[], const int *fds, int n)
{
	return spawn_with_fds_env(path, argv, environ, fds, n);
}

pid_t spawn_with_fds_env(const char *path, char *const argv[], char *const envp[], const int *fds,
                         int n)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	posix_spawn_file_actions_init(&fa);
	spawn_attr_init(&attr);
	/* dup2 clears close-on-exec on the copies. */
	for (int i = 0; i < n; i++)
		posix_spawn_file_actions_adddup2(&fa, fds[i], i);
	posix_spawn_file_actions_addclosefrom_np(&fa, n);
	pid_t pid;
	int ret = posix_spawn(&pid, path, &fa, &attr, argv, envp);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	if (ret != 0) {
		errno = ret;
		return -1;
	}
	return pid;
}

/* One output stream of the helper: kept up to max bytes, the rest read and dropped (the
 * helper must never block on a full pipe). */
struct sink {
	char *data;
	size_t len, max;
	bool truncated;
};

static int sink_read(int fd, struct sink *s)
{
	char chunk[8192];
	ssize_t n = read(fd, chunk, sizeof(chunk));
	if (n < 0)
		return errno == EINTR || errno == EAGAIN ? 1 : -1;
	if (n == 0)
		return 0;
	size_t keep = s->len < s->max ? s->max - s->len : 0;
	if (keep > (size_t)n)
		keep = (size_t)n;
	if (keep < (size_t)n)
		s->truncated = true;
	if (keep > 0) {
		char *nd = realloc(s->data, s->len + keep + 1);
		if (!nd) {
			s->truncated = true;
			return 1;
		}
		s->data = nd;
		memcpy(s->data + s->len, chunk, keep);
		s->len += keep;
	}
	return 1;
}

static char *sink_take(struct sink *s, size_t *len, bool *truncated)
{
	char *d = s->data ? s->data : calloc(1, 1);
	if (d)
		d[s->len] = '\0';
	*len = d ? s->len : 0;
	*truncated = s->truncated;
	return d;
}

/* stdin for the helper: a memfd holding input (never a pipe the caller would have to feed
 * while reading its output), or -1 for /dev/null. */
static int input_fd(const char *input, size_t len)
{
	if (!input)
		return -1;
	int fd = memfd_create("spawn-input", MFD_CLOEXEC);
	if (fd < 0)
		return -2;
	size_t off = 0;
	while (off < len) {
		ssize_t n = write(fd, input + off, len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			int saved = errno;
			close(fd);
			errno = saved;
			return -2;
		}
		off += (size_t)n;
	}
	if (lseek(fd, 0, SEEK_SET) < 0) {
		int saved = errno;
		close(fd);
		errno = saved;
		return -2;
	}
	return fd;
}

int spawn_capture(const char *path, char *const argv[], int flags, size_t out_max, size_t err_max,
                  struct spawn_capture *cap)
{
	return spawn_capture_opts(path, argv, flags, out_max, err_max, NULL, cap);
}

int spawn_capture_opts(const char *path, char *const argv[], int flags, size_t out_max,
                       size_t err_max, const struct spawn_opts *opts, struct spawn_capture *cap)
{
	static const struct spawn_opts none = {0};
	const struct spawn_opts *o = opts ? opts : &none;
	memset(cap, 0, sizeof(*cap));
	int in = input_fd(o->input, o->input_len);
	if (in == -2)
		return -1;
	bool merged = flags & SPAWN_STDERR_TO_OUT;
	int out[2] = {-1, -1}, err[2] = {-1, -1};
	if (pipe2(out, O_CLOEXEC) < 0 || (!merged && pipe2(err, O_CLOEXEC) < 0)) {
		int saved = errno;
		if (out[0] >= 0) {
			close(out[0]);
			close(out[1]);
		}
		if (in >= 0)
			close(in);
		errno = saved;
		return -1;
	}
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	posix_spawn_file_actions_init(&fa);
	spawn_attr_init(&attr);
	/* The pipes first: one of them may be fd 0 in a process that closed its stdin. */
	posix_spawn_file_actions_adddup2(&fa, out[1], 1);
	posix_spawn_file_actions_adddup2(&fa, merged ? out[1] : err[1], 2);
	if (in >= 0)
		posix_spawn_file_actions_adddup2(&fa, in, 0);
	else
		posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addclosefrom_np(&fa, 3);
	pid_t pid;
	char *const *envp = o->envp ? o->envp : environ;
	int rc = (flags & SPAWN_SEARCH_PATH) ? posix_spawnp(&pid, path, &fa, &attr, argv, envp)
	                                     : posix_spawn(&pid, path, &fa, &attr, argv, envp);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	if (in >= 0)
		close(in);
	close(out[1]);
	if (!merged)
		close(err[1]);
	if (rc != 0) {
		close(out[0]);
		if (!merged)
			close(err[0]);
		errno = rc;
		return -1;
	}
	struct sink so = {.max = out_max}, se = {.max = err_max};
	struct pollfd p[2] = {{.fd = out[0], .events = POLLIN}, {.fd = err[0], .events = POLLIN}};
	int open_fds = merged ? 1 : 2;
	int64_t deadline = o->timeout_ms > 0 ? now_ms() + o->timeout_ms : -1;
	while (open_fds > 0) {
		int wait = -1;
		if (deadline >= 0) {
			int64_t left = deadline - now_ms();
			if (left <= 0) {
				/* Killed; what it (or a child holding the pipes) wrote so far is
				 * kept. */
				kill(pid, SIGKILL);
				cap->timed_out = true;
				break;
			}
			wait = left > 1000 ? 1000 : (int)left;
		}
		int pr = poll(p, 2, wait);
		if (pr < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (int i = 0; i < 2; i++) {
			if (p[i].fd < 0 || !(p[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			if (sink_read(p[i].fd, i == 0 ? &so : &se) <= 0) {
				close(p[i].fd);
				p[i].fd = -1;
				open_fds--;
			}
		}
	}
	for (int i = 0; i < 2; i++) {
		if (p[i].fd >= 0)
			close(p[i].fd);
	}
	int status = 0;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	cap->status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	cap->out = sink_take(&so, &cap->out_len, &cap->out_truncated);
	cap->err = sink_take(&se, &cap->err_len, &cap->err_truncated);
	if (!cap->out || !cap->err) {
		spawn_capture_free(cap);
		errno = ENOMEM;
		return -1;
	}
	return 0;
}

void spawn_capture_free(struct spawn_capture *cap)
{
	free(cap->out);
	free(cap->err);
	cap->out = cap->err = NULL;
}

void proc_restore_nofile(void)
{
	const char *v = getenv(NOFILE_ENV);
	char *end = NULL;
	unsigned long long soft = v ? strtoull(v, &end, 10) : 0;
	struct rlimit rl;
	if (v && end != v && !*end && getrlimit(RLIMIT_NOFILE, &rl) == 0 && soft < rl.rlim_cur) {
		rl.rlim_cur = (rlim_t)soft;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	unsetenv(NOFILE_ENV);
}
