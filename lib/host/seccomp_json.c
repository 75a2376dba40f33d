#include "host/seccomp_json.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "core/strbuf.h"
#include "host/capabilities.h"

#define MAX_ARGS 6

/* liblxc's action text of an SCMP_ACT_* name (errno_ret for ERRNO/TRACE), or NULL. */
static const char *action_text(const char *a, int64_t errno_ret, char *buf, size_t len)
{
	if (!a)
		return NULL;
	if (strcmp(a, "SCMP_ACT_ALLOW") == 0)
		return "allow";
	if (strcmp(a, "SCMP_ACT_KILL") == 0 || strcmp(a, "SCMP_ACT_KILL_THREAD") == 0 ||
	    strcmp(a, "SCMP_ACT_KILL_PROCESS") == 0)
		return "kill";
	if (strcmp(a, "SCMP_ACT_TRAP") == 0)
		return "trap";
	if (strcmp(a, "SCMP_ACT_LOG") == 0)
		return "log";
	if (strcmp(a, "SCMP_ACT_ERRNO") == 0 || strcmp(a, "SCMP_ACT_TRACE") == 0) {
		if (errno_ret < 0 || errno_ret > 4095)
			return NULL;
		snprintf(buf, len, "%s %lld", a[9] == 'E' ? "errno" : "trace",
		         (long long)errno_ret);
		return buf;
	}
	return NULL;
}

static bool name_ok(const char *n)
{
	size_t len = n ? strlen(n) : 0;
	if (len == 0 || len > 64)
		return false;
	for (size_t i = 0; i < len; i++) {
		if (!((n[i] >= 'a' && n[i] <= 'z') || (n[i] >= '0' && n[i] <= '9') || n[i] == '_'))
			return false;
	}
	return true;
}

static bool op_ok(const char *op)
{
	static const char *const ops[] = {"SCMP_CMP_NE",       "SCMP_CMP_LT", "SCMP_CMP_LE",
	                                  "SCMP_CMP_EQ",       "SCMP_CMP_GE", "SCMP_CMP_GT",
	                                  "SCMP_CMP_MASKED_EQ"};
	for (size_t i = 0; op && i < sizeof(ops) / sizeof(ops[0]); i++) {
		if (strcmp(op, ops[i]) == 0)
			return true;
	}
	return false;
}

/* Whether the container has one of the capability names in caps_list (JSON array). */
static bool has_any_cap(yajl_val list, uint64_t caps)
{
	for (size_t i = 0; list && YAJL_IS_ARRAY(list) && i < list->u.array.len; i++) {
		const char *n = YAJL_GET_STRING(list->u.array.values[i]);
		int cap = n ? capability_from_name(n) : -1;
		if (cap >= 0 && cap < 64 && (caps & (1ULL << cap)))
			return true;
	}
	return false;
}

/* One of the engine's conditions of a filter: -1 (err set) when present but not a boolean,
 * else whether it is present and true. */
static int flag_of(yajl_val filter, const char *key, const char *which, char *err, size_t errlen)
{
	yajl_val v = json_get(filter, key);
	if (!v || YAJL_IS_NULL(v))
		return 0;
	if (!YAJL_IS_TRUE(v) && !YAJL_IS_FALSE(v)) {
		snprintf(err, errlen, "seccomp profile: %s.%s must be true or false", which, key);
		return -1;
	}
	return YAJL_IS_TRUE(v) ? 1 : 0;
}

/* 1 when the rule applies to t, 0 when not, -1 with err for a malformed condition: Docker's
 * includes.caps (one of them held), excludes.caps (none held), and the engine's
 * systemContainer and userNamespaces (seccomp_json.h). */
static int rule_applies(yajl_val rule, const struct seccomp_target *t, char *err, size_t errlen)
{
	yajl_val incl = json_get(rule, "includes"), excl = json_get(rule, "excludes");
	int in_sys = flag_of(incl, "systemContainer", "includes", err, errlen);
	int in_userns = flag_of(incl, "userNamespaces", "includes", err, errlen);
	int ex_sys = flag_of(excl, "systemContainer", "excludes", err, errlen);
	int ex_userns = flag_of(excl, "userNamespaces", "excludes", err, errlen);
	if (in_sys < 0 || in_userns < 0 || ex_sys < 0 || ex_userns < 0)
		return -1;
	yajl_val inc = json_get(incl, "caps"), exc = json_get(excl, "caps");
	if (inc && YAJL_IS_ARRAY(inc) && inc->u.array.len > 0 && !has_any_cap(inc, t->caps))
		return 0;
	if ((in_sys && !t->system_container) || (in_userns && !t->user_namespaces) ||
	    (ex_sys && t->system_container) || (ex_userns && t->user_namespaces))
		return 0;
	return !has_any_cap(exc, t->caps);
}

/* " [index,value,op(,valueTwo)]" for each of the rule's args into b. */
static int add_args(yajl_val args, struct strbuf *b, const char *name, char *err, size_t errlen)
{
	if (!args || YAJL_IS_NULL(args))
		return 0;
	if (!YAJL_IS_ARRAY(args) || args->u.array.len > MAX_ARGS) {
		snprintf(err, errlen,
		         "seccomp profile: syscall %s: \"args\" must be a list of at most %d", name,
		         MAX_ARGS);
		return -1;
	}
	for (size_t i = 0; i < args->u.array.len; i++) {
		yajl_val a = args->u.array.values[i];
		yajl_val idx = json_get(a, "index"), val = json_get(a, "value");
		yajl_val two = json_get(a, "valueTwo");
		const char *op = json_get_str(a, "op");
		if (!idx || !YAJL_IS_INTEGER(idx) || YAJL_GET_INTEGER(idx) < 0 ||
		    YAJL_GET_INTEGER(idx) > 5 || !val || !YAJL_IS_INTEGER(val) || !op_ok(op) ||
		    (two && !YAJL_IS_NULL(two) && !YAJL_IS_INTEGER(two))) {
			snprintf(err, errlen,
			         "seccomp profile: syscall %s: argument %zu needs an index 0-5, an "
			         "integer value and an op SCMP_CMP_*",
			         name, i);
			return -1;
		}
		unsigned long long v = (unsigned long long)YAJL_GET_INTEGER(val);
		if (strcmp(op, "SCMP_CMP_MASKED_EQ") == 0)
			strbuf_printf(
			    b, " [%lld,%llu,%s,%llu]", (long long)YAJL_GET_INTEGER(idx), v, op,
			    two && YAJL_IS_INTEGER(two) ? (unsigned long long)YAJL_GET_INTEGER(two)
			                                : 0ULL);
		else
			strbuf_printf(b, " [%lld,%llu,%s]", (long long)YAJL_GET_INTEGER(idx), v,
			              op);
	}
	return 0;
}

static int add_rule(yajl_val rule, bool allow_default, const struct seccomp_target *t,
                    struct strbuf *b, char *err, size_t errlen)
{
	if (!YAJL_IS_OBJECT(rule)) {
		snprintf(err, errlen, "seccomp profile: each of \"syscalls\" must be an object");
		return -1;
	}
	int applies = rule_applies(rule, t, err, errlen);
	if (applies <= 0)
		return applies;
	char abuf[32];
	const char *action_name = json_get_str(rule, "action");
	const char *action =
	    action_text(action_name, json_get_int(rule, "errnoRet", 1), abuf, sizeof(abuf));
	if (!action) {
		snprintf(
		    err, errlen,
		    "seccomp profile: unsupported action %s (SCMP_ACT_ALLOW, ERRNO, KILL, TRAP, "
		    "TRACE, LOG)",
		    action_name ? action_name : "(none)");
		return -1;
	}
	/* Under a denylist, an allow rule adds nothing (unless it narrows by argument). */
	yajl_val args = json_get(rule, "args");
	bool has_args = args && YAJL_IS_ARRAY(args) && args->u.array.len > 0;
	if (allow_default && strcmp(action, "allow") == 0 && !has_args)
		return 0;
	yajl_val names = json_get(rule, "names");
	const char *single = json_get_str(rule, "name");
	size_t n = names && YAJL_IS_ARRAY(names) ? names->u.array.len : 0;
	if (n == 0 && !single) {
		snprintf(err, errlen, "seccomp profile: a rule without \"names\"");
		return -1;
	}
	for (size_t i = 0; i < (n ? n : 1); i++) {
		const char *name = n ? YAJL_GET_STRING(names->u.array.values[i]) : single;
		if (!name_ok(name)) {
			snprintf(err, errlen, "seccomp profile: invalid syscall name \"%s\"",
			         name ? name : "(not a string)");
			return -1;
		}
		strbuf_printf(b, "%s %s", name, action);
		if (add_args(args, b, name, err, errlen) < 0)
			return -1;
		strbuf_putc(b, '\n');
	}
	return 0;
}

char *seccomp_json_translate(const char *json, const struct seccomp_target *t, char *err,
                             size_t errlen)
{
	char perr[256] = "";
	yajl_val root = json_parse(json, perr, sizeof(perr));
	if (!root || !YAJL_IS_OBJECT(root)) {
		snprintf(err, errlen, "seccomp profile: not a JSON object%s%s", perr[0] ? ": " : "",
		         perr);
		if (root)
			yajl_tree_free(root);
		return NULL;
	}
	char dbuf[32];
	const char *dname = json_get_str(root, "defaultAction");
	const char *dflt =
	    action_text(dname, json_get_int(root, "defaultErrnoRet", 1), dbuf, sizeof(dbuf));
	yajl_val rules = json_get(root, "syscalls");
	struct strbuf b = {0};
	char *out = NULL;
	if (!dflt) {
		snprintf(err, errlen, "seccomp profile: unsupported defaultAction %s",
		         dname ? dname : "(none)");
	} else if (rules && !YAJL_IS_NULL(rules) && !YAJL_IS_ARRAY(rules)) {
		snprintf(err, errlen, "seccomp profile: \"syscalls\" must be a list");
	} else {
		bool allow_default = strcmp(dflt, "allow") == 0;
		/* A denylist runs everything not named; an allowlist ends in its default action. */
		strbuf_printf(&b, "2\n%s%s%s\n", allow_default ? "denylist" : "allowlist",
		              allow_default ? "" : " ", allow_default ? "" : dflt);
		int ret = 0;
		for (size_t i = 0; rules && YAJL_IS_ARRAY(rules) && i < rules->u.array.len && !ret;
		     i++)
			ret = add_rule(rules->u.array.values[i], allow_default, t, &b, err, errlen);
		if (ret == 0)
			out = strbuf_take(&b);
	}
	strbuf_free(&b);
	yajl_tree_free(root);
	return out;
}
