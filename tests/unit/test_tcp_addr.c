/* tcp:// hosts (lib/core/tcp_addr) and the daemon's TLS settings (daemon_config). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/tcp_addr.h"
#include "engine/daemon/daemon_config.h"

static void test_tcp_addr_valid(void **state)
{
	struct sockaddr_storage ss;
	socklen_t len = 0;
	assert_int_equal(tcp_addr_parse("tcp://127.0.0.1:2375", &ss, &len), 0);
	assert_int_equal(ss.ss_family, AF_INET);
	assert_int_equal(ntohs(((struct sockaddr_in *)&ss)->sin_port), 2375);
	assert_int_equal(len, sizeof(struct sockaddr_in));
	assert_int_equal(tcp_addr_parse("tcp://0.0.0.0:0", &ss, &len), 0);
	assert_int_equal(tcp_addr_parse("tcp://localhost:5678", &ss, &len), 0);
	assert_int_equal(((struct sockaddr_in *)&ss)->sin_addr.s_addr, htonl(INADDR_LOOPBACK));
	assert_int_equal(tcp_addr_parse("tcp://[::1]:65535", &ss, &len), 0);
	assert_int_equal(ss.ss_family, AF_INET6);
	assert_int_equal(tcp_addr_parse("10.0.0.1:1", NULL, NULL), 0); /* ISULAD_HOST */
}

static void test_tcp_addr_invalid(void **state)
{
	const char *bad[] = {"tcp://",
	                     "tcp://127.0.0.1",
	                     "tcp://127.0.0.1:",
	                     "tcp://1.2.3:5",
	                     "tcp://1.2.3.4:65536",
	                     "tcp://1.2.3.4:-1",
	                     "tcp://1.2.3.4:1x",
	                     "tcp://::1:5",
	                     "tcp://[::1]5",
	                     "tcp://example.com:80",
	                     "tcp://[1.2.3.4]:5",
	                     "tcp://:80",
	                     "tcp://1.2.3.4:000001"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (tcp_addr_parse(bad[i], NULL, NULL) == 0)
			fail_msg("accepted %s", bad[i]);
	}
}

static void test_tcp_addr_is_tcp(void **state)
{
	assert_true(tcp_addr_is_tcp("tcp://1.2.3.4:5", false));
	assert_false(tcp_addr_is_tcp("1.2.3.4:5", false));
	assert_true(tcp_addr_is_tcp("1.2.3.4:5", true));
	assert_false(tcp_addr_is_tcp("unix:///run/x.sock", true));
	assert_false(tcp_addr_is_tcp("/run/x:y.sock", true));
}

static int load(const char *json, char **argv_extra, int nextra, struct daemon_config *cfg,
                char *err, size_t errlen)
{
	char path[] = "/tmp/test_tcp_addr_XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, json, strlen(json)), (ssize_t)strlen(json));
	close(fd);
	char *argv[16] = {"isulad", "--config-file", path};
	int argc = 3;
	for (int i = 0; i < nextra; i++)
		argv[argc++] = argv_extra[i];
	int ret = daemon_config_load(argc, argv, cfg, err, errlen);
	unlink(path);
	return ret;
}

static void test_config_tls(void **state)
{
	struct daemon_config cfg;
	char err[1024] = "";
	char *tcp[] = {"-H", "tcp://127.0.0.1:2376"};
	/* Both spellings of tlsverify; tlsverify implies tls; tls-config fills the files. */
	assert_int_equal(load("{\"tls-verify\": true, \"tls-config\": {\"CAFile\": \"/a\", "
	                      "\"CertFile\": \"/b\", \"KeyFile\": \"\"}}",
	                      tcp, 2, &cfg, err, sizeof(err)),
	                 0);
	assert_true(cfg.tls && cfg.tls_verify);
	assert_string_equal(cfg.tls_ca, "/a");
	assert_string_equal(cfg.tls_cert, "/b");
	assert_string_equal(cfg.tls_key, DEFAULT_TLS_KEY);
	daemon_config_free(&cfg);
	assert_int_equal(load("{\"tlsverify\": true}", tcp, 2, &cfg, err, sizeof(err)), 0);
	assert_true(cfg.tls_verify);
	daemon_config_free(&cfg);
	/* The flags win over the file. */
	char *flags[] = {"-H", "tcp://127.0.0.1:2376", "--tlscert", "/f"};
	assert_int_equal(load("{\"tls\": true, \"tls-config\": {\"CertFile\": \"/b\"}}", flags, 4,
	                      &cfg, err, sizeof(err)),
	                 0);
	assert_string_equal(cfg.tls_cert, "/f");
	daemon_config_free(&cfg);
	/* tcp without TLS needs the opt-in. */
	assert_int_equal(load("{}", tcp, 2, &cfg, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "tcp://127.0.0.1:2376"));
	assert_non_null(strstr(err, "insecure-tcp"));
	daemon_config_free(&cfg);
	assert_int_equal(load("{\"insecure-tcp\": true}", tcp, 2, &cfg, err, sizeof(err)), 0);
	daemon_config_free(&cfg);
	assert_int_equal(
	    load("{\"tls-config\": {\"Cafile\": \"/a\"}}", NULL, 0, &cfg, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "tls-config.Cafile"));
	daemon_config_free(&cfg);
	/* authorization-plugin: only authz-broker, on the default socket unless told. */
	assert_int_equal(
	    load("{\"authorization-plugin\": \"opa\"}", NULL, 0, &cfg, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "Invalid authorization plugin 'opa'"));
	daemon_config_free(&cfg);
	assert_int_equal(
	    load("{\"authorization-plugin\": \"authz-broker\"}", NULL, 0, &cfg, err, sizeof(err)),
	    0);
	assert_true(cfg.authz);
	assert_string_equal(cfg.authz_socket, AUTHZ_DEFAULT_SOCKET);
	daemon_config_free(&cfg);
	assert_int_equal(load("{\"authorization-plugin\": \"\", \"authorization-plugin-socket\": "
	                      "\"/x.sock\"}",
	                      NULL, 0, &cfg, err, sizeof(err)),
	                 0);
	assert_false(cfg.authz);
	daemon_config_free(&cfg);
	assert_int_equal(load("{\"authorization-plugin\": \"authz-broker\", "
	                      "\"authorization-plugin-socket\": \"x.sock\"}",
	                      NULL, 0, &cfg, err, sizeof(err)),
	                 -1);
	assert_non_null(strstr(err, "authorization-plugin-socket"));
	daemon_config_free(&cfg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_tcp_addr_valid),
	    cmocka_unit_test(test_tcp_addr_invalid),
	    cmocka_unit_test(test_tcp_addr_is_tcp),
	    cmocka_unit_test(test_config_tls),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
