/* authz-broker's policies: one JSON object a line (name, users, actions, readonly), parsed
 * and compiled once per load, and the decision for a user and an action. */
#ifndef AUTHZ_POLICY_H
#define AUTHZ_POLICY_H

#include <stdbool.h>
#include <stddef.h>

/* Largest policy file read (a reload of a bigger one keeps the previous policies). */
#define POLICY_FILE_MAX (8u << 20)
/* Longest action pattern; the largest product of its {n,m} counts and '+' (2 each); and the
 * sum over a load of each pattern's length times that product. glibc's regcomp copies
 * repeated parts, so unbounded patterns would make one line cost gigabytes. */
#define POLICY_PATTERN_MAX 256
#define POLICY_REPEAT_MAX 1000
#define POLICY_EXPANDED_MAX (1u << 20)

struct policy_set;

/* Called once per problem found while parsing: a malformed line (then ignored) or a warning
 * (a user in two policies). The message names the line. */
typedef void (*policy_warn_fn)(void *ctx, const char *msg);

/* Parses text[0..len) (need not be NUL-terminated). Never NULL but out of memory; malformed
 * lines are reported through warn and left out, never turned into a policy. */
struct policy_set *policy_set_parse(const char *text, size_t len, policy_warn_fn warn, void *ctx);
/* Reads and parses PATH; NULL with the reason in err when the file cannot be read. */
struct policy_set *policy_set_load(const char *path, policy_warn_fn warn, void *ctx, char *err,
                                   size_t errlen);
size_t policy_set_count(const struct policy_set *set);
void policy_set_free(struct policy_set *set);

enum authz_result { AUTHZ_ALLOW, AUTHZ_DENY, AUTHZ_NO_POLICY };

struct authz_decision {
	enum authz_result result;
	const char *policy; /* the deciding policy's name (valid while the set is), or NULL */
	char msg[512];      /* the original's wording: "action '%s' denied for user '%s' ..." */
};

/* The first policy naming USER (or "") decides: an action pattern matching ACTION allows,
 * unless the policy is readonly and METHOD is not GET or HEAD (METHOD NULL, as on
 * /isulad.auth, counts as not read-only). No policy naming the user: AUTHZ_NO_POLICY. */
void policy_decide(const struct policy_set *set, const char *user, const char *action,
                   const char *method, struct authz_decision *d);

const char *authz_result_name(enum authz_result r);

#endif
