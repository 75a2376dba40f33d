#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "authz/broker_http.h"
#include "authz/policy.h"

/* The problems reported, one line each. */
static char g_warned[8192];

static void collect(void *ctx, const char *msg)
{
	size_t used = strlen(g_warned);
	snprintf(g_warned + used, sizeof(g_warned) - used, "%s\n", msg); /* the first ones kept */
}

static struct policy_set *parse(const char *text)
{
	g_warned[0] = '\0';
	struct policy_set *s = policy_set_parse(text, strlen(text), collect, NULL);
	assert_non_null(s);
	return s;
}

static enum authz_result decide(struct policy_set *s, const char *user, const char *action,
                                const char *method)
{
	struct authz_decision d;
	policy_decide(s, user, action, method, &d);
	return d.result;
}

/* The seed's examples (research tools.md §4.7). */
static const char *g_examples =
    "{\"name\":\"policy_3\",\"users\":[\"alice\",\"bob\"],\"actions\":[\"container_create\"]}\n"
    "{\"name\":\"policy_4\",\"users\":[\"service_account\"],"
    "\"actions\":[\"container_logs\",\"container_top\"]}\n"
    "\n"
    "{\"name\":\"policy_5\",\"users\":[\"carol\"],\"actions\":[\"container\"],\"readonly\":true}\n";

static void seed_examples(void **state)
{
	struct policy_set *s = parse(g_examples);
	assert_int_equal(policy_set_count(s), 3);
	assert_string_equal(g_warned, "");
	assert_int_equal(decide(s, "alice", "container_create", NULL), AUTHZ_ALLOW);
	assert_int_equal(decide(s, "bob", "container_create", NULL), AUTHZ_ALLOW);
	assert_int_equal(decide(s, "alice", "container_delete", NULL), AUTHZ_DENY);
	assert_int_equal(decide(s, "service_account", "container_top", NULL), AUTHZ_ALLOW);
	assert_int_equal(decide(s, "service_account", "container_create", NULL), AUTHZ_DENY);
	assert_int_equal(decide(s, "mallory", "container_list", NULL), AUTHZ_NO_POLICY);
	assert_int_equal(decide(s, "", "container_list", NULL), AUTHZ_NO_POLICY);
	/* readonly: unanchored "container" matches, but only GET/HEAD pass */
	assert_int_equal(decide(s, "carol", "container_list", "GET"), AUTHZ_ALLOW);
	assert_int_equal(decide(s, "carol", "container_archive_info", "HEAD"), AUTHZ_ALLOW);
	assert_int_equal(decide(s, "carol", "container_create", "POST"), AUTHZ_DENY);
	assert_int_equal(decide(s, "carol", "container_list", NULL), AUTHZ_DENY);
	assert_int_equal(decide(s, "carol", "image_list", "GET"), AUTHZ_DENY);
	struct authz_decision d;
	policy_decide(s, "alice", "container_delete", NULL, &d);
	assert_string_equal(d.policy, "policy_3");
	assert_string_equal(d.msg, "action 'container_delete' denied for user 'alice' by policy "
	                           "'policy_3'");
	policy_set_free(s);
}

static void wildcards_and_first_match(void **state)
{
	struct policy_set *s =
	    parse("{\"name\":\"a\",\"users\":[\"alice\"],\"actions\":[\"^image_\"]}\n"
	          "{\"name\":\"all\",\"users\":[\"\"],\"actions\":[\"\"]}\n"
	          "{\"name\":\"late\",\"users\":[\"bob\"],\"actions\":[\"\"]}\n");
	/* alice's first policy decides: no fall-through to the allow-all */
	assert_int_equal(decide(s, "alice", "image_list", NULL), AUTHZ_ALLOW);
	assert_int_equal(decide(s, "alice", "container_list", NULL), AUTHZ_DENY);
	assert_int_equal(decide(s, "anyone", "anything", NULL), AUTHZ_ALLOW);
	assert_int_equal(decide(s, "bob", "", NULL), AUTHZ_ALLOW);
	struct authz_decision d;
	policy_decide(s, "bob", "x", NULL, &d);
	assert_string_equal(d.policy, "all");
	policy_set_free(s);
	/* the default policy */
	s = parse("{\"name\":\"policy_root\",\"users\":[\"\"],\"actions\":[\"\"]}");
	assert_int_equal(decide(s, "root", "container_create", "POST"), AUTHZ_ALLOW);
	policy_set_free(s);
}

static void malformed_lines_ignored(void **state)
{
	struct policy_set *s = parse(
	    "not json\n"                                                                    /* 1 */
	    "[1,2]\n"                                                                       /* 2 */
	    "{\"users\":[\"alice\"],\"actions\":[\"\"]}\n"                                  /* 3 */
	    "{\"name\":\"n\",\"users\":\"alice\",\"actions\":[\"\"]}\n"                     /* 4 */
	    "{\"name\":\"n\",\"users\":[\"alice\"],\"actions\":[\"(\"]}\n"                  /* 5 */
	    "{\"name\":\"n\",\"users\":[\"alice\"],\"actions\":[1]}\n"                      /* 6 */
	    "{\"name\":\"n\",\"users\":[\"alice\"],\"actions\":[\"\"],\"readOnly\":true}\n" /* 7 */
	    "{\"name\":\"n\",\"users\":[\"alice\"],\"actions\":[\"\"],\"readonly\":1}\n"    /* 8 */
	    "{\"name\":\"n\",\"users\":[\"alice\"],\"actions\":[\"a{100}{100}\"]}\n"        /* 9 */
	    "{\"name\":\"\",\"users\":[\"alice\"],\"actions\":[\"\"]}\n"                    /* 10 */
	    "{}\n"                                                                          /* 11 */
	    "{\"name\":\"ok\",\"users\":[\"bob\"],\"actions\":[\"x\"]}\r\n");               /* 12 */
	assert_int_equal(policy_set_count(s), 1);
	for (int line = 1; line <= 11; line++) {
		char want[32];
		snprintf(want, sizeof(want), "line %d: ", line);
		assert_non_null(strstr(g_warned, want));
	}
	assert_null(strstr(g_warned, "line 12"));
	assert_non_null(
	    strstr(g_warned, "line 5: action pattern \"(\" is not a regular expression"));
	assert_non_null(strstr(g_warned, "unknown key \"readOnly\""));
	/* never an allow for the ignored lines' user */
	assert_int_equal(decide(s, "alice", "container_list", "GET"), AUTHZ_NO_POLICY);
	assert_int_equal(decide(s, "bob", "x", NULL), AUTHZ_ALLOW);
	policy_set_free(s);
	s = parse("{\"name\":\"n\",\"users\":[\"a\"],\"actions\":[\"x\"]}\0{\"name\"");
	assert_int_equal(policy_set_count(s), 1);
	policy_set_free(s);
	s = policy_set_parse("{\"name\":\"n\"\0,\"users\":[\"a\"],\"actions\":[\"\"]}", 40, collect,
	                     NULL);
	assert_int_equal(policy_set_count(s), 0);
	policy_set_free(s);
}

static void pattern_bounds(void **state)
{
	/* each '+' doubles in glibc's regcomp: ten of them exceed the bound */
	struct policy_set *s =
	    parse("{\"name\":\"a\",\"users\":[\"a\"],\"actions\":[\"x++++++++++\"]}\n"
	          "{\"name\":\"b\",\"users\":[\"b\"],\"actions\":[\"((x+)+)+[+]+\\\\+y{2,3}\"]}\n"
	          "{\"name\":\"c\",\"users\":[\"c\"],\"actions\":[\"[+++++++++++]\"]}\n");
	assert_int_equal(policy_set_count(s), 2);
	assert_non_null(
	    strstr(g_warned, "line 1: action pattern \"x++++++++++\" repeats too much"));
	assert_int_equal(decide(s, "b", "xx++yyy", NULL), AUTHZ_ALLOW);
	assert_int_equal(decide(s, "c", "+", NULL), AUTHZ_ALLOW);
	policy_set_free(s);
	/* the expanded size of all patterns together is bounded */
	size_t n = 6000, len = 0;
	char *text = malloc(n * 320);
	assert_non_null(text);
	for (size_t i = 0; i < n; i++)
		len += (size_t)sprintf(
		    text + len,
		    "{\"name\":\"p%zu\",\"users\":[\"u%zu\"],\"actions\":[\"%0200zu\"]}\n", i, i,
		    i);
	g_warned[0] = '\0';
	s = policy_set_parse(text, len, collect, NULL);
	assert_true(policy_set_count(s) > 4000 && policy_set_count(s) < n);
	assert_non_null(strstr(g_warned, "once expanded"));
	policy_set_free(s);
	free(text);
}

static void duplicate_user_warns(void **state)
{
	struct policy_set *s =
	    parse("{\"name\":\"p1\",\"users\":[\"alice\"],\"actions\":[\"a\"]}\n"
	          "{\"name\":\"p2\",\"users\":[\"bob\",\"alice\"],\"actions\":[\"\"]}\n");
	assert_int_equal(policy_set_count(s), 2);
	assert_non_null(strstr(g_warned, "line 2: [policy: p2] user \"alice\" already appears in "
	                                 "policy \"p1\" (line 1)"));
	assert_int_equal(decide(s, "alice", "b", NULL), AUTHZ_DENY);
	policy_set_free(s);
}

static void auth_body(void **state)
{
	char u[AUTH_BODY_MAX + 1], a[AUTH_BODY_MAX + 1];
	assert_int_equal(auth_body_split("alice:container_list", 20, u, a), 0);
	assert_string_equal(u, "alice");
	assert_string_equal(a, "container_list");
	assert_int_equal(auth_body_split("John Doe:x", 10, u, a), 0); /* a CN with a space */
	assert_string_equal(u, "John Doe");
	assert_int_equal(auth_body_split("alice", 5, u, a), -1);
	assert_int_equal(auth_body_split("a:b:c", 5, u, a), -1);
	assert_int_equal(auth_body_split(":b", 2, u, a), -1);
	assert_int_equal(auth_body_split("a:", 2, u, a), -1);
	assert_int_equal(auth_body_split("a:b\n", 4, u, a), -1);
	assert_int_equal(auth_body_split("a:\0b", 4, u, a), -1);
	assert_int_equal(auth_body_split("", 0, u, a), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(seed_examples),           cmocka_unit_test(wildcards_and_first_match),
	    cmocka_unit_test(malformed_lines_ignored), cmocka_unit_test(duplicate_user_warns),
	    cmocka_unit_test(pattern_bounds),          cmocka_unit_test(auth_body),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
