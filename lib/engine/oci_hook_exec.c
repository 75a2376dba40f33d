#include "engine/oci_hook_exec.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/fileutil.h"
#include "core/json.h"
#include "core/strv.h"

extern char **environ;

/* How much of a failing hook's stderr its error message carries (the end of it). */
#define STDERR_KEEP 512

char *oci_state_json(const char *id, const char *status, pid_t pid, const char *bundle,
                     yajl_val annotations)
{
	yajl_gen g = yajl_gen_alloc(NULL);
	if (!g)
		return NULL;
	yajl_gen_map_open(g);
	jg_kstr(g, "ociVersion", OCI_VERSION);
	jg_kstr(g, "id", id);
	jg_kstr(g, "status", status);
	if (pid > 0)
		jg_kint(g, "pid", pid);
	jg_kstr(g, "bundle", bundle);
	jg_key(g, "annotations");
	if (annotations && YAJL_IS_OBJECT(annotations)) {
		jg_value(g, annotations);
	} else {
		yajl_gen_map_open(g);
		yajl_gen_map_close(g);
	}
	yajl_gen_map_close(g);
	return jg_finish(g, NULL);
}

/* The hook's environment: its own (or, when it gives none, ours), with extra_env set. */
static char **hook_env(const struct oci_hook *h, char *const *extra_env)
{
	char **env = strv_dup(h->env ? h->env : environ);
	for (size_t i = 0; env && extra_env && extra_env[i]; i++) {
		const char *eq = strchr(extra_env[i], '=');
		int at = eq ? strv_find_env(env, extra_env[i], (size_t)(eq - extra_env[i])) : -1;
		if (at >= 0) {
			char *copy = strdup(extra_env[i]);
			if (!copy)
				goto fail;
			free(env[at]);
			env[at] = copy;
		} else if (strv_push(&env, extra_env[i]) < 0) {
			goto fail;
		}
	}
	return env;
fail:
	strv_free(env);
	return NULL;
}

/* A memory file holding the state: the hook reads it at its own pace, never blocking us. */
static int state_fd(const char *state)
{
	int fd = memfd_create("oci-state", MFD_CLOEXEC);
	if (fd < 0)
		return -1;
	if (fd_write_all(fd, state, strlen(state)) < 0 || lseek(fd, 0, SEEK_SET) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* In the child: only async-signal-safe calls. fd 3 reports an exec failure (errno). */
static void __attribute__((noreturn))
child_exec(const char *path, char **argv, char **envp, int in, int out, int errw, int report)
{
	setpgid(0, 0);
	struct sigaction dfl = {.sa_handler = SIG_DFL};
	for (int sig = 1; sig < NSIG; sig++)
		sigaction(sig, &dfl, NULL);
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if (dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(errw, 2) < 0 || dup2(report, 3) < 0)
		_exit(127);
	fcntl(3, F_SETFD, FD_CLOEXEC);
	syscall(SYS_close_range, 4U, ~0U, 0U);
	execve(path, argv, envp);
	int e = errno;
	if (write(3, &e, sizeof(e)) < 0)
		_exit(127);
	_exit(127);
}

/* Appends what the hook wrote to stderr, keeping the last STDERR_KEEP bytes. */
static void keep_stderr(int fd, char *buf, size_t *len)
{
	char chunk[4096];
	ssize_t n;
	while ((n = read(fd, chunk, sizeof(chunk))) > 0) {
		size_t add = (size_t)n > STDERR_KEEP ? STDERR_KEEP : (size_t)n;
		const char *from = chunk + n - add;
		if (*len + add > STDERR_KEEP) {
			size_t drop = *len + add - STDERR_KEEP;
			memmove(buf, buf + drop, *len - drop);
			*len -= drop;
		}
		memcpy(buf + *len, from, add);
		*len += add;
	}
}

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Waits for the hook to end (or limit_ms, then kills its process group), collecting its
 * stderr meanwhile. Returns the wait status; *timed_out says it was killed for its time. */
static int wait_hook(pid_t pid, int errr, int64_t limit_ms, char *errbuf, size_t *errlen,
                     bool *timed_out)
{
	int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	int64_t deadline = limit_ms > 0 ? now_ms() + limit_ms : -1;
	*timed_out = false;
	while (pidfd >= 0) {
		struct pollfd p[2] = {{.fd = pidfd, .events = POLLIN},
		                      {.fd = errr, .events = POLLIN}};
		int wait_ms = deadline < 0 ? -1 : (int)(deadline - now_ms());
		if (deadline >= 0 && wait_ms <= 0) {
			*timed_out = true;
			break;
		}
		int n = poll(p, errr >= 0 ? 2 : 1, wait_ms);
		if (n < 0 && errno != EINTR)
			break;
		if (n > 0 && p[1].revents)
			keep_stderr(errr, errbuf, errlen);
		if (n > 0 && (p[1].revents & POLLHUP))
			errr = -1; /* every writer has gone; only the exit is left to wait for */
		if (n > 0 && p[0].revents)
			break;
	}
	if (*timed_out) {
		kill(-pid, SIGKILL);
		kill(pid, SIGKILL);
	}
	if (pidfd >= 0)
		close(pidfd);
	int status = 0;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (errr >= 0)
		keep_stderr(errr, errbuf, errlen);
	return status;
}

/* "exit status 1: <its stderr>" and the like. */
static void describe_end(int status, bool timed_out, bool own_timeout, int64_t limit_ms,
                         int exec_errno, const char *stderr_text, char *err, size_t errlen)
{
	char what[160];
	if (exec_errno)
		snprintf(what, sizeof(what), "cannot be executed: %s", strerror(exec_errno));
	else if (timed_out && own_timeout)
		snprintf(what, sizeof(what), "killed after its timeout of %lld s",
		         (long long)(limit_ms / 1000));
	else if (timed_out)
		snprintf(what, sizeof(what),
		         "killed when the time left to the start ran out (%lld ms)",
		         (long long)limit_ms);
	else if (WIFSIGNALED(status))
		snprintf(what, sizeof(what), "killed by signal %d", WTERMSIG(status));
	else
		snprintf(what, sizeof(what), "exit status %d", WEXITSTATUS(status));
	if (stderr_text[0])
		snprintf(err, errlen, "%s: %s", what, stderr_text);
	else
		snprintf(err, errlen, "%s", what);
}

int oci_hook_exec(const struct oci_hook *h, const char *state, char *const *extra_env,
                  int64_t limit_ms, char *err, size_t errlen)
{
	bool own_timeout =
	    h->timeout > 0 && (limit_ms <= 0 || (int64_t)h->timeout * 1000 <= limit_ms);
	if (own_timeout)
		limit_ms = (int64_t)h->timeout * 1000;
	char **argv = NULL;
	if (h->args && h->args[0])
		argv = strv_dup(h->args);
	else
		strv_push(&argv, h->path);
	char **envp = hook_env(h, extra_env);
	int in = state_fd(state);
	int out = open("/dev/null", O_WRONLY | O_CLOEXEC);
	int errp[2] = {-1, -1}, rep[2] = {-1, -1};
	int ret = -1;
	if (!argv || !envp || in < 0 || out < 0 || pipe2(errp, O_CLOEXEC | O_NONBLOCK) < 0 ||
	    pipe2(rep, O_CLOEXEC) < 0) {
		snprintf(err, errlen, "cannot prepare to run it: %s", strerror(errno));
		goto out;
	}
	pid_t pid = fork();
	if (pid < 0) {
		snprintf(err, errlen, "cannot fork: %s", strerror(errno));
		goto out;
	}
	if (pid == 0)
		child_exec(h->path, argv, envp, in, out, errp[1], rep[1]);
	setpgid(pid, pid); /* also done by the child: whichever runs first */
	close(errp[1]);
	close(rep[1]);
	errp[1] = rep[1] = -1;
	char errbuf[STDERR_KEEP + 1];
	size_t errbuf_len = 0;
	bool timed_out;
	int status = wait_hook(pid, errp[0], limit_ms, errbuf, &errbuf_len, &timed_out);
	int exec_errno = 0;
	if (read(rep[0], &exec_errno, sizeof(exec_errno)) != (ssize_t)sizeof(exec_errno))
		exec_errno = 0;
	errbuf[errbuf_len] = '\0';
	/* The kept tail may start inside a character: drop its continuation bytes (the rest of
	 * any invalid text becomes U+FFFD when it is stored). */
	size_t skip = 0;
	while (skip < 3 && skip < errbuf_len && ((unsigned char)errbuf[skip] & 0xc0) == 0x80)
		skip++;
	memmove(errbuf, errbuf + skip, errbuf_len - skip + 1);
	errbuf_len -= skip;
	for (char *p = errbuf; *p; p++) {
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	}
	while (errbuf_len > 0 && errbuf[errbuf_len - 1] == ' ')
		errbuf[--errbuf_len] = '\0';
	if (!exec_errno && !timed_out && WIFEXITED(status) && WEXITSTATUS(status) == 0)
		ret = 0;
	else
		describe_end(status, timed_out, own_timeout, limit_ms, exec_errno, errbuf, err,
		             errlen);
out:;
	int fds[] = {in, out, errp[0], errp[1], rep[0], rep[1]};
	for (size_t i = 0; i < sizeof(fds) / sizeof(fds[0]); i++) {
		if (fds[i] >= 0)
			close(fds[i]);
	}
	strv_free(argv);
	strv_free(envp);
	return ret;
}

int oci_hooks_run_stage(const struct oci_hooks *h, enum oci_hook_stage stage, const char *state,
                        char *const *extra_env, int64_t budget_ms, char *err, size_t errlen)
{
	const struct oci_hook_list *l = &h->stage[stage];
	int64_t end = budget_ms > 0 ? now_ms() + budget_ms : 0;
	size_t used = 0;
	int ret = 0;
	if (errlen)
		err[0] = '\0';
	for (size_t i = 0; i < l->n; i++) {
		char why[1024];
		int64_t left = end ? end - now_ms() : 0;
		if (end && left < 1)
			left = 1;
		if (oci_hook_exec(&l->v[i], state, extra_env, left, why, sizeof(why)) == 0)
			continue;
		ret = -1;
		if (used < errlen) {
			int n = snprintf(err + used, errlen - used, "%s%s hook \"%s\" failed: %s",
			                 used ? "; " : "", oci_hook_stage_name(stage), l->v[i].path,
			                 why);
			used += n > 0 ? (size_t)n : 0;
		}
		if (stage == OCI_HOOK_PRESTART)
			break;
	}
	return ret;
}

/* The container id: the bundle directory's name. */
static char *bundle_id(const char *bundle)
{
	size_t len = strlen(bundle);
	while (len > 1 && bundle[len - 1] == '/')
		len--;
	size_t start = len;
	while (start > 0 && bundle[start - 1] != '/')
		start--;
	return strndup(bundle + start, len - start);
}

int oci_bundle_spec(const char *bundle, yajl_val *spec, char *err, size_t errlen)
{
	char *path = path_join(bundle, OCI_SPEC_FILE);
	char *text = path ? read_file(path, 64 << 20, NULL) : NULL;
	char why[512] = "";
	int ret = 0;
	*spec = NULL;
	if (!text && errno == ENOENT) {
		ret = -ENOENT;
	} else if (!text) {
		snprintf(err, errlen, "cannot read %s: %s", path ? path : bundle, strerror(errno));
		ret = -1;
	} else if (!(*spec = json_parse(text, why, sizeof(why)))) {
		snprintf(err, errlen, "cannot parse %s: %s", path, why);
		ret = -1;
	}
	free(text);
	free(path);
	return ret;
}

int oci_hooks_run_bundle(const char *bundle, enum oci_hook_stage stage, const char *status,
                         pid_t pid, char *const *extra_env, int64_t budget_ms, char *err,
                         size_t errlen)
{
	yajl_val spec;
	int ret = oci_bundle_spec(bundle, &spec, err, errlen);
	if (ret == -ENOENT)
		snprintf(err, errlen, "the bundle %s has no %s", bundle, OCI_SPEC_FILE);
	if (ret < 0)
		return -1;
	struct oci_hooks hooks;
	char why[512];
	char *id = bundle_id(bundle);
	char *state = NULL;
	ret = -1;
	if (oci_hooks_parse(json_get(spec, "hooks"), &hooks, why, sizeof(why)) < 0) {
		if (!json_get(spec, "hooks"))
			ret = 0; /* no hooks at all */
		else
			snprintf(err, errlen, "invalid hooks in the bundle %s: %s", bundle, why);
	} else {
		state = id ? oci_state_json(id, status, pid, bundle, json_get(spec, "annotations"))
		           : NULL;
		if (state)
			ret = oci_hooks_run_stage(&hooks, stage, state, extra_env, budget_ms, err,
			                          errlen);
		else
			snprintf(err, errlen, "out of memory");
		oci_hooks_free(&hooks);
	}
	yajl_tree_free(spec);
	free(state);
	free(id);
	return ret;
}
