/* authz-broker: answers iSulad's /isulad.auth and the Docker AuthZ plugin protocol from a
 * policy file, reloaded on SIGHUP and whenever the file changes. */
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "broker_http.h"
#include "core/fileutil.h"
#include "core/log.h"
#include "core/pidfile.h"
#include "policy.h"

#define DEFAULT_POLICY_FILE "/var/lib/authz-broker/policy.json"
#define DEFAULT_SOCKET "/run/isulad/plugins/authz-broker.sock"
#define DEFAULT_PID_FILE "/run/authz.pid"

struct opts {
	const char *policy_file;
	const char *socket;
	const char *pid_file;
	const char *log_file;
	bool debug;
};

static void usage(FILE *out)
{
	fprintf(
	    out,
	    "Usage: authz-broker [OPTIONS]\n\n"
	    "Authorization plugin for isulad: POST /isulad.auth (\"user:action\") and the Docker\n"
	    "AuthZ plugin endpoints, decided by the policy file.\n\n"
	    "Options:\n"
	    "  --policy-file FILE  policies, one JSON object a line (default %s,\n"
	    "                      or $AUTHZ_POLICY_FILE)\n"
	    "  --socket PATH       unix socket to serve on (default %s)\n"
	    "  --pid-file FILE     pid file (default %s)\n"
	    "  --log FILE          log decisions and errors to FILE (default stderr)\n"
	    "  --debug             debug logging (or $DEBUG=1)\n"
	    "  --help              this text\n",
	    DEFAULT_POLICY_FILE, DEFAULT_SOCKET, DEFAULT_PID_FILE);
}

static int parse_opts(int argc, char **argv, struct opts *o)
{
	static const struct option longs[] = {
	    {"policy-file", required_argument, NULL, 'p'},
	    {"socket", required_argument, NULL, 's'},
	    {"pid-file", required_argument, NULL, 'P'},
	    {"log", required_argument, NULL, 'l'},
	    {"debug", no_argument, NULL, 'd'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	const char *env = getenv("AUTHZ_POLICY_FILE");
	const char *dbg = getenv("DEBUG");
	*o = (struct opts){
	    .policy_file = env && *env ? env : DEFAULT_POLICY_FILE,
	    .socket = DEFAULT_SOCKET,
	    .pid_file = DEFAULT_PID_FILE,
	    .debug = dbg && (strcmp(dbg, "1") == 0 || strcmp(dbg, "true") == 0),
	};
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, "", longs, NULL)) != -1) {
		switch (c) {
		case 'p':
			o->policy_file = optarg;
			break;
		case 's':
			o->socket = optarg;
			break;
		case 'P':
			o->pid_file = optarg;
			break;
		case 'l':
			o->log_file = optarg;
			break;
		case 'd':
			o->debug = true;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			fprintf(stderr, "authz-broker: unknown flag or missing value: %s\n",
			        argv[optind - 1]);
			usage(stderr);
			return -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "authz-broker: unexpected argument: %s (it takes only flags)\n",
		        argv[optind]);
		return -1;
	}
	if (!*o->policy_file || !*o->socket || !*o->pid_file) {
		fprintf(stderr, "authz-broker: --policy-file, --socket and --pid-file must not be "
		                "empty\n");
		return -1;
	}
	return 0;
}

static void log_policy_problem(void *ctx, const char *msg)
{
	LOG_WARN("%s: %s", (const char *)ctx, msg);
}

/* (Re)loads the policies; on failure the previous ones stay in force. */
static int load_policies(const char *path, const char *why)
{
	char err[512];
	struct policy_set *set =
	    policy_set_load(path, log_policy_problem, (void *)path, err, sizeof(err));
	if (!set) {
		LOG_ERROR("%s: %s; the previous policies stay in force", why, err);
		return -1;
	}
	LOG_INFO("%s: %zu policies from %s", why, policy_set_count(set), path);
	broker_set_policies(set);
	return 0;
}

/* The socket's directory (0750), any stale socket replaced, the socket 0660. */
static int listen_unix(const char *path)
{
	struct sockaddr_un addr = {.sun_family = AF_UNIX};
	if (strlen(path) >= sizeof(addr.sun_path)) {
		LOG_ERROR("socket path %s is longer than %zu bytes", path,
		          sizeof(addr.sun_path) - 1);
		return -1;
	}
	char *dup = strdup(path);
	if (!dup)
		return -1;
	int ret = mkdir_p(dirname(dup), 0750);
	free(dup);
	if (ret < 0) {
		LOG_ERROR("cannot create the directory of %s: %s", path, strerror(errno));
		return -1;
	}
	struct stat st;
	if (lstat(path, &st) == 0 && !S_ISSOCK(st.st_mode)) {
		LOG_ERROR("%s exists and is not a socket: not replacing it", path);
		return -1;
	}
	strcpy(addr.sun_path, path);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -1;
	unlink(path); /* stale: the pid file lock says no other broker owns it */
	mode_t old = umask(0117);
	ret = bind(fd, (struct sockaddr *)&addr, sizeof(addr));
	umask(old);
	if (ret < 0 || chmod(path, 0660) < 0 || listen(fd, SOMAXCONN) < 0) {
		LOG_ERROR("cannot listen on %s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

/* A watch on the policy file's directory, so that an editor's write-and-rename is seen. */
static int watch_policy_dir(const char *path)
{
	int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (fd < 0)
		return -1;
	char *dup = strdup(path);
	if (!dup || inotify_add_watch(fd, dirname(dup),
	                              IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_DELETE |
	                                  IN_MOVED_FROM) < 0) {
		LOG_WARN("cannot watch the directory of %s (%s): reload with SIGHUP", path,
		         strerror(errno));
		free(dup);
		close(fd);
		return -1;
	}
	free(dup);
	return fd;
}

/* Whether the pending events name the policy file. Drains them. */
static bool policy_file_changed(int fd, const char *base)
{
	char buf[8192] __attribute__((aligned(__alignof__(struct inotify_event))));
	bool changed = false;
	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));
		if (n <= 0)
			return changed;
		for (char *p = buf; p < buf + n;) {
			struct inotify_event *ev = (struct inotify_event *)p;
			/* IN_CREATE alone is an empty new file: wait for its IN_CLOSE_WRITE. */
			if (ev->len && strcmp(ev->name, base) == 0 && !(ev->mask == IN_CREATE))
				changed = true;
			p += sizeof(*ev) + ev->len;
		}
	}
}

static void raise_fd_limit(void)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

static int serve_until_signal(const struct opts *o, int sfd)
{
	char *dup = strdup(o->policy_file);
	if (!dup)
		return -1;
	const char *base = basename(dup);
	int ifd = watch_policy_dir(o->policy_file);
	for (;;) {
		struct pollfd p[2] = {{.fd = sfd, .events = POLLIN}, {.fd = ifd, .events = POLLIN}};
		if (poll(p, ifd >= 0 ? 2 : 1, -1) < 0) {
			if (errno == EINTR)
				continue;
			LOG_ERROR("poll: %s", strerror(errno));
			break;
		}
		if (ifd >= 0 && (p[1].revents & POLLIN) && policy_file_changed(ifd, base))
			load_policies(o->policy_file, "policy file changed");
		if (!(p[0].revents & POLLIN))
			continue;
		struct signalfd_siginfo si;
		if (read(sfd, &si, sizeof(si)) != sizeof(si))
			continue;
		if (si.ssi_signo == SIGHUP) {
			load_policies(o->policy_file, "SIGHUP");
			continue;
		}
		LOG_INFO("signal %u: stopping", si.ssi_signo);
		break;
	}
	if (ifd >= 0)
		close(ifd);
	free(dup);
	return 0;
}

int main(int argc, char **argv)
{
	struct opts o;
	if (parse_opts(argc, argv, &o) < 0)
		return 2;
	if (o.log_file) {
		FILE *probe = fopen(o.log_file, "ae");
		if (!probe) {
			fprintf(stderr, "authz-broker: cannot open log file %s: %s\n", o.log_file,
			        strerror(errno));
			return 1;
		}
		fclose(probe);
	}
	log_init(o.debug ? LOG_LVL_DEBUG : LOG_LVL_INFO, o.log_file);
	signal(SIGPIPE, SIG_IGN);
	/* Blocked before any thread starts, so that only the signalfd sees them. */
	sigset_t mask;
	sigemptyset(&mask);
	sigaddset(&mask, SIGHUP);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	int sfd = signalfd(-1, &mask, SFD_CLOEXEC);
	char err[512];
	int pidfd = pidfile_lock(o.pid_file, "authz-broker", err, sizeof(err));
	if (pidfd < 0 || pidfile_write(pidfd) < 0) {
		LOG_ERROR("%s", pidfd < 0 ? err : "cannot write the pid file");
		if (o.log_file) /* else the log is stderr already */
			fprintf(stderr, "authz-broker: %s\n",
			        pidfd < 0 ? err : "cannot write the pid file");
		return 1;
	}
	if (sfd < 0 || load_policies(o.policy_file, "start") < 0) {
		if (o.log_file)
			fprintf(stderr, "authz-broker: cannot load the policies from %s (see %s)\n",
			        o.policy_file, o.log_file);
		unlink(o.pid_file);
		return 1;
	}
	raise_fd_limit();
	int lfd = listen_unix(o.socket);
	if (lfd < 0 || broker_http_start(lfd) < 0) {
		if (o.log_file)
			fprintf(stderr, "authz-broker: cannot serve on %s (see %s)\n", o.socket,
			        o.log_file);
		if (lfd >= 0) {
			close(lfd);
			unlink(o.socket);
		}
		broker_set_policies(NULL);
		unlink(o.pid_file);
		return 1;
	}
	LOG_INFO("serving on %s (policies: %s, pid %d)", o.socket, o.policy_file, (int)getpid());
	serve_until_signal(&o, sfd);
	broker_http_stop();
	unlink(o.socket);
	unlink(o.pid_file);
	close(pidfd);
	close(sfd);
	return 0;
}
