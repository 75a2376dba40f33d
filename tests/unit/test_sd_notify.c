/* sd_notify_send: the datagram systemd reads, to a path and to an abstract socket. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "core/sd_notify.h"

static int bind_dgram(const char *name)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	size_t len = strlen(name);
	memcpy(sa.sun_path, name, len);
	if (name[0] == '@')
		sa.sun_path[0] = '\0';
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa,
	                      (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len)),
	                 0);
	return fd;
}

static void expect_datagram(int fd, const char *want)
{
	char buf[256];
	ssize_t n = recv(fd, buf, sizeof(buf) - 1, MSG_DONTWAIT);
	assert_true(n >= 0);
	buf[n] = '\0';
	assert_string_equal(buf, want);
}

static void test_unset_is_not_an_error(void **state)
{
	assert_int_equal(sd_notify_send(NULL, "READY=1"), 0);
	assert_int_equal(sd_notify_send("", "READY=1"), 0);
	unsetenv("NOTIFY_SOCKET");
	assert_null(sd_notify_take_socket());
	setenv("NOTIFY_SOCKET", "", 1);
	assert_null(sd_notify_take_socket());
	assert_null(getenv("NOTIFY_SOCKET"));
	setenv("NOTIFY_SOCKET", "@x", 1);
	char *name = sd_notify_take_socket();
	assert_string_equal(name, "@x");
	assert_null(getenv("NOTIFY_SOCKET"));
	free(name);
}

static void test_path_socket(void **state)
{
	char dir[] = "/tmp/sdnotify.XXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[64];
	snprintf(path, sizeof(path), "%s/notify", dir);
	int fd = bind_dgram(path);
	assert_int_equal(sd_notify_send(path, "READY=1\nMAINPID=42"), 1);
	expect_datagram(fd, "READY=1\nMAINPID=42");
	close(fd);
	unlink(path);
	rmdir(dir);
}

static void test_abstract_socket(void **state)
{
	char name[64];
	snprintf(name, sizeof(name), "@isulad-test-notify-%d", (int)getpid());
	int fd = bind_dgram(name);
	assert_int_equal(sd_notify_send(name, "STOPPING=1"), 1);
	expect_datagram(fd, "STOPPING=1");
	close(fd);
}

static void test_bad_names(void **state)
{
	const char *bad[] = {"relative/path", "@", "/nonexistent-dir-for-test/notify"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(sd_notify_send(bad[i], "READY=1"), -1);
	}
	char longname[200];
	memset(longname, 'a', sizeof(longname) - 1);
	longname[0] = '/';
	longname[sizeof(longname) - 1] = '\0';
	assert_int_equal(sd_notify_send(longname, "READY=1"), -1);
	assert_int_equal(errno, EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_unset_is_not_an_error),
	    cmocka_unit_test(test_path_socket),
	    cmocka_unit_test(test_abstract_socket),
	    cmocka_unit_test(test_bad_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
