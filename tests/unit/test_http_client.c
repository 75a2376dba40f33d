#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/http_client.h"

/* A connection whose peer has already sent `wire` and closed. */
static struct http_conn *conn_with(const char *wire)
{
	int sv[2];
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	size_t n = strlen(wire);
	assert_int_equal(write(sv[1], wire, n), (ssize_t)n);
	close(sv[1]);
	struct http_conn *c = calloc(1, sizeof(*c));
	assert_non_null(c);
	c->fd = sv[0];
	return c;
}

static char *body_of(const char *wire, int *status)
{
	struct http_conn *c = conn_with(wire);
	char *body = NULL;
	if (http_read_head(c, false) == 0) {
		*status = c->status;
		if (http_read_body_all(c, &body, NULL) < 0)
			body = NULL;
	} else {
		*status = -1;
	}
	http_close(c);
	free(c);
	return body;
}

static void test_content_length(void **state)
{
	int status;
	char *b = body_of("HTTP/1.1 201 Created\r\nContent-Type: application/json\r\n"
	                  "Content-Length: 7\r\n\r\n{\"a\":1}trailing-garbage",
	                  &status);
	assert_int_equal(status, 201);
	assert_string_equal(b, "{\"a\":1}");
	free(b);
}

static void test_chunked(void **state)
{
	int status;
	char *b = body_of("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
	                  "5\r\nhello\r\n1;ext=1\r\n \r\nA\r\n0123456789\r\n0\r\nX-T: 1\r\n\r\n",
	                  &status);
	assert_int_equal(status, 200);
	assert_string_equal(b, "hello 0123456789");
	free(b);
}

static void test_no_body_statuses(void **state)
{
	int status;
	char *b = body_of("HTTP/1.1 204 No Content\r\nServer: x\r\n\r\n", &status);
	assert_int_equal(status, 204);
	assert_string_equal(b, "");
	free(b);
}

static void test_body_until_close(void **state)
{
	int status;
	char *b = body_of("HTTP/1.0 200 OK\r\n\r\nall of it", &status);
	assert_int_equal(status, 200);
	assert_string_equal(b, "all of it");
	free(b);
}

static void test_truncated_bodies_fail(void **state)
{
	int status;
	assert_null(body_of("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort", &status));
	assert_null(
	    body_of("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel", &status));
	assert_null(
	    body_of("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", &status));
}

static void test_malformed_heads_fail(void **state)
{
	int status;
	assert_null(body_of("SSH-2.0-OpenSSH\r\n\r\n", &status));
	assert_int_equal(status, -1);
	assert_null(body_of("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n", &status));
	assert_int_equal(status, -1);
	assert_null(body_of("", &status));
	assert_int_equal(status, -1);
}

static void test_url_escape(void **state)
{
	char *e = http_url_escape("a b/{\"status\":[\"exited\"]}~._-");
	assert_string_equal(e, "a%20b%2F%7B%22status%22%3A%5B%22exited%22%5D%7D~._-");
	free(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_content_length),
	    cmocka_unit_test(test_chunked),
	    cmocka_unit_test(test_no_body_statuses),
	    cmocka_unit_test(test_body_until_close),
	    cmocka_unit_test(test_truncated_bodies_fail),
	    cmocka_unit_test(test_malformed_heads_fail),
	    cmocka_unit_test(test_url_escape),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
