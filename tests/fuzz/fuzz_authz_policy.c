/* Fuzzes authz-broker's policy file parser (authz/policy.c) and the decision over what it
 * parsed. Invariants: every line either yields a policy or a report naming it; a decision
 * names a policy unless there is none for the user; nothing leaks (ASan). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "authz/policy.h"

static size_t g_reports;

static void count(void *ctx, const char *msg)
{
	if (strncmp(msg, "line ", 5) != 0)
		abort();
	g_reports++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 64 * 1024)
		return 0;
	/* An exact-size copy, so that ASan sees a read past it. */
	char *text = malloc(size ? size : 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	size_t lines = 0;
	for (size_t i = 0; i < size; i++)
		lines += data[i] == '\n';
	g_reports = 0;
	struct policy_set *set = policy_set_parse(text, size, count, NULL);
	if (set) {
		if (policy_set_count(set) > lines + 1)
			abort();
		static const char *users[] = {"alice", "bob", "", "root"};
		static const char *actions[] = {"container_create", "", "image_list",
		                                "docker_info"};
		for (size_t i = 0; i < 4; i++) {
			struct authz_decision d;
			policy_decide(set, users[i], actions[i], i % 2 ? "GET" : NULL, &d);
			if ((d.result == AUTHZ_NO_POLICY) != (d.policy == NULL))
				abort();
		}
		policy_set_free(set);
	}
	free(text);
	return 0;
}
