/* Policy file parsing (one JSON object a line) and the first-match decision. */
#include "policy.h"

#include <errno.h>
#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/fileutil.h"
#include "core/json.h"

struct policy {
	char *name;
	char **users; /* "" = anyone */
	size_t nusers;
	regex_t *res;    /* compiled once per load */
	bool *match_all; /* action "" (an empty ERE is undefined in POSIX: matched by hand) */
	size_t nactions;
	bool readonly;
	unsigned line;
};

struct policy_set {
	struct policy *v;
	size_t n;
};

static void report(policy_warn_fn warn, void *ctx, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void report(policy_warn_fn warn, void *ctx, const char *fmt, ...)
{
	if (!warn)
		return;
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	warn(ctx, msg);
}

static void policy_clear(struct policy *p)
{
	for (size_t i = 0; i < p->nusers; i++)
		free(p->users[i]);
	for (size_t i = 0; i < p->nactions; i++)
		if (!p->match_all[i])
			regfree(&p->res[i]);
	free(p->users);
	free(p->res);
	free(p->match_all);
	free(p->name);
	memset(p, 0, sizeof(*p));
}

/* How many times glibc's regcomp may copy a pattern's parts: it expands each {n,m} into up to
 * max(n,m) copies and each '+' into two (a+ = aa*), nested ones multiplying. The product over
 * the whole pattern (nested or not: an upper bound), capped just above POLICY_REPEAT_MAX.
 * Escaped characters and bracket expressions are literal. */
static unsigned long expansion(const char *s)
{
	unsigned long prod = 1;
	for (const char *p = s; *p && prod <= POLICY_REPEAT_MAX; p++) {
		if (*p == '\\') {
			if (!*++p)
				break;
		} else if (*p == '[') {
			/* "[]...]" and "[^]...]": a leading ']' is literal */
			p += p[1] == '^' ? 2 : 1;
			if (*p == ']')
				p++;
			while (*p && *p != ']')
				p++;
			if (!*p)
				break;
		} else if (*p == '+') {
			prod *= 2;
		} else if (*p == '{') {
			unsigned long biggest = 0, cur = 0;
			for (p++; *p && *p != '}'; p++) {
				if (*p >= '0' && *p <= '9') {
					cur = cur * 10 + (unsigned long)(*p - '0');
					if (cur > POLICY_REPEAT_MAX)
						cur = POLICY_REPEAT_MAX + 1;
				} else {
					cur = 0;
				}
				if (cur > biggest)
					biggest = cur;
			}
			if (biggest > 1)
				prod *= biggest;
			if (!*p)
				break;
		}
	}
	return prod > POLICY_REPEAT_MAX ? POLICY_REPEAT_MAX + 1 : prod;
}

static bool is_string_array(yajl_val v)
{
	if (!YAJL_IS_ARRAY(v))
		return false;
	for (size_t i = 0; i < v->u.array.len; i++)
		if (!YAJL_IS_STRING(v->u.array.values[i]))
			return false;
	return true;
}

/* Fills p from one object; 0, or -1 with the reason in why. */
static int policy_from_json(yajl_val o, struct policy *p, size_t *budget, char *why, size_t whylen)
{
	if (!YAJL_IS_OBJECT(o)) {
		snprintf(why, whylen, "a policy must be a JSON object");
		return -1;
	}
	static const char *known[] = {"name", "users", "actions", "readonly"};
	for (size_t i = 0; i < o->u.object.len; i++) {
		const char *k = o->u.object.keys[i];
		bool ok = false;
		for (size_t j = 0; j < sizeof(known) / sizeof(known[0]); j++)
			ok = ok || strcmp(k, known[j]) == 0;
		if (!ok) { /* a misspelt "readonly" must not silently grant writes */
			snprintf(why, whylen,
			         "unknown key \"%.64s\" (allowed: name, users, actions, readonly)",
			         k);
			return -1;
		}
	}
	yajl_val name = json_get(o, "name"), users = json_get(o, "users"),
	         actions = json_get(o, "actions"), ro = json_get(o, "readonly");
	if (!YAJL_IS_STRING(name) || !name->u.string[0]) {
		snprintf(why, whylen, "\"name\" must be a non-empty string");
		return -1;
	}
	if (!is_string_array(users)) {
		snprintf(why, whylen, "\"users\" must be an array of strings");
		return -1;
	}
	if (!is_string_array(actions)) {
		snprintf(why, whylen,
		         "\"actions\" must be an array of strings (regular expressions)");
		return -1;
	}
	if (ro && !YAJL_IS_TRUE(ro) && !YAJL_IS_FALSE(ro)) {
		snprintf(why, whylen, "\"readonly\" must be true or false");
		return -1;
	}
	p->readonly = ro && YAJL_IS_TRUE(ro);
	p->name = strdup(name->u.string);
	size_t nu = users->u.array.len, na = actions->u.array.len;
	p->users = calloc(nu ? nu : 1, sizeof(char *));
	p->res = calloc(na ? na : 1, sizeof(regex_t));
	p->match_all = calloc(na ? na : 1, sizeof(bool));
	if (!p->name || !p->users || !p->res || !p->match_all) {
		snprintf(why, whylen, "out of memory");
		return -1;
	}
	for (; p->nusers < nu; p->nusers++)
		if (!(p->users[p->nusers] = strdup(users->u.array.values[p->nusers]->u.string))) {
			snprintf(why, whylen, "out of memory");
			return -1;
		}
	for (size_t i = 0; i < na; i++) {
		const char *pat = actions->u.array.values[i]->u.string;
		if (strlen(pat) > POLICY_PATTERN_MAX) {
			snprintf(why, whylen, "action pattern %zu is longer than %d characters",
			         i + 1, POLICY_PATTERN_MAX);
			return -1;
		}
		unsigned long factor = expansion(pat);
		if (factor > POLICY_REPEAT_MAX) {
			snprintf(
			    why, whylen,
			    "action pattern \"%.64s\" repeats too much ({n,m} and '+' multiply "
			    "to more than %d)",
			    pat, POLICY_REPEAT_MAX);
			return -1;
		}
		size_t cost = (strlen(pat) + 1) * factor;
		if (cost > *budget) {
			snprintf(why, whylen,
			         "the policies' action patterns exceed %u characters once expanded",
			         POLICY_EXPANDED_MAX);
			return -1;
		}
		*budget -= cost;
		if (!pat[0]) {
			p->match_all[p->nactions++] = true;
			continue;
		}
		int rc = regcomp(&p->res[i], pat, REG_EXTENDED | REG_NOSUB);
		if (rc != 0) {
			char re_err[128];
			regerror(rc, &p->res[i], re_err, sizeof(re_err));
			snprintf(why, whylen,
			         "action pattern \"%.64s\" is not a regular expression: %s", pat,
			         re_err);
			return -1;
		}
		p->nactions++;
	}
	return 0;
}

/* The policy of one line, or -1 with why set. */
static int parse_line(const char *line, struct policy *p, size_t *budget, char *why, size_t whylen)
{
	char jerr[256] = "";
	yajl_val o = json_parse(line, jerr, sizeof(jerr));
	if (!o) {
		/* yajl's message spans lines: keep the first. */
		jerr[strcspn(jerr, "\n")] = '\0';
		snprintf(why, whylen, "not JSON: %s", jerr[0] ? jerr : "parse error");
		return -1;
	}
	int ret = policy_from_json(o, p, budget, why, whylen);
	yajl_tree_free(o);
	if (ret < 0)
		policy_clear(p);
	return ret;
}

static bool blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			return false;
	return true;
}

/* Warns for each user of p already named by an earlier policy. */
static void warn_duplicates(const struct policy_set *set, const struct policy *p,
                            policy_warn_fn warn, void *ctx)
{
	for (size_t u = 0; u < p->nusers; u++)
		for (size_t i = 0; i < set->n; i++) {
			const struct policy *q = &set->v[i];
			bool found = false;
			for (size_t k = 0; k < q->nusers && !found; k++)
				found = strcmp(q->users[k], p->users[u]) == 0;
			if (found) {
				report(warn, ctx,
				       "line %u: [policy: %s] user \"%.64s\" already appears in "
				       "policy "
				       "\"%s\" (line %u): only the first applies",
				       p->line, p->name, p->users[u], q->name, q->line);
				break;
			}
		}
}

struct policy_set *policy_set_parse(const char *text, size_t len, policy_warn_fn warn, void *ctx)
{
	struct policy_set *set = calloc(1, sizeof(*set));
	if (!set)
		return NULL;
	size_t cap = 0, budget = POLICY_EXPANDED_MAX;
	unsigned lineno = 0;
	for (size_t off = 0; off < len;) {
		const char *s = text + off;
		const char *nl = memchr(s, '\n', len - off);
		size_t n = nl ? (size_t)(nl - s) : len - off;
		off += n + (nl ? 1 : 0);
		lineno++;
		if (blank(s, n))
			continue;
		char why[384];
		struct policy p = {.line = lineno};
		char *line = memchr(s, '\0', n) ? NULL : strndup(s, n);
		if (!line) {
			report(warn, ctx, "line %u: %s: policy ignored", lineno,
			       memchr(s, '\0', n) ? "holds a NUL byte" : "out of memory");
			continue;
		}
		int ret = parse_line(line, &p, &budget, why, sizeof(why));
		free(line);
		if (ret < 0) {
			report(warn, ctx, "line %u: %s: policy ignored", lineno, why);
			continue;
		}
		if (set->n == cap) {
			size_t ncap = cap ? cap * 2 : 16;
			struct policy *nv = realloc(set->v, ncap * sizeof(*nv));
			if (!nv) {
				report(warn, ctx, "line %u: out of memory: policy ignored", lineno);
				policy_clear(&p);
				continue;
			}
			set->v = nv;
			cap = ncap;
		}
		warn_duplicates(set, &p, warn, ctx);
		set->v[set->n++] = p;
	}
	return set;
}

struct policy_set *policy_set_load(const char *path, policy_warn_fn warn, void *ctx, char *err,
                                   size_t errlen)
{
	size_t len = 0;
	errno = 0;
	char *text = read_file(path, POLICY_FILE_MAX, &len);
	if (!text) {
		snprintf(err, errlen, "cannot read policy file %s: %s", path,
		         errno == EFBIG || errno == 0 ? "larger than 8 MiB" : strerror(errno));
		return NULL;
	}
	struct policy_set *set = policy_set_parse(text, len, warn, ctx);
	free(text);
	if (!set)
		snprintf(err, errlen, "cannot load policy file %s: out of memory", path);
	return set;
}

size_t policy_set_count(const struct policy_set *set)
{
	return set ? set->n : 0;
}

void policy_set_free(struct policy_set *set)
{
	if (!set)
		return;
	for (size_t i = 0; i < set->n; i++)
		policy_clear(&set->v[i]);
	free(set->v);
	free(set);
}

const char *authz_result_name(enum authz_result r)
{
	return r == AUTHZ_ALLOW ? "allow" : r == AUTHZ_DENY ? "deny" : "no-policy";
}

static bool names_user(const struct policy *p, const char *user)
{
	for (size_t i = 0; i < p->nusers; i++)
		if (!p->users[i][0] || strcmp(p->users[i], user) == 0)
			return true;
	return false;
}

static bool action_matches(const struct policy *p, const char *action)
{
	for (size_t i = 0; i < p->nactions; i++)
		if (p->match_all[i] || regexec(&p->res[i], action, 0, NULL, 0) == 0)
			return true;
	return false;
}

void policy_decide(const struct policy_set *set, const char *user, const char *action,
                   const char *method, struct authz_decision *d)
{
	const struct policy *p = NULL;
	for (size_t i = 0; set && i < set->n && !p; i++)
		if (names_user(&set->v[i], user))
			p = &set->v[i];
	d->policy = p ? p->name : NULL;
	if (!p) {
		d->result = AUTHZ_NO_POLICY;
		snprintf(d->msg, sizeof(d->msg),
		         "no policy applied (user: '%.128s' action: '%.128s')", user, action);
	} else if (!action_matches(p, action)) {
		d->result = AUTHZ_DENY;
		snprintf(d->msg, sizeof(d->msg),
		         "action '%.128s' denied for user '%.128s' by policy '%.128s'", action,
		         user, p->name);
	} else if (p->readonly &&
	           (!method || (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0))) {
		d->result = AUTHZ_DENY;
		snprintf(
		    d->msg, sizeof(d->msg),
		    "action '%.128s' not allowed for user '%.128s' by readonly policy '%.128s'",
		    action, user, p->name);
	} else {
		d->result = AUTHZ_ALLOW;
		snprintf(d->msg, sizeof(d->msg),
		         "action '%.128s' allowed for user '%.128s' by policy '%.128s'", action,
		         user, p->name);
	}
}
