/* `isulad-monitor exec --tty`: the command gets a pty of the container's own devpts as its
 * controlling terminal, and the monitor copies between that pty and its own stdio (a pty the
 * daemon holds), window size included. liblxc's attach terminal does the same copy but turns
 * OPOST|ONLCR on for its peer, so every "\r\n" the container's pty made came out "\r\r\n";
 * here the peer is left as the daemon set it (raw) and bytes pass unchanged, as Docker's do. */
#include "exec_tty.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/fileutil.h"

#ifndef TIOCGPTPEER
#define TIOCGPTPEER _IO('T', 0x41)
#endif
#define DEVPTS_MAGIC 0x1cd1

/* The ptmx of the container's devpts, opened as a new pty master; -1 with a message. The
 * path is the container's to shape (a link, a device node of its making): only a ptmx
 * (char 5:2) on a devpts file system is opened for reading and writing. */
static int open_container_ptmx(pid_t init)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/root/dev/pts/ptmx", (int)init);
	int at = open(path, O_PATH | O_CLOEXEC);
	struct stat st;
	struct statfs sf;
	if (at < 0 || fstat(at, &st) < 0 || fstatfs(at, &sf) < 0 || !S_ISCHR(st.st_mode) ||
	    st.st_rdev != makedev(5, 2) || sf.f_type != DEVPTS_MAGIC) {
		fprintf(stderr, "the container has no devpts ptmx at /dev/pts/ptmx\n");
		if (at >= 0)
			close(at);
		return -1;
	}
	char self[64];
	snprintf(self, sizeof(self), "/proc/self/fd/%d", at);
	int master = open(self, O_RDWR | O_NOCTTY | O_CLOEXEC);
	close(at);
	if (master < 0 || unlockpt(master) < 0) {
		fprintf(stderr, "cannot open a pty in the container: %s\n", strerror(errno));
		if (master >= 0)
			close(master);
		return -1;
	}
	return master;
}

/* In the container, as the attached process: the pty on its stdio becomes its controlling
 * terminal, then the command runs. */
static int exec_on_tty(void *payload)
{
	char **argv = payload;
	setsid();
	ioctl(STDIN_FILENO, TIOCSCTTY, 0);
	execvp(argv[0], argv);
	int saved = errno;
	fprintf(stderr, "exec %s: %s\r\n", argv[0], strerror(saved));
	_exit(saved == ENOENT ? 127 : 126);
}

static void copy_winsize(int from, int to)
{
	struct winsize ws;
	if (ioctl(from, TIOCGWINSZ, &ws) == 0)
		ioctl(to, TIOCSWINSZ, &ws);
}

/* Input on its way to the container's pty: what a full pty did not take yet. */
struct pending {
	char buf[4096];
	size_t off, len;
};

/* Moves what is pending into master; false when master is gone. */
static bool flush_pending(int master, struct pending *p)
{
	while (p->off < p->len) {
		ssize_t n = write(master, p->buf + p->off, p->len - p->off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return true;
		if (n <= 0)
			return false;
		p->off += (size_t)n;
	}
	p->off = p->len = 0;
	return true;
}

/* Container output to stdout; false at its end (EIO once no slave is open) or when stdout
 * is gone. */
static bool copy_out(int master)
{
	char buf[16384];
	ssize_t n = read(master, buf, sizeof(buf));
	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return true;
	return n > 0 && fd_write_all(STDOUT_FILENO, buf, (size_t)n) == 0;
}

/* Copies until the command has exited and its output is read; its wait status. */
static int relay(int master, pid_t pid, int pidfd, int sigfd)
{
	struct pending in = {.len = 0};
	bool in_open = true, exited = false;
	int status = 0;
	while (!exited) {
		struct pollfd p[4] = {
		    {.fd = in_open && in.len == 0 ? STDIN_FILENO : -1, .events = POLLIN},
		    {.fd = master, .events = POLLIN | (in.len ? POLLOUT : 0)},
		    {.fd = pidfd, .events = POLLIN},
		    {.fd = sigfd, .events = POLLIN},
		};
		if (poll(p, 4, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (p[3].revents) {
			struct signalfd_siginfo si;
			while (read(sigfd, &si, sizeof(si)) == (ssize_t)sizeof(si))
				;
			copy_winsize(STDIN_FILENO, master);
		}
		if (p[0].revents) {
			ssize_t n = read(STDIN_FILENO, in.buf, sizeof(in.buf));
			if (n > 0)
				in.len = (size_t)n;
			else if (n == 0 || (errno != EINTR && errno != EAGAIN))
				in_open = false;
		}
		if (in.len && !flush_pending(master, &in))
			in.len = in.off = 0;
		if ((p[1].revents & (POLLIN | POLLHUP | POLLERR)) && !copy_out(master))
			break;
		if (p[2].revents)
			exited = true;
	}
	if (waitpid(pid, &status, 0) < 0)
		return -1;
	/* What the command wrote before it exited; a process it left behind with the pty
	 * open does not keep the exec going (Docker's behaviour). */
	while (copy_out(master)) {
		struct pollfd p = {.fd = master, .events = POLLIN};
		if (poll(&p, 1, 0) <= 0)
			break;
	}
	return status;
}

int exec_tty_run(struct lxc_container *c, lxc_attach_options_t *opts, char **argv)
{
	int master = open_container_ptmx(c->init_pid(c));
	if (master < 0)
		return -1;
	int slave = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (slave < 0) {
		fprintf(stderr, "cannot open the container's pty: %s\n", strerror(errno));
		close(master);
		return -1;
	}
	/* Its owner may open it again by name (ttyname, script); the ids are the container's
	 * own only without a user namespace. */
	char idmap[16];
	if (opts->uid != (uid_t)-1 && opts->uid != 0 &&
	    c->get_config_item(c, "lxc.idmap", idmap, sizeof(idmap)) <= 0)
		fchown(slave, opts->uid, (gid_t)-1);
	copy_winsize(STDIN_FILENO, master);
	/* Resizes of the daemon's pty arrive as SIGWINCH: this process leads its session. */
	sigset_t mask;
	sigemptyset(&mask);
	sigaddset(&mask, SIGWINCH);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	int sigfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
	opts->stdin_fd = opts->stdout_fd = opts->stderr_fd = slave;
	pid_t pid = -1;
	int ret = c->attach(c, exec_on_tty, argv, opts, &pid);
	close(slave);
	int status = -1;
	int pidfd = ret == 0 ? (int)syscall(SYS_pidfd_open, pid, 0) : -1;
	if (ret == 0 && pidfd >= 0 && sigfd >= 0) {
		fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK);
		status = relay(master, pid, pidfd, sigfd);
	} else if (ret == 0) {
		fprintf(stderr, "cannot follow the command: %s\n", strerror(errno));
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	} else {
		fprintf(stderr, "cannot attach to the container\n");
	}
	if (pidfd >= 0)
		close(pidfd);
	if (sigfd >= 0)
		close(sigfd);
	close(master);
	return status;
}
