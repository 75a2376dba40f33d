#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "host/ns_exec.h"

struct seen {
	pid_t pid;
	char host[64];
};

static int look(void *arg, void *result)
{
	struct seen *s = result;
	s->pid = getpid();
	if (arg)
		sethostname(arg, strlen(arg));
	gethostname(s->host, sizeof(s->host) - 1);
	return 7;
}

static void runs_in_new_namespaces_and_returns_result(void **state)
{
	if (geteuid() != 0)
		skip();
	char before[64] = "";
	gethostname(before, sizeof(before) - 1);
	struct seen s = {0};
	char err[256] = "";
	/* pid 0: new empty namespaces; the PID one makes the callback its init. */
	int rc = ns_exec(0, CLONE_NEWUTS | CLONE_NEWPID, look, "ns-exec-test", &s, sizeof(s), err,
	                 sizeof(err));
	assert_int_equal(rc, 7);
	assert_int_equal(s.pid, 1);
	assert_string_equal(s.host, "ns-exec-test");
	char after[64] = "";
	gethostname(after, sizeof(after) - 1);
	assert_string_equal(after, before);
}

static void joins_a_process_namespaces(void **state)
{
	if (geteuid() != 0)
		skip();
	struct seen s = {0};
	char err[256] = "";
	/* Our own: the user namespace is left out (setns would refuse it). */
	struct ns_target t;
	assert_int_equal(ns_target_open(getpid(), CLONE_NEWUSER | CLONE_NEWUTS | CLONE_NEWNET, &t,
	                                err, sizeof(err)),
	                 0);
	assert_int_equal(ns_target_fd(&t, CLONE_NEWUSER), -1);
	assert_true(ns_target_fd(&t, CLONE_NEWNET) >= 0);
	assert_int_equal(ns_target_fd(&t, CLONE_NEWNS), -1);
	assert_int_equal(ns_target_run(&t, look, NULL, &s, sizeof(s), err, sizeof(err)), 7);
	assert_true(s.pid > 1 && s.pid != getpid());
	ns_target_close(&t);
}

static void refuses_a_missing_process(void **state)
{
	char err[256] = "";
	struct seen s = {0};
	assert_int_equal(
	    ns_exec(INT_MAX - 1, CLONE_NEWNET, look, NULL, &s, sizeof(s), err, sizeof(err)), -1);
	assert_int_equal(errno, ESRCH);
	assert_non_null(strstr(err, "no such process"));
}

static int hang(void *arg, void *result)
{
	/* Stands for a callback blocked on a hung filesystem of the container's. */
	for (;;)
		pause();
	return 0;
}

static int holds_fd(void *arg, void *result)
{
	int *fd = arg, *open_in_child = result;
	*open_in_child = fcntl(*fd, F_GETFD) >= 0;
	return 0;
}

static void a_hung_callback_is_killed_at_the_deadline(void **state)
{
	if (geteuid() != 0)
		skip();
	ns_exec_set_deadline_ms(300);
	char err[256] = "";
	int r = 0;
	assert_int_equal(ns_exec(0, CLONE_NEWUTS, hang, NULL, &r, sizeof(r), err, sizeof(err)), -1);
	assert_int_equal(errno, ETIMEDOUT);
	assert_non_null(strstr(err, "did not finish within 300 ms"));
	ns_exec_set_deadline_ms(0);
}

static void registered_fds_are_closed_in_the_child(void **state)
{
	if (geteuid() != 0)
		skip();
	int fd = dup(STDERR_FILENO);
	assert_true(fd >= 0);
	char err[256] = "";
	int open_in_child = -1;
	assert_int_equal(ns_exec(0, CLONE_NEWUTS, holds_fd, &fd, &open_in_child,
	                         sizeof(open_in_child), err, sizeof(err)),
	                 0);
	assert_int_equal(open_in_child, 1);
	assert_int_equal(ns_exec_close_in_children(fd), 0);
	assert_int_equal(ns_exec(0, CLONE_NEWUTS, holds_fd, &fd, &open_in_child,
	                         sizeof(open_in_child), err, sizeof(err)),
	                 0);
	assert_int_equal(open_in_child, 0);
	ns_exec_forget_fd(fd);
	assert_true(fcntl(fd, F_GETFD) >= 0); /* the caller's own stays open */
	close(fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(runs_in_new_namespaces_and_returns_result),
	    cmocka_unit_test(joins_a_process_namespaces),
	    cmocka_unit_test(refuses_a_missing_process),
	    cmocka_unit_test(a_hung_callback_is_killed_at_the_deadline),
	    cmocka_unit_test(registered_fds_are_closed_in_the_child),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
