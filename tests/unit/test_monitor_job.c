/* What a spare monitor's job is made of: the NUL-separated argument list (strv_join_nul,
 * strv_split_nul), the message with its descriptor (fd_pass) and the command line it then
 * shows (proc_title_set). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/fd_pass.h"
#include "core/fileutil.h"
#include "core/strv.h"
#include "host/proc_title.h"

static char **g_argv;

static void nul_list_round_trip(void **state)
{
	char *v[] = {"isulad-monitor", "start", "", "a b", NULL};
	size_t len = 0;
	char *joined = strv_join_nul(v, &len);
	assert_non_null(joined);
	assert_int_equal(len, sizeof("isulad-monitor\0start\0\0a b"));
	char **back = strv_split_nul(joined, len);
	assert_non_null(back);
	assert_int_equal(strv_len(back), 4);
	for (size_t i = 0; i < 4; i++)
		assert_string_equal(back[i], v[i]);
	strv_free(back);
	/* Not a list: empty, or the last string without its NUL. */
	assert_null(strv_split_nul(joined, 0));
	assert_null(strv_split_nul(joined, len - 1));
	assert_null(strv_split_nul(NULL, 3));
	free(joined);
	char *none[] = {NULL};
	assert_null(strv_join_nul(none, &len));
}

static void fd_pass_carries_a_descriptor(void **state)
{
	int sv[2];
	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv), 0);
	int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	struct stat sent, got;
	assert_int_equal(fstat(fd, &sent), 0);
	assert_int_equal(fd_pass_send(sv[0], "job", 4, &fd, 1), 0);
	char buf[16];
	int fds[FD_PASS_MAX];
	size_t n = 0;
	assert_int_equal(fd_pass_recv(sv[1], buf, sizeof(buf), fds, &n), 4);
	assert_string_equal(buf, "job");
	assert_int_equal(n, 1);
	assert_int_equal(fstat(fds[0], &got), 0);
	assert_int_equal(got.st_rdev, sent.st_rdev);
	assert_true(fcntl(fds[0], F_GETFD) & FD_CLOEXEC);
	close(fds[0]);
	/* A message longer than the buffer is refused, its descriptors closed. */
	assert_int_equal(fd_pass_send(sv[0], "0123456789abcdefXYZ", 20, &fd, 1), 0);
	assert_int_equal(fd_pass_recv(sv[1], buf, sizeof(buf), fds, &n), -1);
	assert_int_equal(errno, EMSGSIZE);
	assert_int_equal(n, 0);
	/* Bad calls, and EOF. */
	assert_int_equal(fd_pass_send(sv[0], "x", 0, NULL, 0), -1);
	assert_int_equal(fd_pass_send(sv[0], "x", 1, &fd, FD_PASS_MAX + 1), -1);
	close(sv[0]);
	assert_int_equal(fd_pass_recv(sv[1], buf, sizeof(buf), fds, &n), 0);
	close(sv[1]);
	close(fd);
}

/* The test's own command line becomes the job's, its strings joined by spaces; the
 * environment stays readable. */
static void proc_title_shows_the_job(void **state)
{
	const char job[] = "isulad-monitor\0start\0abc\0--\0sleep\0"
	                   "300";
	assert_int_equal(proc_title_set(job, sizeof(job), g_argv), 0);
	size_t len = 0;
	char *cmdline = read_file("/proc/self/cmdline", 4096, &len);
	assert_non_null(cmdline);
	assert_string_equal(cmdline, "isulad-monitor start abc -- sleep 300");
	free(cmdline);
	assert_non_null(getenv("PATH"));
	assert_null(getenv(PROC_TITLE_ROOM_VAR));
	assert_int_equal(proc_title_set("no-nul", 6, g_argv), -1);
	assert_int_equal(errno, EINVAL);
	/* A second title (a forked spare's standby title, then its job's) takes the same room:
	 * a longer one than the first fits, nothing of the first is left. */
	const char longer[] = "isulad-monitor\0start\0a-longer-name-than-before\0--\0sh";
	assert_int_equal(proc_title_set(longer, sizeof(longer), NULL), 0);
	cmdline = read_file("/proc/self/cmdline", 4096, &len);
	assert_non_null(cmdline);
	assert_string_equal(cmdline, "isulad-monitor start a-longer-name-than-before -- sh");
	free(cmdline);
	assert_int_equal(proc_title_set("a", 2, NULL), 0);
	cmdline = read_file("/proc/self/cmdline", 4096, &len);
	assert_non_null(cmdline);
	assert_string_equal(cmdline, "a");
	free(cmdline);
}

int main(int argc, char **argv)
{
	(void)argc;
	g_argv = argv;
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(nul_list_round_trip),
	    cmocka_unit_test(fd_pass_carries_a_descriptor),
	    cmocka_unit_test(proc_title_shows_the_job),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
